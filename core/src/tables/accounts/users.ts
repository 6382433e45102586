// users: local user accounts. Like osquery 5 on Linux, the default reads
// /etc/passwd itself; `include_remote = 1` asks NSS (LDAP, systemd, ...) too.
import { runToolText } from '../../lib/tool.js';
import { bigint, defineTable, integer, type Row, text } from '../framework.js';
import { type PasswdEntry, parsePasswd, readPasswd, signed32 } from './util.js';

function userRow(u: PasswdEntry, includeRemote: number): Row {
  return {
    uid: u.uid,
    gid: u.gid,
    uid_signed: signed32(u.uid),
    gid_signed: signed32(u.gid),
    username: u.name,
    description: u.gecos,
    directory: u.dir,
    shell: u.shell,
    uuid: '',
    pid_with_namespace: 0,
    include_remote: includeRemote,
  };
}

/** Every account NSS knows (`getent passwd`), for include_remote = 1. */
function nssUsers(): PasswdEntry[] {
  const out = runToolText('getent', ['passwd']);
  return out === null ? readPasswd() : parsePasswd(out);
}

export const users = defineTable({
  name: 'users',
  columns: {
    uid: bigint({ index: true }),
    gid: bigint(),
    uid_signed: bigint(),
    gid_signed: bigint(),
    username: text({ additional: true }),
    description: text(),
    directory: text(),
    shell: text(),
    uuid: text({ index: true, collate: 'nocase' }),
    type: text({ platforms: ['windows'] }),
    is_hidden: integer({ platforms: ['darwin'] }),
    pid_with_namespace: integer({ hidden: true, additional: true, platforms: ['linux'] }),
    include_remote: integer({ hidden: true, additional: true, platforms: ['linux'] }),
  },
  generate(ctx) {
    const includeRemote = ctx.integerEquals('include_remote').includes(1) ? 1 : 0;
    let list = includeRemote ? nssUsers() : readPasswd();
    // Narrow by uid first, else by username, as osquery's lookups do.
    const uids = ctx.integerEquals('uid');
    const names = ctx.equals('username');
    if (uids.length > 0) list = list.filter((u) => uids.includes(u.uid));
    else if (names.length > 0) list = list.filter((u) => names.includes(u.name));
    return list.map((u) => userRow(u, includeRemote));
  },
});
