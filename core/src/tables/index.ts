// Every table the core serves, gathered from the area folders.
import { accountsTables } from './accounts/index.js';
import { filesTables } from './files/index.js';
import type { Table } from './framework.js';
import { networkingTables } from './networking/index.js';
import { systemTables } from './system/index.js';
import { utilityTables } from './utility/index.js';

export const coreTables: Table[] = [
  ...systemTables,
  ...networkingTables,
  ...accountsTables,
  ...filesTables,
  ...utilityTables,
];
