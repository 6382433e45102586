// osq's own tables: osquery_info, osquery_flags, osquery_registry, osquery_extensions, time.
import type { Table } from '../framework.js';
import { osqueryExtensions } from './osquery_extensions.js';
import { osqueryFlags } from './osquery_flags.js';
import { osqueryInfo } from './osquery_info.js';
import { osqueryRegistry } from './osquery_registry.js';
import { time } from './time.js';

export const utilityTables: Table[] = [osqueryInfo, osqueryFlags, osqueryRegistry, osqueryExtensions, time];
