// The SQL engine and how tables are served (core/src/engine, core/src/registry).
import type { FlagDeclaration } from '../types.js';

export const engineFlags = [
  {
    name: 'disable_tables',
    type: 'string',
    default: '',
    kind: 'cli',
    description: 'Comma-delimited list of table names to be disabled',
  },
  {
    name: 'enable_tables',
    type: 'string',
    default: '',
    kind: 'cli',
    description: 'Comma-delimited list of table names to be enabled (all others disabled)',
  },
  {
    name: 'nullvalue',
    type: 'string',
    default: '',
    kind: 'flag',
    description: "Set string for NULL values, default ''",
  },
  {
    name: 'read_max',
    type: 'uint64',
    default: 50 * 1024 * 1024,
    kind: 'flag',
    description: 'Maximum file read size',
  },
  {
    name: 'table_delay',
    type: 'uint64',
    default: 0,
    kind: 'flag',
    description: 'Add an optional microsecond delay between table scans',
  },
  {
    name: 'disable_caching',
    type: 'bool',
    default: false,
    kind: 'flag',
    description: 'Disable scheduled query caching',
  },
  {
    name: 'regex_max_size',
    type: 'uint64',
    default: 256,
    kind: 'flag',
    hidden: true,
    description:
      'Defines the maximum size in bytes of a regex that can be used with the regex_match and regex_split functions',
  },
  {
    name: 'carver_disable_function',
    type: 'bool',
    default: true,
    kind: 'cli',
    description: 'Disable the osquery file carver function (default true)',
  },
  {
    name: 'planner',
    type: 'bool',
    default: false,
    kind: 'shell',
    description: 'Enable osquery runtime planner output',
  },
  {
    name: 'utc',
    type: 'bool',
    default: true,
    kind: 'flag',
    hidden: true,
    description: 'Convert all UNIX times to UTC',
  },
] as const satisfies readonly FlagDeclaration[];
