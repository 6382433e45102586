// process_envs: the environment of each process, from /proc/<pid>/environ.

import { readBytes } from '../../lib/fs.js';
import { pidsToVisit } from '../../lib/proc.js';
import { defineTable, integer, type Row, text } from '../framework.js';

/**
 * Split a NUL-separated environ block into key/value pairs the way osquery does:
 * it stops at the first empty entry or at one whose first byte is not ASCII (its
 * loop tests `*p > 0` on a signed char), and an entry without '=' becomes both
 * key and value.
 */
export function parseEnviron(raw: Buffer): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  let start = 0;
  while (start < raw.length) {
    const first = raw[start] ?? 0;
    if (first === 0 || first >= 0x80) break;
    let end = raw.indexOf(0, start);
    if (end < 0) end = raw.length;
    const entry = raw.toString('utf8', start, end);
    const eq = entry.indexOf('=');
    out.push(eq < 0 ? { key: entry, value: entry } : { key: entry.slice(0, eq), value: entry.slice(eq + 1) });
    start = end + 1;
  }
  return out;
}

export const processEnvs = defineTable({
  name: 'process_envs',
  columns: {
    pid: integer({ index: true, optimized: true }),
    key: text(),
    value: text(),
  },
  *generate(ctx) {
    for (const pid of pidsToVisit(ctx)) {
      const raw = readBytes(`/proc/${pid}/environ`);
      if (raw === null) continue;
      for (const { key, value } of parseEnviron(raw)) {
        const row: Row = { pid, key, value };
        yield row;
      }
    }
  },
});
