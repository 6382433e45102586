// Every table the core serves, gathered from the area folders.
import { accountsTables } from './accounts/index.js';
import { applicationsTables } from './applications/index.js';
import { filesTables } from './files/index.js';
import { forensicsTables } from './forensics/index.js';
import type { Table } from './framework.js';
import { hardwareTables } from './hardware/index.js';
import { networkingTables } from './networking/index.js';
import { packagesTables } from './packages/index.js';
import { securityTables } from './security/index.js';
import { servicesTables } from './services/index.js';
import { systemTables } from './system/index.js';
import { utilityTables } from './utility/index.js';

export const coreTables: Table[] = [
  ...systemTables,
  ...networkingTables,
  ...accountsTables,
  ...filesTables,
  ...securityTables,
  ...hardwareTables,
  ...packagesTables,
  ...applicationsTables,
  ...utilityTables,
  ...servicesTables,
  ...forensicsTables,
];
