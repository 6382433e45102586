// Tables of the system area. Each table lives in its own file; list it here.
import type { Table } from '../framework.js';
import { cpuTime } from './cpu_time.js';
import { kernelInfo } from './kernel_info.js';
import { kernelModules } from './kernel_modules.js';
import { loadAverage } from './load_average.js';
import { memoryInfo } from './memory_info.js';
import { memoryMap } from './memory_map.js';
import { mounts } from './mounts.js';
import { osVersion } from './os_version.js';
import { processEnvs } from './process_envs.js';
import { processMemoryMap } from './process_memory_map.js';
import { processNamespaces } from './process_namespaces.js';
import { processOpenFiles } from './process_open_files.js';
import { processOpenPipes } from './process_open_pipes.js';
import { processes } from './processes.js';
import { sharedMemory } from './shared_memory.js';
import { startupItems } from './startup_items.js';
import { systemControls } from './system_controls.js';
import { systemInfo } from './system_info.js';
import { systemdUnits } from './systemd_units.js';
import { ulimitInfo } from './ulimit_info.js';
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
  systemControls,
  ulimitInfo,
  processMemoryMap,
  processNamespaces,
  processOpenPipes,
  sharedMemory,
  startupItems,
  systemdUnits,
  memoryMap,
];
