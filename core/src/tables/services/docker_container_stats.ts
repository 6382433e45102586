// docker_container_stats: one sample of GET /containers/<id>/stats?stream=false
// (Docker waits about a second to fill the "precpu" sample). Needs `id = ...`.

import { childValues, type Json } from '../../lib/json.js';
import { bigint, defineTable, integer, type Row, text } from '../framework.js';
import { dockerGet, hashConstraints } from './docker_api.js';
import { at, int, str } from './util.js';

/** Seconds since the epoch of an RFC 3339 time, read to the second as UTC; 0 if unparsable. */
export function unixSeconds(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(iso);
  if (!m) return 0;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return Math.floor(Date.UTC(y, mo - 1, d, h, mi, s) / 1000);
}

/** Difference of the fractional-second digits of two times, as osquery computes it. */
function diffNanos(a: string, b: string): number {
  const fa = /\.(\d+)/.exec(a);
  const fb = /\.(\d+)/.exec(b);
  if (!fa || !fb) return 0;
  return Number(fa[1]) - Number(fb[1]);
}

/** Sum of `value` over block-I/O entries whose op is `op` (case-insensitive). */
function ioBytes(list: Json | undefined, op: string): number {
  let total = 0;
  for (const e of childValues(list)) {
    if (str(at(e, 'op')).toLowerCase() === op.toLowerCase()) total += int(at(e, 'value'));
  }
  return total;
}

function networkBytes(nets: Json | undefined, key: string): number {
  return childValues(nets).reduce<number>((sum, n) => sum + int(at(n, key)), 0);
}

export function statsRow(id: string, s: Json): Row {
  const read = str(at(s, 'read'));
  const preread = str(at(s, 'preread'));
  const readS = unixSeconds(read);
  const prereadS = unixSeconds(preread);
  const blkio = at(s, 'blkio_stats', 'io_service_bytes_recursive');
  const cpu = (k: string) => at(s, 'cpu_stats', 'cpu_usage', k);
  const precpu = (k: string) => at(s, 'precpu_stats', 'cpu_usage', k);
  const mem = (...k: string[]) => int(at(s, 'memory_stats', ...k));
  return {
    id,
    name: str(at(s, 'name')),
    pids: int(at(s, 'pids_stats', 'current')),
    read: readS,
    preread: prereadS,
    interval: (readS - prereadS) * 1_000_000_000 + diffNanos(read, preread),
    disk_read: ioBytes(blkio, 'Read'),
    disk_write: ioBytes(blkio, 'Write'),
    num_procs: int(at(s, 'num_procs')),
    cpu_total_usage: int(cpu('total_usage')),
    cpu_kernelmode_usage: int(cpu('usage_in_kernelmode')),
    cpu_usermode_usage: int(cpu('usage_in_usermode')),
    system_cpu_usage: int(at(s, 'cpu_stats', 'system_cpu_usage')),
    online_cpus: int(at(s, 'cpu_stats', 'online_cpus')),
    pre_cpu_total_usage: int(precpu('total_usage')),
    pre_cpu_kernelmode_usage: int(precpu('usage_in_kernelmode')),
    pre_cpu_usermode_usage: int(precpu('usage_in_usermode')),
    pre_system_cpu_usage: int(at(s, 'precpu_stats', 'system_cpu_usage')),
    pre_online_cpus: int(at(s, 'precpu_stats', 'online_cpus')),
    memory_usage: mem('usage'),
    memory_cached: mem('stats', 'cache'),
    memory_inactive_file: mem('stats', 'inactive_file'),
    memory_total_inactive_file: mem('stats', 'total_inactive_file'),
    memory_max_usage: mem('max_usage'),
    memory_limit: mem('limit'),
    network_rx_bytes: networkBytes(at(s, 'networks'), 'rx_bytes'),
    network_tx_bytes: networkBytes(at(s, 'networks'), 'tx_bytes'),
  };
}

export const dockerContainerStats = defineTable({
  name: 'docker_container_stats',
  columns: {
    id: text({ index: true, required: true, collate: 'nocase' }),
    name: text({ index: true }),
    pids: integer(),
    read: bigint(),
    preread: bigint(),
    interval: bigint(),
    disk_read: bigint(),
    disk_write: bigint(),
    num_procs: integer(),
    cpu_total_usage: bigint(),
    cpu_kernelmode_usage: bigint(),
    cpu_usermode_usage: bigint(),
    system_cpu_usage: bigint(),
    online_cpus: integer(),
    pre_cpu_total_usage: bigint(),
    pre_cpu_kernelmode_usage: bigint(),
    pre_cpu_usermode_usage: bigint(),
    pre_system_cpu_usage: bigint(),
    pre_online_cpus: integer(),
    memory_usage: bigint(),
    memory_cached: bigint(),
    memory_inactive_file: bigint(),
    memory_total_inactive_file: bigint(),
    memory_max_usage: bigint(),
    memory_limit: bigint(),
    network_rx_bytes: bigint(),
    network_tx_bytes: bigint(),
  },
  generate(ctx) {
    const rows: Row[] = [];
    for (const id of hashConstraints(ctx, 'id')) {
      // The daemon samples for about a second before answering.
      const stats = dockerGet(`/containers/${id}/stats?stream=false`, 5000);
      if (stats !== null && typeof stats === 'object') rows.push(statsRow(id, stats));
    }
    return rows;
  },
});
