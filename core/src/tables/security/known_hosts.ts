// known_hosts: every entry of each user's ~/.ssh/known_hosts (one row per
// non-empty, non-comment line, the whole line as `key`).

import { joinPath, readText } from '../../lib/fs.js';
import { osquerySplit } from '../../lib/split.js';
import { usersForContext } from '../accounts/util.js';
import { bigint, defineTable, type Row, text } from '../framework.js';

export function knownHostsRows(uid: number, file: string, content: string): Row[] {
  const rows: Row[] = [];
  for (const line of osquerySplit(content, '\n')) {
    if (line !== '' && !line.startsWith('#')) rows.push({ uid, key: line, key_file: file });
  }
  return rows;
}

export const knownHosts = defineTable({
  name: 'known_hosts',
  attributes: { user_data: true, no_pkey: true },
  columns: {
    uid: bigint({ index: true, optimized: true }),
    key: text(),
    key_file: text(),
  },
  generate(ctx) {
    const uids = ctx.integerEquals('uid');
    const rows: Row[] = [];
    for (const user of usersForContext(uids.length > 0 ? uids : null)) {
      const file = joinPath(user.dir, '.ssh/known_hosts');
      const content = readText(file);
      if (content !== null) rows.push(...knownHostsRows(user.uid, file, content));
    }
    return rows;
  },
});
