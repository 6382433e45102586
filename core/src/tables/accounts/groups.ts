// groups: local groups from /etc/group, one row per gid (later duplicates of a
// gid are skipped, as osquery's enumeration does).
import { bigint, defineTable, integer, text } from '../framework.js';
import { readGroups, signed32 } from './util.js';

export const groups = defineTable({
  name: 'groups',
  columns: {
    gid: bigint({ index: true }),
    gid_signed: bigint(),
    groupname: text(),
    group_sid: text({ index: true, platforms: ['windows'] }),
    comment: text({ platforms: ['windows'] }),
    is_hidden: integer({ platforms: ['darwin'] }),
    pid_with_namespace: integer({ hidden: true, additional: true, platforms: ['linux'] }),
  },
  generate(ctx) {
    const wanted = ctx.integerEquals('gid');
    const seen = new Set<number>();
    const rows = [];
    for (const g of readGroups()) {
      if (seen.has(g.gid)) continue;
      if (wanted.length > 0 && !wanted.includes(g.gid)) continue;
      seen.add(g.gid);
      rows.push({ gid: g.gid, gid_signed: signed32(g.gid), groupname: g.name, pid_with_namespace: 0 });
    }
    return rows;
  },
});
