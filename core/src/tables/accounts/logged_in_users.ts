// logged_in_users: the records of the utmp file (/var/run/utmp), read as the
// binary struct utmp. Records of pid 1 (init's own bookkeeping) are skipped as
// osquery does.
import { bigint, defineTable, integer, type Row, text } from '../framework.js';
import { readUtmpFile, UTMP_FILE, UtType } from './util.js';

const typeNames = new Map<number, string>([
  [UtType.EMPTY, 'empty'],
  [UtType.BOOT_TIME, 'boot_time'],
  [UtType.NEW_TIME, 'new_time'],
  [UtType.OLD_TIME, 'old_time'],
  [UtType.INIT_PROCESS, 'init'],
  [UtType.LOGIN_PROCESS, 'login'],
  [UtType.USER_PROCESS, 'user'],
  [UtType.DEAD_PROCESS, 'dead'],
  [UtType.RUN_LVL, 'runlevel'],
  [UtType.ACCOUNTING, 'accounting'],
]);

export const loggedInUsers = defineTable({
  name: 'logged_in_users',
  attributes: { cacheable: true },
  columns: {
    type: text(),
    user: text(),
    tty: text(),
    host: text(),
    time: bigint(),
    pid: integer(),
    sid: text({ platforms: ['windows'] }),
    registry_hive: text({ platforms: ['windows'] }),
  },
  generate() {
    const rows: Row[] = [];
    for (const ut of readUtmpFile(UTMP_FILE)) {
      if (ut.pid === 1) continue;
      rows.push({
        type: typeNames.get(ut.type) ?? 'unknown',
        user: ut.user,
        tty: ut.line,
        host: ut.host,
        time: ut.time,
        pid: ut.pid,
      });
    }
    return rows;
  },
});
