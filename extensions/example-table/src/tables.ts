// The example extension's tables. Each shows one thing an extension author needs:
//   example_env   - a plain table with an index column answering `WHERE name = ...` directly;
//   example_files - a REQUIRED column: the rows exist only for the directories asked for;
//   example_self  - a table whose generate asks the core a question (SQL over the socket).
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { column, ExtensionClient, type Row, type TablePlugin, tablePlugin } from '@osq/sdk';

export const exampleEnv = tablePlugin(
  'example_env',
  [
    column.text('name', { index: true, description: 'Variable name' }),
    column.text('value', { description: 'Variable value' }),
  ],
  (ctx) => {
    // With `WHERE name = 'X'` (or IN) only those variables are looked up.
    const wanted = ctx.equals('name');
    const names = wanted.length > 0 ? wanted.filter((n) => n in process.env) : Object.keys(process.env);
    return names.map((name) => ({ name, value: process.env[name] }));
  },
  {
    description:
      "Environment variables of the extension's process (inherited from the process that started it).",
    examples: ["SELECT value FROM example_env WHERE name = 'PATH';"],
  },
);

function fileType(s: import('node:fs').Stats): string {
  if (s.isFile()) return 'regular';
  if (s.isDirectory()) return 'directory';
  if (s.isSymbolicLink()) return 'symlink';
  if (s.isSocket()) return 'socket';
  if (s.isFIFO()) return 'fifo';
  if (s.isCharacterDevice()) return 'character';
  if (s.isBlockDevice()) return 'block';
  return 'unknown';
}

export const exampleFiles = tablePlugin(
  'example_files',
  [
    column.text('directory', { required: true, description: 'The directory to list' }),
    column.text('path', { description: 'Full path of the entry' }),
    column.text('filename', { description: 'Entry name' }),
    column.text('type', { description: 'regular, directory, symlink, socket, fifo, character or block' }),
    column.bigint('size', { description: 'Size in bytes' }),
    column.bigint('mtime', { description: 'Last modification time (unix seconds)' }),
  ],
  async function* (ctx) {
    for (const directory of ctx.equals('directory')) {
      let names: string[];
      try {
        names = await readdir(directory);
      } catch (err) {
        // Surfaces as the SQL statement's error.
        throw new Error(`example_files: cannot list ${directory}: ${(err as NodeJS.ErrnoException).code}`);
      }
      for (const filename of names.sort()) {
        const path = join(directory, filename);
        const s = await lstat(path).catch(() => undefined);
        if (!s) continue; // removed while listing
        yield {
          directory,
          path,
          filename,
          type: fileType(s),
          size: s.size,
          mtime: Math.floor(s.mtimeMs / 1000),
        };
      }
    }
  },
  {
    description: 'Entries of the directories given with `WHERE directory = ...` (not recursive).',
    examples: ["SELECT filename, size FROM example_files WHERE directory = '/etc' AND type = 'regular';"],
  },
);

/** Needs a client to the core: it runs SQL there from inside its generate. */
export function exampleSelf(client: ExtensionClient): TablePlugin<'pid' | 'name' | 'parent' | 'threads'> {
  return tablePlugin(
    'example_self',
    [
      column.bigint('pid', { description: "The extension's process id" }),
      column.text('name', { description: 'Process name, as the core sees it' }),
      column.bigint('parent', { description: 'Parent process id (usually the core)' }),
      column.integer('threads', { description: 'Thread count' }),
    ],
    async () => {
      const rows = await client.query(
        `SELECT pid, name, parent, threads FROM processes WHERE pid = ${process.pid}`,
      );
      return rows as Row<'pid' | 'name' | 'parent' | 'threads'>[];
    },
    {
      description:
        "The extension's own process, read from the core's processes table over the extension socket.",
      examples: ['SELECT * FROM example_self;'],
    },
  );
}

/** Every table of this extension (the docs script calls this without a client). */
export default function tables(client: ExtensionClient = new ExtensionClient()): TablePlugin[] {
  return [exampleEnv, exampleFiles, exampleSelf(client)] as TablePlugin[];
}
