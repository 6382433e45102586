// Tables of the system area. Each table lives in its own file; list it here.
import type { Table } from '../framework.js';
import { cpuTime } from './cpu_time.js';
import { kernelInfo } from './kernel_info.js';
import { kernelModules } from './kernel_modules.js';
import { loadAverage } from './load_average.js';
import { memoryInfo } from './memory_info.js';
import { mounts } from './mounts.js';
import { osVersion } from './os_version.js';
import { processEnvs } from './process_envs.js';
import { processOpenFiles } from './process_open_files.js';
import { processes } from './processes.js';
import { systemInfo } from './system_info.js';
import { uptime } from './uptime.js';

export const systemTables: Table[] = [
  processes,
  processEnvs,
  processOpenFiles,
  kernelModules,
  osVersion,
  kernelInfo,
  systemInfo,
  uptime,
  loadAverage,
  memoryInfo,
  cpuTime,
  mounts,
];
