// cpu_time: per-core time counters from /proc/stat, in clock ticks (USER_HZ).

import { readText } from '../../lib/fs.js';
import { splitNonBlank } from '../../lib/split.js';
import { bigint, defineTable, integer, type Row } from '../framework.js';
import { toInt } from './util.js';

const FIELDS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal', 'guest', 'guest_nice'];

/** One row per "cpuN ..." line; the aggregate "cpu ..." line is skipped. */
export function parseProcStat(content: string): Row[] {
  const rows: Row[] = [];
  for (const line of content.split('\n')) {
    const words = splitNonBlank(line, ' ');
    const label = words[0] ?? '';
    // The first seven counters are required; later kernels added the rest.
    if (!label.startsWith('cpu') || label.length <= 3 || words.length < 8) continue;
    const row: Row = { core: toInt(label.slice(3)) };
    FIELDS.forEach((field, i) => {
      row[field] = toInt(words[i + 1]) ?? (i >= 7 ? 0 : undefined);
    });
    rows.push(row);
  }
  return rows;
}

export const cpuTime = defineTable({
  name: 'cpu_time',
  columns: {
    core: integer(),
    user: bigint(),
    nice: bigint(),
    system: bigint(),
    idle: bigint(),
    iowait: bigint(),
    irq: bigint(),
    softirq: bigint(),
    steal: bigint(),
    guest: bigint(),
    guest_nice: bigint(),
  },
  generate() {
    const content = readText('/proc/stat');
    return content === null ? [] : parseProcStat(content);
  },
});
