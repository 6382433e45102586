// system_info: host identity (names, uuid), CPU description and counts, memory size,
// and the DMI hardware/board strings.

import * as os from 'node:os';
import { hostUuid } from '../../host.js';
import { readText } from '../../lib/fs.js';
import { splitKeyValue, splitNonBlank } from '../../lib/split.js';
import { runToolText } from '../../lib/tool.js';
import { bigint, defineTable, integer, type Row, text } from '../framework.js';

const fqdnCache = new Map<string, { name: string; at: number }>();

/**
 * The canonical name of `host` (getaddrinfo with AI_CANONNAME, as osquery's getFqdn).
 * Node's resolver is asynchronous only, so this asks getent (libc's NSS) and caches
 * the answer for a minute; on any failure the plain host name is kept.
 */
function fullyQualified(host: string): string {
  const hit = fqdnCache.get(host);
  if (hit !== undefined && Date.now() - hit.at < 60_000) return hit.name;
  let name = host;
  // The first line is "address STREAM canonical-name"; without getent, or for an unknown host, keep the name.
  const out = runToolText('getent', ['ahosts', host], { timeoutMs: 2000 });
  const canon = out?.split('\n')[0]?.trim().split(/\s+/)[2];
  if (canon) name = canon;
  fqdnCache.set(host, { name, at: Date.now() });
  return name;
}

/** Parse a "0-3,5,7-8" CPU list (as in /sys/devices/system/cpu/online) into a count. */
export function countCpuList(list: string): number {
  let n = 0;
  for (const part of list.trim().split(',')) {
    const [a, b] = part.split('-').map((x) => Number(x));
    if (a === undefined || !Number.isInteger(a)) continue;
    n += b === undefined ? 1 : Number.isInteger(b) ? b - a + 1 : 0;
  }
  return n;
}

/** Online logical CPUs, as std::thread::hardware_concurrency (get_nprocs) counts them. */
function logicalCores(): number {
  const online = readText('/sys/devices/system/cpu/online');
  const n = online === null ? 0 : countCpuList(online);
  return n > 0 ? n : os.cpus().length;
}

/**
 * Physical cores the way boost::thread::physical_concurrency counts them: distinct
 * (physical id, core id) pairs in /proc/cpuinfo, or the logical count if none.
 */
export function physicalCores(cpuinfo: string, logical: number): number {
  const cores = new Set<string>();
  let physicalId = '0';
  for (const line of cpuinfo.split('\n')) {
    if (line === '') continue;
    const kv = line.split(':');
    if (kv.length !== 2) return logical;
    const key = kv[0]!.trim();
    const value = kv[1]!.trim();
    if (key === 'physical id') physicalId = value;
    else if (key === 'core id') cores.add(`${physicalId}:${value}`);
  }
  return cores.size > 0 ? cores.size : logical;
}

/** cpu_subtype, cpu_microcode, cpu_brand and siblings from the first cpuinfo block. */
export function firstCpuBlock(cpuinfo: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of cpuinfo.split('\n')) {
    if (line === '') break;
    const kv = splitKeyValue(line, ':');
    if (kv === null) continue;
    if (line.startsWith('model\t') && splitNonBlank(line, ':').length === 2) out.cpu_subtype = kv[1];
    else if (line.startsWith('microcode') && splitNonBlank(line, ':').length === 2) out.cpu_microcode = kv[1];
    else if (line.startsWith('siblings') && splitNonBlank(line, ':').length === 2) out.siblings = kv[1];
    else if (kv[0] === 'model name') out.model_name = kv[1];
  }
  return out;
}

/** DMI strings from sysfs: the SMBIOS system (type 1) and baseboard (type 2) records. */
function dmiColumns(): Row {
  const dir = '/sys/class/dmi/id';
  const sysVendor = readText(`${dir}/sys_vendor`);
  // No DMI at all (virtual machines without SMBIOS, some ARM boards).
  if (sysVendor === null && readText(`${dir}/product_name`) === null) return { hardware_model: '' };
  const read = (name: string) => (readText(`${dir}/${name}`) ?? '').trim();
  return {
    hardware_vendor: read('sys_vendor'),
    hardware_model: read('product_name'),
    hardware_version: read('product_version'),
    hardware_serial: read('product_serial'),
    board_vendor: read('board_vendor'),
    board_model: read('board_name'),
    board_version: read('board_version'),
    board_serial: read('board_serial'),
  };
}

export const systemInfo = defineTable({
  name: 'system_info',
  columns: {
    hostname: text(),
    uuid: text({ collate: 'nocase' }),
    cpu_type: text(),
    cpu_subtype: text(),
    cpu_brand: text(),
    cpu_physical_cores: integer(),
    cpu_logical_cores: integer(),
    cpu_sockets: integer(),
    cpu_microcode: text(),
    physical_memory: bigint(),
    hardware_vendor: text(),
    hardware_model: text(),
    hardware_version: text(),
    hardware_serial: text(),
    board_vendor: text(),
    board_model: text(),
    board_version: text(),
    board_serial: text(),
    computer_name: text(),
    local_hostname: text(),
    emulated_cpu_type: text({ platforms: ['windows'] }),
  },
  generate(ctx) {
    const host = os.hostname().trim();
    const fqdn = ctx.isAnyColumnUsed(['hostname', 'local_hostname']) ? fullyQualified(host) : host;
    const cpuinfo = readText('/proc/cpuinfo') ?? '';
    const first = firstCpuBlock(cpuinfo);
    const logical = logicalCores();
    const siblings = Number(first.siblings);
    const row: Row = {
      hostname: fqdn,
      uuid: ctx.isColumnUsed('uuid') ? hostUuid() : undefined,
      cpu_type: os.machine(),
      cpu_subtype: first.cpu_subtype ?? '0',
      // osquery takes the brand from CPUID, which exists on x86_64 only.
      cpu_brand: os.machine() === 'x86_64' ? first.model_name?.trim() : undefined,
      cpu_physical_cores: physicalCores(cpuinfo, logical),
      cpu_logical_cores: logical > 0 ? logical : -1,
      cpu_sockets: Number.isInteger(siblings) && siblings > 0 ? Math.floor(logical / siblings) : undefined,
      cpu_microcode: first.cpu_microcode,
      physical_memory: os.totalmem() > 0 ? os.totalmem() : -1,
      ...dmiColumns(),
      computer_name: host,
      local_hostname: fqdn,
    };
    return [row];
  },
});
