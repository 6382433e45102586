// processes: one row per process, read from /proc/<pid>/{stat,status,cmdline,exe,cwd,root,io,cgroup}.
// Values follow osquery on Linux: times in milliseconds, sizes in bytes, start_time in
// epoch seconds derived from boot time.
import { statSync } from 'node:fs';
import { pathExists, readLink, readText } from '../../lib/fs.js';
import { bootTime, clockTicks, pidsToVisit } from '../../lib/proc.js';
import { splitKeyValue, splitNonBlank } from '../../lib/split.js';
import { bigint, defineTable, integer, type QueryContext, type Row, text } from '../framework.js';
import { toInt } from './util.js';

/** The fields of /proc/<pid>/stat that osquery reports (all still text). */
interface StatFields {
  state: string;
  parent: string;
  pgroup: string;
  userTicks: string;
  systemTicks: string;
  nice: string;
  threads: string;
  startTicks: string;
}

/** Parse /proc/<pid>/stat; the command name in parentheses may hold spaces and ')'. */
export function parseStat(content: string): StatFields | null {
  const close = content.lastIndexOf(')');
  if (close < 0 || content.length <= close + 2) return null;
  const f = splitNonBlank(content.slice(close + 2), ' ');
  if (f.length <= 19) return null;
  return {
    state: f[0] ?? '',
    parent: f[1] ?? '',
    pgroup: f[2] ?? '',
    userTicks: f[11] ?? '',
    systemTicks: f[12] ?? '',
    nice: f[16] ?? '',
    threads: f[17] ?? '',
    startTicks: f[19] ?? '',
  };
}

interface StatusFields {
  name?: string;
  uid?: string;
  euid?: string;
  suid?: string;
  gid?: string;
  egid?: string;
  sgid?: string;
  /** Bytes (the file says kB, which is 1024 bytes). */
  residentSize?: number;
  totalSize?: number;
}

/** Parse /proc/<pid>/status for the name, the id sets and the memory sizes. */
export function parseStatus(content: string): StatusFields {
  const out: StatusFields = {};
  for (const line of content.split('\n')) {
    const kv = splitKeyValue(line, ':');
    if (kv === null) continue;
    const [key, value] = kv;
    if (key === 'Name') out.name = value;
    else if (key === 'VmRSS') out.residentSize = kilobytes(value);
    else if (key === 'VmSize') out.totalSize = kilobytes(value);
    else if (key === 'Uid' || key === 'Gid') {
      // Real, effective, saved, filesystem.
      const ids = value.split('\t');
      if (ids.length !== 4) continue;
      if (key === 'Uid') [out.uid, out.euid, out.suid] = ids;
      else [out.gid, out.egid, out.sgid] = ids;
    }
  }
  return out;
}

function kilobytes(value: string): number | undefined {
  const kb = toInt(value.replace(/\s*kB$/, ''));
  return kb === undefined ? undefined : kb * 1024;
}

/** read_bytes, and write_bytes less cancelled_write_bytes, from /proc/<pid>/io. */
export function parseIo(content: string): { read?: number; written: number } {
  const values = new Map<string, string>();
  for (const line of content.split('\n')) {
    const kv = splitKeyValue(line, ':');
    if (kv !== null) values.set(kv[0], kv[1]);
  }
  const write = toInt(values.get('write_bytes')) ?? 0;
  const cancelled = toInt(values.get('cancelled_write_bytes')) ?? 0;
  return { read: toInt(values.get('read_bytes')), written: write - cancelled };
}

/** The cgroup path of the first line of /proc/<pid>/cgroup ("0::/user.slice" -> "/user.slice"). */
export function parseCgroup(content: string): string {
  const firstLine = content.split('\n')[0] ?? '';
  const first = firstLine.indexOf(':');
  if (first < 0) return '';
  const second = firstLine.indexOf(':', first + 1);
  return second < 0 ? '' : firstLine.slice(second + 1);
}

/** The command line with its NUL separators turned into spaces, trimmed. */
function readCmdline(pid: number): string {
  const raw = readText(`/proc/${pid}/cmdline`);
  return raw === null ? '' : raw.replaceAll('\0', ' ').trim();
}

const DELETED = ' (deleted)';

/**
 * on_disk: 1 if the executable exists, 0 if not, -1 if the path is unknown.
 * A deleted binary shows as "<path> (deleted)"; the suffix is dropped from the path
 * unless a file with that literal name is the very binary (same inode in maps).
 */
function onDisk(pid: number, path: string): { path: string; onDisk: number } {
  if (path === '') return { path, onDisk: -1 };
  if (!path.endsWith(DELETED)) return { path, onDisk: pathExists(path) ? 1 : 0 };
  const stripped = path.slice(0, -DELETED.length);
  if (!pathExists(path)) return { path: stripped, onDisk: 0 };
  const maps = readText(`/proc/${pid}/maps`);
  if (maps === null) return { path, onDisk: -1 };
  const inode = mappedInode(maps, path);
  if (inode === null) return { path, onDisk: -1 };
  const st = statInode(path);
  if (st === null) return { path, onDisk: -1 };
  return st === inode ? { path, onDisk: 1 } : { path: stripped, onDisk: 0 };
}

function mappedInode(maps: string, path: string): string | null {
  for (const line of maps.split('\n')) {
    const at = line.indexOf(path);
    if (at < 0) continue;
    const m = /(\d+)\s+$/.exec(line.slice(0, at));
    if (m?.[1] !== undefined) return m[1];
  }
  return null;
}

function statInode(path: string): string | null {
  try {
    return String(statSync(path, { bigint: true }).ino);
  } catch {
    return null;
  }
}

// Columns grouped by the /proc file they come from, so a query reads only what it needs.
const STAT_COLUMNS = [
  'state',
  'parent',
  'pgroup',
  'nice',
  'threads',
  'user_time',
  'system_time',
  'start_time',
];
const STATUS_COLUMNS = ['name', 'uid', 'gid', 'euid', 'egid', 'suid', 'sgid', 'resident_size', 'total_size'];
const IO_COLUMNS = ['disk_bytes_read', 'disk_bytes_written'];

interface Clock {
  msPerTick: number;
  ticksPerSecond: number;
  bootTime: number;
}

function genProcess(pid: number, ctx: QueryContext, clock: Clock): Row | null {
  const row: Row = { pid };

  if (ctx.isAnyColumnUsed(STAT_COLUMNS)) {
    const content = readText(`/proc/${pid}/stat`);
    const stat = content === null ? null : parseStat(content);
    // A malformed stat drops the process; an unreadable one leaves its fields empty.
    if (content !== null && stat === null) return null;
    row.state = stat?.state ?? '';
    row.parent = toInt(stat?.parent);
    row.pgroup = toInt(stat?.pgroup);
    row.nice = toInt(stat?.nice);
    row.threads = toInt(stat?.threads);
    row.user_time = (toInt(stat?.userTicks) ?? 0) * clock.msPerTick;
    row.system_time = (toInt(stat?.systemTicks) ?? 0) * clock.msPerTick;
    const start = toInt(stat?.startTicks);
    row.start_time =
      start !== undefined && clock.bootTime > 0
        ? clock.bootTime + Math.floor(start / clock.ticksPerSecond)
        : -1;
  }

  if (ctx.isAnyColumnUsed(STATUS_COLUMNS)) {
    // osquery skips a process whose status it cannot read (it exited meanwhile).
    const content = readText(`/proc/${pid}/status`);
    if (content === null) return null;
    const st = parseStatus(content);
    row.name = st.name;
    row.uid = toInt(st.uid);
    row.euid = toInt(st.euid);
    row.suid = toInt(st.suid);
    row.gid = toInt(st.gid);
    row.egid = toInt(st.egid);
    row.sgid = toInt(st.sgid);
    row.resident_size = st.residentSize;
    row.total_size = st.totalSize;
  }

  if (ctx.isAnyColumnUsed(['path', 'on_disk'])) {
    const exe = onDisk(pid, readLink(`/proc/${pid}/exe`) ?? '');
    row.path = exe.path;
    row.on_disk = exe.onDisk;
  }
  if (ctx.isColumnUsed('cmdline')) row.cmdline = readCmdline(pid);
  if (ctx.isColumnUsed('cwd')) row.cwd = readLink(`/proc/${pid}/cwd`) ?? '';
  if (ctx.isColumnUsed('root')) row.root = readLink(`/proc/${pid}/root`) ?? '';
  if (ctx.isColumnUsed('cgroup_path')) {
    const cg = readText(`/proc/${pid}/cgroup`);
    row.cgroup_path = cg === null ? '' : parseCgroup(cg);
  }
  // Linux has no counter of unpageable memory.
  row.wired_size = 0;

  if (ctx.isAnyColumnUsed(IO_COLUMNS)) {
    // /proc/<pid>/io needs privileges; without them both columns stay NULL.
    const io = readText(`/proc/${pid}/io`);
    if (io !== null) {
      const parsed = parseIo(io);
      row.disk_bytes_read = parsed.read;
      row.disk_bytes_written = parsed.written;
    }
  }
  return row;
}

export const processes = defineTable({
  name: 'processes',
  attributes: { cacheable: true },
  columns: {
    pid: bigint({ index: true, optimized: true }),
    name: text(),
    path: text(),
    cmdline: text(),
    state: text(),
    cwd: text(),
    root: text(),
    uid: bigint(),
    gid: bigint(),
    euid: bigint(),
    egid: bigint(),
    suid: bigint(),
    sgid: bigint(),
    on_disk: integer(),
    wired_size: bigint(),
    resident_size: bigint(),
    total_size: bigint(),
    user_time: bigint(),
    system_time: bigint(),
    disk_bytes_read: bigint(),
    disk_bytes_written: bigint(),
    start_time: bigint(),
    parent: bigint(),
    pgroup: bigint(),
    threads: integer(),
    nice: integer(),
    elevated_token: integer({ platforms: ['windows'] }),
    secure_process: integer({ platforms: ['windows'] }),
    protection_type: text({ platforms: ['windows'] }),
    virtual_process: integer({ platforms: ['windows'] }),
    elapsed_time: bigint({ platforms: ['windows'] }),
    handle_count: bigint({ platforms: ['windows'] }),
    percent_processor_time: bigint({ platforms: ['windows'] }),
    upid: bigint({ platforms: ['darwin'] }),
    uppid: bigint({ platforms: ['darwin'] }),
    cpu_type: integer({ platforms: ['darwin'] }),
    cpu_subtype: integer({ platforms: ['darwin'] }),
    translated: integer({ platforms: ['darwin'] }),
    cgroup_path: text({ platforms: ['linux'] }),
  },
  *generate(ctx) {
    const ticks = clockTicks();
    // osquery multiplies by the whole number of milliseconds in one tick.
    const clock: Clock = { msPerTick: Math.trunc(1000 / ticks), ticksPerSecond: ticks, bootTime: bootTime() };
    for (const pid of pidsToVisit(ctx)) {
      const row = genProcess(pid, ctx, clock);
      if (row !== null) yield row;
    }
  },
});
