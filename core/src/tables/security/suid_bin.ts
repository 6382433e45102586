// suid_bin: setuid/setgid regular files below osquery's fixed list of binary
// directories. Symlinked directories inside a tree are not followed, but a
// symlink to a setuid file is reported under its own path (the root paths
// themselves, such as /bin -> usr/bin, are followed, so merged-/usr systems
// list such files twice, as osquery does).
import { type Dirent, readdirSync, statSync } from 'node:fs';
import { joinPath } from '../../lib/fs.js';
import { readGroups, readPasswd } from '../accounts/util.js';
import { defineTable, integer, type Row, text } from '../framework.js';

export const BINARY_SEARCH_PATHS = [
  '/bin',
  '/sbin',
  '/usr/bin',
  '/usr/sbin',
  '/usr/local/bin',
  '/usr/local/sbin',
  '/tmp',
];

const S_ISUID = 0o4000;
const S_ISGID = 0o2000;

interface Names {
  user(uid: number): string;
  group(gid: number): string;
}

function nameLookups(): Names {
  const users = new Map<number, string>();
  for (const u of readPasswd()) if (!users.has(u.uid)) users.set(u.uid, u.name);
  const groups = new Map<number, string>();
  for (const g of readGroups()) if (!groups.has(g.gid)) groups.set(g.gid, g.name);
  // An id without a name is shown as the number.
  return {
    user: (uid) => users.get(uid) ?? String(uid),
    group: (gid) => groups.get(gid) ?? String(gid),
  };
}

/** A row for `path` when it is (or links to) a setuid/setgid regular file. */
function suidRow(path: string, names: Names): Row | null {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    return null;
  }
  if (!st.isFile() || (st.mode & (S_ISUID | S_ISGID)) === 0) return null;
  let permissions = '';
  if (st.mode & S_ISUID) permissions += 'S';
  if (st.mode & S_ISGID) permissions += 'G';
  return {
    path,
    username: names.user(st.uid),
    groupname: names.group(st.gid),
    permissions,
    pid_with_namespace: 0,
  };
}

/** Walk one tree depth-first; a directory that cannot be read ends the walk (osquery stops there too). */
function walk(dir: string, names: Names, rows: Row[]): void {
  const entries: Dirent[] = readdirSync(dir, { withFileTypes: true });
  for (const entry of entries) {
    const full = joinPath(dir, entry.name);
    if (entry.isDirectory()) {
      walk(full, names, rows);
      continue;
    }
    const row = suidRow(full, names);
    if (row) rows.push(row);
  }
}

export function suidRows(roots: readonly string[]): Row[] {
  const names = nameLookups();
  const rows: Row[] = [];
  for (const root of roots) {
    try {
      if (!statSync(root).isDirectory()) continue;
      walk(root, names, rows);
    } catch {
      // Missing root, or an unreadable directory inside it: keep what was found.
    }
  }
  return rows;
}

export const suidBin = defineTable({
  name: 'suid_bin',
  attributes: { cacheable: true },
  columns: {
    path: text(),
    username: text(),
    groupname: text(),
    permissions: text(),
    pid_with_namespace: integer({ hidden: true, additional: true, platforms: ['linux'] }),
  },
  generate() {
    return suidRows(BINARY_SEARCH_PATHS);
  },
});
