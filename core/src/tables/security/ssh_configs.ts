// ssh_configs: the options of each user's ~/.ssh/config and of the system-wide
// /etc/ssh/ssh_config (uid 0), each tagged with the Host/Match block it is in.
// Lines are trimmed and lower-cased, as osquery reports them.

import { joinPath, readText } from '../../lib/fs.js';
import { osquerySplit } from '../../lib/split.js';
import { usersForContext } from '../accounts/util.js';
import { bigint, defineTable, type Row, text } from '../framework.js';

export const SYSTEM_SSH_CONFIG = '/etc/ssh/ssh_config';

export function sshConfigRows(uid: number, file: string, content: string): Row[] {
  const rows: Row[] = [];
  let block = '';
  for (const raw of osquerySplit(content, '\n')) {
    const line = raw.toLowerCase();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('host ') || line.startsWith('match ')) {
      block = line;
      continue;
    }
    rows.push({ uid, block, option: line, ssh_config_file: file });
  }
  return rows;
}

export const sshConfigs = defineTable({
  name: 'ssh_configs',
  attributes: { user_data: true, no_pkey: true },
  columns: {
    uid: bigint({ additional: true, optimized: true }),
    block: text(),
    option: text(),
    ssh_config_file: text(),
  },
  generate(ctx) {
    const uids = ctx.integerEquals('uid');
    const rows: Row[] = [];
    for (const user of usersForContext(uids.length > 0 ? uids : null)) {
      const file = joinPath(user.dir, '.ssh/config');
      const content = readText(file);
      if (content !== null) rows.push(...sshConfigRows(user.uid, file, content));
    }
    // The system-wide file is always read (the engine filters on uid).
    const system = readText(SYSTEM_SSH_CONFIG);
    if (system !== null) rows.push(...sshConfigRows(0, SYSTEM_SSH_CONFIG, system));
    return rows;
  },
});
