// /proc as tables read it: the processes there, the per-process tables' choice of
// pids from a query's constraints, and the few sysconf values Node does not expose
// (they come from this process's auxiliary vector).
import { Op, type QueryContext } from '../tables/framework.js';
import { isDirectory, listDir, readBytes, readText } from './fs.js';

/** Every pid with a directory in /proc (thread-group leaders only). */
export function allPids(): number[] {
  const pids: number[] = [];
  for (const name of listDir('/proc')) {
    if (/^\d+$/.test(name)) pids.push(Number(name));
  }
  return pids.sort((a, b) => a - b);
}

/** True if /proc/<pid> is a directory (also true for thread ids, as in osquery). */
export function procExists(pid: number): boolean {
  return isDirectory(`/proc/${pid}`);
}

/**
 * The pids a per-process table should visit: the `pid = ...`/IN values when the
 * query gives them (only those that exist), otherwise every process.
 */
export function pidsToVisit(ctx: QueryContext, column = 'pid'): number[] {
  if (!ctx.hasConstraint(column, Op.EQ)) return allPids();
  const wanted = new Set(ctx.integerEquals(column).filter((p) => p >= 0));
  return [...wanted].filter(procExists).sort((a, b) => a - b);
}

// Auxiliary vector keys (see getauxval(3)).
const AT_PAGESZ = 6;
const AT_CLKTCK = 17;

let auxv: Map<number, bigint> | undefined;

/** The kernel's auxiliary vector of this process, where sysconf gets CLK_TCK and the page size. */
function auxValue(key: number): number | undefined {
  if (auxv === undefined) {
    auxv = new Map();
    const raw = readBytes('/proc/self/auxv');
    // 64-bit entries: (type, value) pairs of unsigned longs, ended by AT_NULL.
    if (raw !== null) {
      for (let off = 0; off + 16 <= raw.length; off += 16) {
        const type = raw.readBigUInt64LE(off);
        if (type === 0n) break;
        auxv.set(Number(type), raw.readBigUInt64LE(off + 8));
      }
    }
  }
  const v = auxv.get(key);
  return v === undefined ? undefined : Number(v);
}

/** sysconf(_SC_CLK_TCK): the unit of the times in /proc/<pid>/stat and /proc/stat. */
export function clockTicks(): number {
  const v = auxValue(AT_CLKTCK);
  return v !== undefined && v > 0 ? v : 100;
}

/** sysconf(_SC_PAGESIZE). */
export function pageSize(): number {
  const v = auxValue(AT_PAGESZ);
  return v !== undefined && v > 0 ? v : 4096;
}

/**
 * Seconds since boot as sysinfo(2) reports it (what osquery uses): the kernel rounds
 * any fraction of a second up. /proc/uptime reads the same clock truncated to
 * hundredths, so its whole seconds plus one is that value (but at exact seconds).
 * Returns -1 when /proc/uptime cannot be read.
 */
export function uptimeSeconds(): number {
  const text = readText('/proc/uptime');
  const first = text?.trim().split(/\s+/)[0];
  const secs = first === undefined ? Number.NaN : Number.parseFloat(first);
  if (!Number.isFinite(secs)) return -1;
  return Math.floor(secs) + 1;
}

/** Boot time in epoch seconds the way osquery derives it: now minus uptime. */
export function bootTime(): number {
  const up = uptimeSeconds();
  if (up <= 0) return -1;
  return Math.floor(Date.now() / 1000) - up;
}
