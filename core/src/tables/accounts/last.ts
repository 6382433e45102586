// last: login and logout records of the wtmp file (/var/log/wtmp). Like
// osquery, only USER_PROCESS and DEAD_PROCESS records become rows.
import { defineTable, integer, type Row, text } from '../framework.js';
import { readUtmpFile, UtType, WTMP_FILE } from './util.js';

const typeNames = new Map<number, string>([
  [UtType.EMPTY, 'empty'],
  [UtType.RUN_LVL, 'run-level'],
  [UtType.BOOT_TIME, 'boot-time'],
  [UtType.NEW_TIME, 'new-time'],
  [UtType.OLD_TIME, 'old-time'],
  [UtType.INIT_PROCESS, 'init-process'],
  [UtType.LOGIN_PROCESS, 'login-process'],
  [UtType.USER_PROCESS, 'user-process'],
  [UtType.DEAD_PROCESS, 'dead-process'],
]);

export const last = defineTable({
  name: 'last',
  attributes: { cacheable: true },
  columns: {
    username: text(),
    tty: text(),
    pid: integer(),
    type: integer(),
    type_name: text(),
    time: integer(),
    host: text(),
  },
  generate() {
    const rows: Row[] = [];
    for (const ut of readUtmpFile(WTMP_FILE)) {
      if (ut.type !== UtType.USER_PROCESS && ut.type !== UtType.DEAD_PROCESS) continue;
      rows.push({
        username: ut.user,
        tty: ut.line,
        pid: ut.pid,
        type: ut.type,
        type_name: typeNames.get(ut.type) ?? '',
        time: ut.time,
        host: ut.host,
      });
    }
    return rows;
  },
});
