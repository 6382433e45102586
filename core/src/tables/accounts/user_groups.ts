// user_groups: each user's groups as getgrouplist(3) gives them: the primary
// group first, then every /etc/group entry that lists the user as a member.
import { bigint, defineTable, type Row } from '../framework.js';
import { type GroupEntry, type PasswdEntry, readGroups, readPasswd } from './util.js';

/** The gids getgrouplist() returns for a user, without duplicates, primary first. */
export function groupListFor(user: PasswdEntry, groups: readonly GroupEntry[]): number[] {
  const out = [user.gid];
  for (const g of groups) {
    if (g.gid === user.gid || out.includes(g.gid)) continue;
    if (g.members.includes(user.name)) out.push(g.gid);
  }
  return out;
}

export const userGroups = defineTable({
  name: 'user_groups',
  columns: {
    uid: bigint({ index: true, optimized: true }),
    gid: bigint({ index: true }),
  },
  generate(ctx) {
    const wanted = ctx.integerEquals('uid');
    const groups = readGroups();
    const seen = new Set<number>();
    const rows: Row[] = [];
    for (const user of readPasswd()) {
      // One user per uid: osquery skips later accounts sharing a uid.
      if (seen.has(user.uid)) continue;
      seen.add(user.uid);
      if (wanted.length > 0 && !wanted.includes(user.uid)) continue;
      for (const gid of groupListFor(user, groups)) rows.push({ uid: user.uid, gid });
    }
    return rows;
  },
});
