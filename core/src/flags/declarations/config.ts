// Configuration: config plugins, sources and packs (core/src/config).
import type { FlagDeclaration } from '../types.js';

export const configFlags = [
  {
    name: 'config_plugin',
    type: 'string',
    default: 'filesystem',
    kind: 'cli',
    description: 'Config plugin name',
  },
  {
    name: 'config_path',
    type: 'string',
    default: '/etc/osquery/osquery.conf',
    kind: 'cli',
    description: 'Path to JSON config file',
  },
  {
    name: 'config_check',
    type: 'bool',
    default: false,
    kind: 'cli',
    description: 'Check the format of an osquery config and exit',
  },
  {
    name: 'config_dump',
    type: 'bool',
    default: false,
    kind: 'cli',
    description: 'Dump the contents of the configuration, then exit',
  },
  {
    name: 'config_refresh',
    type: 'uint64',
    default: 0,
    kind: 'cli',
    description: 'Optional interval in seconds to re-read configuration',
  },
  {
    name: 'config_accelerated_refresh',
    type: 'uint64',
    default: 300,
    kind: 'cli',
    description: 'Interval to wait if reading a configuration fails',
  },
  {
    name: 'config_enable_backup',
    type: 'bool',
    default: false,
    kind: 'cli',
    description: 'Backup config and use it when refresh fails',
  },
  {
    name: 'pack_refresh_interval',
    type: 'uint64',
    default: 3600,
    kind: 'flag',
    description: 'Cache expiration for a packs discovery queries',
  },
  {
    name: 'pack_delimiter',
    type: 'string',
    default: '_',
    kind: 'flag',
    description: 'Delimiter for pack and query names',
  },
  {
    name: 'schedule_default_interval',
    type: 'uint64',
    default: 3600,
    kind: 'flag',
    description: 'Query interval to use if none is provided',
  },
  {
    name: 'disable_decorators',
    type: 'bool',
    default: false,
    kind: 'flag',
    description: 'Disable log result decoration',
  },
] as const satisfies readonly FlagDeclaration[];
