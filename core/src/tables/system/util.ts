// Small helpers shared by the system tables: /proc walking and the few sysconf
// values Node does not expose.
import * as fs from 'node:fs';
import { readBytes, readText } from '../../lib/fs.js';
import { Op, type QueryContext } from '../framework.js';

/**
 * Split on any of the characters in `delims`, trimming every piece and dropping
 * empty ones. This is how osquery tokenizes most /proc content.
 */
export function splitTrim(text: string, delims = ' \t'): string[] {
  const out: string[] = [];
  let piece = '';
  for (const ch of text) {
    if (delims.includes(ch)) {
      pushTrimmed(out, piece);
      piece = '';
    } else {
      piece += ch;
    }
  }
  pushTrimmed(out, piece);
  return out;
}

function pushTrimmed(out: string[], piece: string): void {
  const t = piece.trim();
  if (t !== '') out.push(t);
}

/** "key: value" (or "key=value") split at the first delimiter, both sides trimmed. */
export function splitKeyValue(line: string, delim: string): [string, string] | null {
  const at = line.indexOf(delim);
  if (at < 0) return null;
  return [line.slice(0, at).trim(), line.slice(at + delim.length).trim()];
}

/** Parse a decimal integer cell; anything else becomes NULL (undefined). */
export function toInt(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (!/^-?\d+$/.test(t)) return undefined;
  return Number(t);
}

/** Every pid with a directory in /proc (thread-group leaders only). */
export function allPids(): number[] {
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const name of names) {
    if (/^\d+$/.test(name)) pids.push(Number(name));
  }
  return pids.sort((a, b) => a - b);
}

/** True if /proc/<pid> is a directory (also true for thread ids, as in osquery). */
export function procExists(pid: number): boolean {
  try {
    return fs.statSync(`/proc/${pid}`).isDirectory();
  } catch {
    return false;
  }
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
