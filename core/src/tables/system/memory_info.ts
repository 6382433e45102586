// memory_info: system memory counters from /proc/meminfo, in bytes.

import { readText } from '../../lib/fs.js';
import { bigint, defineTable, type Row } from '../framework.js';
import { toInt } from './util.js';

const MEMINFO_KEYS: Record<string, string> = {
  memory_total: 'MemTotal:',
  memory_free: 'MemFree:',
  memory_available: 'MemAvailable:',
  buffers: 'Buffers:',
  cached: 'Cached:',
  swap_cached: 'SwapCached:',
  active: 'Active:',
  inactive: 'Inactive:',
  swap_total: 'SwapTotal:',
  swap_free: 'SwapFree:',
};

/** One row with each known /proc/meminfo counter converted from kB to bytes. */
export function parseMeminfo(content: string): Row {
  const row: Row = {};
  for (const line of content.split('\n')) {
    for (const [column, key] of Object.entries(MEMINFO_KEYS)) {
      if (!line.startsWith(key)) continue;
      const kb = toInt(
        line
          .slice(key.length)
          .trim()
          .split(/[\t ]+/)[0],
      );
      if (kb !== undefined) row[column] = kb * 1024;
      break;
    }
  }
  return row;
}

export const memoryInfo = defineTable({
  name: 'memory_info',
  columns: {
    memory_total: bigint(),
    memory_free: bigint(),
    memory_available: bigint(),
    buffers: bigint(),
    cached: bigint(),
    swap_cached: bigint(),
    active: bigint(),
    inactive: bigint(),
    swap_total: bigint(),
    swap_free: bigint(),
  },
  generate() {
    const content = readText('/proc/meminfo');
    return [content === null ? {} : parseMeminfo(content)];
  },
});
