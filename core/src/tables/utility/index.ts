// osq's own tables: osquery_info, osquery_flags, osquery_registry, time.
import type { Table } from '../framework.js';

export const utilityTables: Table[] = [];
