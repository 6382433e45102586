// osq's own tables: osquery_info, _flags, _registry, _extensions, _schedule, _packs, _events, time.
import type { Table } from '../framework.js';
import { osqueryEvents } from './osquery_events.js';
import { osqueryExtensions } from './osquery_extensions.js';
import { osqueryFlags } from './osquery_flags.js';
import { osqueryInfo } from './osquery_info.js';
import { osqueryPacks } from './osquery_packs.js';
import { osqueryRegistry } from './osquery_registry.js';
import { osquerySchedule } from './osquery_schedule.js';
import { time } from './time.js';

export const utilityTables: Table[] = [
  osqueryInfo,
  osqueryFlags,
  osqueryRegistry,
  osqueryExtensions,
  osquerySchedule,
  osqueryPacks,
  osqueryEvents,
  time,
];
