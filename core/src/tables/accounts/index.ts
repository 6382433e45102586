// Tables of the accounts area. Each table lives in its own file; list it here.
import type { Table } from '../framework.js';
import { authorizedKeys } from './authorized_keys.js';
import { crontab } from './crontab.js';
import { groups } from './groups.js';
import { last } from './last.js';
import { loggedInUsers } from './logged_in_users.js';
import { shellHistory } from './shell_history.js';
import { userGroups } from './user_groups.js';
import { users } from './users.js';

export const accountsTables: Table[] = [
  users,
  groups,
  userGroups,
  loggedInUsers,
  last,
  crontab,
  shellHistory,
  authorizedKeys,
];
