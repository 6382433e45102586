// kernel_keys: the keys and keyrings of /proc/keys that this process may view.
// A line has ten blank-separated fields; the description is the last two
// (its "name:" and the type-specific summary) joined without the blank.
// Lines with any other field count (descriptions containing blanks) are skipped,
// as osquery does.

import { readText } from '../../lib/fs.js';
import { osquerySplit } from '../../lib/split.js';
import { bigint, defineTable, type Row, text } from '../framework.js';

export function parseProcKeys(content: string): Row[] {
  const rows: Row[] = [];
  for (const line of osquerySplit(content, '\n')) {
    const f = osquerySplit(line, ' ');
    if (f.length !== 10) continue;
    rows.push({
      serial_number: f[0],
      flags: f[1],
      usage: Number(f[2]),
      timeout: f[3],
      permissions: f[4],
      uid: Number(f[5]),
      gid: Number(f[6]),
      type: f[7],
      description: `${f[8]}${f[9]}`,
    });
  }
  return rows;
}

export const kernelKeys = defineTable({
  name: 'kernel_keys',
  columns: {
    serial_number: text(),
    flags: text(),
    usage: bigint(),
    timeout: text(),
    permissions: text(),
    uid: bigint(),
    gid: bigint(),
    type: text(),
    description: text(),
  },
  generate() {
    return parseProcKeys(readText('/proc/keys') ?? '');
  },
});
