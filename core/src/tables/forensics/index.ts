// Tables of the forensics area. Each table lives in its own file; list it here.
import type { Table } from '../framework.js';
import { augeas } from './augeas.js';
import { carbonBlackInfo } from './carbon_black_info.js';
import { carves } from './carves.js';
import { certificates } from './certificates.js';
import { deviceFile } from './device_file.js';
import { deviceHash } from './device_hash.js';
import { devicePartitions } from './device_partitions.js';
import { intelMeInfo } from './intel_me_info.js';
import { magic } from './magic.js';
import { msr } from './msr.js';
import { yaraFile } from './yara_file.js';
import { yaraProcess } from './yara_process.js';

export const forensicsTables: Table[] = [
  augeas,
  carbonBlackInfo,
  carves,
  certificates,
  deviceFile,
  deviceHash,
  devicePartitions,
  intelMeInfo,
  magic,
  msr,
  yaraFile,
  yaraProcess,
];
