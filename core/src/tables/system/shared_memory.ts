// shared_memory: the System V shared memory segments of this IPC namespace,
// from /proc/sysvipc/shm (the same records shmctl(SHM_STAT) returns).
// Owner and creator uids are shown only when a user has that uid, as osquery
// resolves them through getpwuid.

import { readText } from '../../lib/fs.js';
import { splitNonBlank } from '../../lib/split.js';
import { readPasswd } from '../accounts/util.js';
import { modeString } from '../files/util.js';
import { defineTable, integer, type Row, bigint as sqlBigint, text } from '../framework.js';

const SHM_DEST = 0o1000;
const SHM_LOCKED = 0o2000;

/** Rows from the text of /proc/sysvipc/shm; `knownUid` says whether a uid has a user. */
export function parseSysvShm(content: string, knownUid: (uid: number) => boolean): Row[] {
  const lines = content.split('\n');
  const header = splitNonBlank(lines[0] ?? '', ' ');
  const rows: Row[] = [];
  for (const line of lines.slice(1)) {
    const f = splitNonBlank(line, ' ');
    if (f.length < header.length || f.length === 0) continue;
    const v = (name: string): string => f[header.indexOf(name)] ?? '';
    const n = (name: string): number => Number(v(name));
    const mode = Number.parseInt(v('perms'), 8);
    const row: Row = {
      shmid: n('shmid'),
      pid: n('lpid'),
      creator_pid: n('cpid'),
      atime: n('atime'),
      dtime: n('dtime'),
      ctime: n('ctime'),
      permissions: modeString(mode),
      size: n('size'),
      attached: n('nattch'),
      status: mode & SHM_DEST ? 'dest' : '',
      locked: mode & SHM_LOCKED ? 1 : 0,
    };
    if (knownUid(n('uid'))) row.owner_uid = n('uid');
    if (knownUid(n('cuid'))) row.creator_uid = n('cuid');
    rows.push(row);
  }
  return rows;
}

export const sharedMemory = defineTable({
  name: 'shared_memory',
  columns: {
    shmid: integer(),
    owner_uid: sqlBigint(),
    creator_uid: sqlBigint(),
    pid: sqlBigint(),
    creator_pid: sqlBigint(),
    atime: sqlBigint(),
    dtime: sqlBigint(),
    ctime: sqlBigint(),
    permissions: text(),
    size: sqlBigint(),
    attached: integer(),
    status: text(),
    locked: integer(),
  },
  generate() {
    const content = readText('/proc/sysvipc/shm');
    if (content === null) return [];
    const uids = new Set(readPasswd().map((u) => u.uid));
    return parseSysvShm(content, (uid) => uids.has(uid));
  },
});
