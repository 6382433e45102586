// memory_map: the physical memory map of /proc/iomem, one row per range (nested
// ranges included, as osquery lists every line). osquery cuts the end address
// one character too far, so `end` keeps the blank that follows it
// ("0x0009fbff "); we keep that for compatibility.

import { readText } from '../../lib/fs.js';
import { defineTable, type Row, text } from '../framework.js';

export function parseIomem(content: string): Row[] {
  const rows: Row[] = [];
  for (const raw of content.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const dash = line.indexOf('-');
    const sep = line.search(/[ :]/);
    if (dash === -1 || sep === -1 || line.length <= sep + 3) continue;
    rows.push({
      name: line.slice(sep + 3),
      start: `0x${line.slice(0, dash)}`,
      end: `0x${line.slice(dash + 1, sep + 1)}`,
    });
  }
  return rows;
}

export const memoryMap = defineTable({
  name: 'memory_map',
  columns: {
    name: text(),
    start: text(),
    end: text(),
  },
  generate() {
    return parseIomem(readText('/proc/iomem') ?? '');
  },
});
