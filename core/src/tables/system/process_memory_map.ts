// process_memory_map: the mapped regions of each process (/proc/<pid>/maps).
// osquery splits each line on blanks, so `path` is the first word of the
// pathname (a name with blanks, or a " (deleted)" suffix, is cut there).
// `pseudo` is 1 for named regions without an inode ([heap], [stack], ...).

import { readText } from '../../lib/fs.js';
import { pidsToVisit } from '../../lib/proc.js';
import { splitNonBlank } from '../../lib/split.js';
import { defineTable, integer, type Row, bigint as sqlBigint, text } from '../framework.js';

/** A hexadecimal offset as a number (or bigint past 2^53), -1 when it is not one. */
function hexOffset(text: string): number | bigint {
  if (!/^[0-9a-fA-F]+$/.test(text)) return -1;
  const v = BigInt(`0x${text}`);
  if (v > 0x7fffffffffffffffn) return -1;
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

export function parseMaps(pid: number, content: string): Row[] {
  const rows: Row[] = [];
  for (const line of splitNonBlank(content, '\n')) {
    const f = splitNonBlank(line, ' ');
    if (f.length < 5) continue;
    const addresses = splitNonBlank(f[0] as string, '-');
    if (addresses.length < 2) continue;
    const path = f.length > 5 ? (f[5] as string) : '';
    const row: Row = {
      pid,
      start: `0x${addresses[0]}`,
      end: `0x${addresses[1]}`,
      permissions: f[1],
      offset: hexOffset(f[2] as string),
      device: f[3],
      inode: Number(f[4]),
      pseudo: f[4] === '0' && path !== '' ? 1 : 0,
    };
    if (f.length > 5) row.path = path;
    rows.push(row);
  }
  return rows;
}

export const processMemoryMap = defineTable({
  name: 'process_memory_map',
  columns: {
    pid: integer({ index: true, optimized: true }),
    start: text(),
    end: text(),
    permissions: text(),
    offset: sqlBigint(),
    device: text(),
    inode: integer(),
    path: text(),
    pseudo: integer(),
  },
  *generate(ctx) {
    for (const pid of pidsToVisit(ctx)) {
      yield* parseMaps(pid, readText(`/proc/${pid}/maps`) ?? '');
    }
  },
});
