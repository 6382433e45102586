// hash: md5, sha1 and sha256 of regular files named by `path` or found in
// `directory` (= or LIKE). Files are streamed in 1 MiB blocks; only the
// digests the query reads are computed. Like osquery, a file larger than
// --read_max (or unreadable) still gets a row, with empty digests.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { flags } from '../../flags/index.js';
import { isFile, joinPath } from '../../lib/fs.js';
import { defineTable, integer, Op, type QueryContext, type Row, text } from '../framework.js';
import { constrainedPaths, parentPath } from './util.js';

const CHUNK = 1024 * 1024;
const ALGORITHMS = ['md5', 'sha1', 'sha256'] as const;
type Algorithm = (typeof ALGORITHMS)[number];

/** Hex digests of a file for each algorithm, or '' for all when it cannot be read whole. */
export function hashFile(path: string, algorithms: readonly Algorithm[]): Record<Algorithm, string> {
  const empty = { md5: '', sha1: '', sha256: '' };
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return empty;
  }
  try {
    if (fstatSync(fd).size > flags.read_max) return empty;
    const hashes = algorithms.map((a) => [a, createHash(a)] as [Algorithm, Hash]);
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n <= 0) break;
      const chunk = buf.subarray(0, n);
      for (const [, h] of hashes) h.update(chunk);
    }
    const out = { ...empty };
    for (const [a, h] of hashes) out[a] = h.digest('hex');
    return out;
  } catch {
    return empty;
  } finally {
    closeSync(fd);
  }
}

function hashRow(path: string, directory: string, algorithms: readonly Algorithm[]): Row {
  const r: Row = { path, directory, pid_with_namespace: 0 };
  if (algorithms.length === 0) return r;
  const digests = hashFile(path, algorithms);
  for (const a of algorithms) r[a] = digests[a];
  return r;
}

function generate(ctx: QueryContext): Row[] {
  const algorithms = ALGORITHMS.filter((a) => ctx.isColumnUsed(a));
  const rows: Row[] = [];
  const paths = constrainedPaths(ctx.equals('path'), ctx.valuesFor('path', Op.LIKE), 'all');
  for (const path of paths) {
    if (isFile(path)) rows.push(hashRow(path, parentPath(path), algorithms));
  }
  const dirs = constrainedPaths(ctx.equals('directory'), ctx.valuesFor('directory', Op.LIKE), 'folders');
  for (const dir of dirs) {
    let names: string[];
    try {
      if (!statSync(dir).isDirectory()) continue;
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const path = joinPath(dir, name);
      if (isFile(path)) rows.push(hashRow(path, dir, algorithms));
    }
  }
  return rows;
}

export const hash = defineTable({
  name: 'hash',
  columns: {
    path: text({ index: true, required: true, optimized: true }),
    directory: text({ required: true, optimized: true }),
    md5: text({ collate: 'nocase' }),
    sha1: text({ collate: 'nocase' }),
    sha256: text({ collate: 'nocase' }),
    pid_with_namespace: integer({ hidden: true, additional: true, platforms: ['linux'] }),
    mount_namespace_id: text({ hidden: true, platforms: ['linux'] }),
  },
  generate,
});
