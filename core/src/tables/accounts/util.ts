// Shared helpers of the accounts area: the passwd/group databases as files
// (what glibc's "files" NSS source reads), the users a per-user table visits,
// and the binary utmp/wtmp records.
import { readBytes, readText } from '../../lib/fs.js';
import type { QueryContext } from '../framework.js';

export const PASSWD_FILE = '/etc/passwd';
export const GROUP_FILE = '/etc/group';
/** glibc's _PATH_UTMPX and _PATH_WTMP. */
export const UTMP_FILE = '/var/run/utmp';
export const WTMP_FILE = '/var/log/wtmp';

/** Parse a decimal id the way glibc's parser accepts it; null when not a number. */
function parseId(field: string): number | null {
  if (!/^[0-9]+$/.test(field)) return null;
  const n = Number(field);
  return n <= 0xffffffff ? n : null;
}

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  gecos: string;
  dir: string;
  shell: string;
}

/** Entries of a passwd(5) file in file order; blank, comment and malformed lines are skipped. */
export function parsePasswd(content: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of content.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 7) continue;
    const uid = parseId(f[2] ?? '');
    const gid = parseId(f[3] ?? '');
    if (uid === null || gid === null) continue;
    out.push({
      name: f[0] ?? '',
      uid,
      gid,
      gecos: f[4] ?? '',
      dir: f[5] ?? '',
      // The shell is the last field; anything after it stays part of it.
      shell: f.slice(6).join(':'),
    });
  }
  return out;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/** Entries of a group(5) file in file order. */
export function parseGroup(content: string): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const line of content.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 4) continue;
    const gid = parseId(f[2] ?? '');
    if (gid === null) continue;
    const members = (f[3] ?? '').split(',').filter((m) => m !== '');
    out.push({ name: f[0] ?? '', gid, members });
  }
  return out;
}

export function readPasswd(): PasswdEntry[] {
  return parsePasswd(readText(PASSWD_FILE) ?? '');
}

export function readGroups(): GroupEntry[] {
  return parseGroup(readText(GROUP_FILE) ?? '');
}

/** An unsigned 32-bit id as the C cast (int32_t) shows it. */
export function signed32(id: number): number {
  return id | 0;
}

/**
 * The users whose home directories per-user tables visit: those with a
 * `uid =` constraint when there is one (osquery asks the users table once per
 * value), else every user.
 */
export function usersForContext(uids: readonly number[] | null): PasswdEntry[] {
  const all = readPasswd();
  if (uids === null) return all;
  const out: PasswdEntry[] = [];
  for (const uid of new Set(uids)) out.push(...all.filter((u) => u.uid === uid));
  return out;
}

/**
 * The users a per-user table visits, as osquery's usersFromContext() picks them:
 * the `uid =` values when the query has some, else only the user running the
 * query (so `SELECT * FROM chrome_extensions` needs a JOIN on users to see
 * other people's data), or every user when `all` is set.
 */
export function contextUsers(ctx: QueryContext, all = false): PasswdEntry[] {
  const uids = ctx.integerEquals('uid');
  if (uids.length > 0) return usersForContext(uids);
  if (all) return readPasswd();
  const self = process.getuid?.() ?? 0;
  return usersForContext([self]);
}

// --- utmp / wtmp -------------------------------------------------------------

/** sizeof(struct utmp) with glibc on x86_64 (and aarch64). */
export const UTMP_RECORD_SIZE = 384;

export interface UtmpRecord {
  type: number;
  pid: number;
  line: string;
  id: string;
  user: string;
  host: string;
  session: number;
  /** ut_tv.tv_sec */
  time: number;
  usec: number;
}

/** A fixed-size char array up to its first NUL. */
function cString(buf: Buffer, start: number, length: number): string {
  const end = buf.indexOf(0, start);
  const stop = end === -1 || end > start + length ? start + length : end;
  return buf.toString('utf8', start, stop);
}

/** Decode one struct utmp at `offset` (glibc layout: 32-bit time fields). */
export function decodeUtmp(buf: Buffer, offset: number): UtmpRecord {
  return {
    type: buf.readInt16LE(offset),
    pid: buf.readInt32LE(offset + 4),
    line: cString(buf, offset + 8, 32),
    id: cString(buf, offset + 40, 4),
    user: cString(buf, offset + 44, 32),
    host: cString(buf, offset + 76, 256),
    session: buf.readInt32LE(offset + 336),
    time: buf.readInt32LE(offset + 340),
    usec: buf.readInt32LE(offset + 344),
  };
}

/** Every whole record of a utmp-format file (a trailing partial record is ignored, as glibc does). */
export function readUtmpFile(path: string): UtmpRecord[] {
  const buf = readBytes(path);
  if (buf === null) return [];
  const out: UtmpRecord[] = [];
  for (let off = 0; off + UTMP_RECORD_SIZE <= buf.length; off += UTMP_RECORD_SIZE) {
    out.push(decodeUtmp(buf, off));
  }
  return out;
}

/** ut_type values from <utmp.h>. */
export const UtType = {
  EMPTY: 0,
  RUN_LVL: 1,
  BOOT_TIME: 2,
  NEW_TIME: 3,
  OLD_TIME: 4,
  INIT_PROCESS: 5,
  LOGIN_PROCESS: 6,
  USER_PROCESS: 7,
  DEAD_PROCESS: 8,
  ACCOUNTING: 9,
} as const;
