// scripts/gen-table-docs.mjs: the generated reference lists every registered table
// with its columns (in order, with type and flags), and the checked-in
// docs/tables.md is what the script writes today.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { setUpRegistries } from '@osq/core/plugins';
import { allTables } from '@osq/core/registry/tables';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** The markdown's sections: table name -> its lines. */
function sections(markdown: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of markdown.split('\n')) {
    const heading = /^## (\S+)$/.exec(line);
    if (heading) {
      current = [];
      out.set(heading[1] as string, current);
    } else current?.push(line);
  }
  return out;
}

/** The cells of a markdown table row. */
const cells = (line: string) =>
  line
    .slice(1, -1)
    .split('|')
    .map((c) => c.trim());

describe('gen-table-docs', () => {
  let dir: string;
  let markdown: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'osq-tabledocs-'));
    const out = join(dir, 'tables.md');
    execFileSync(process.execPath, [join(repo, 'scripts/gen-table-docs.mjs'), '--out', out]);
    markdown = readFileSync(out, 'utf8');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('has one section per registered table, in name order', () => {
    const names = allTables(setUpRegistries().table).map((t) => t.name);
    assert.deepEqual([...sections(markdown).keys()], names);
  });

  it('lists every column with its type, flags, platforms and aliases', () => {
    const docs = sections(markdown);
    for (const table of allTables(setUpRegistries().table)) {
      const lines = docs.get(table.name) ?? [];
      const rows = lines.filter(
        (l) => l.startsWith('| ') && !l.startsWith('| Column') && !l.startsWith('| ---'),
      );
      const documented = rows.map(cells);
      const declared = table.columnList.map((c) => {
        const flags = (['index', 'required', 'hidden', 'additional', 'optimized'] as const).filter(
          (f) => c[f],
        );
        return [
          c.name,
          c.type,
          [...flags, ...(c.collate ? [`collate ${c.collate}`] : [])].join(', '),
          (c.platforms ?? []).join(', '),
          (c.aliases ?? []).join(', '),
        ];
      });
      assert.deepEqual(documented, declared, table.name);
      if (table.aliases?.length) {
        assert.ok(
          lines.includes(`Aliases: ${table.aliases.map((a) => `\`${a}\``).join(', ')}`),
          `aliases of ${table.name}`,
        );
      }
    }
  });

  it('docs/tables.md is up to date (regenerate: npm run build && node scripts/gen-table-docs.mjs)', () => {
    assert.equal(readFileSync(join(repo, 'docs/tables.md'), 'utf8'), markdown);
  });
});
