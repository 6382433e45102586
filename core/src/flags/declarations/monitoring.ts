// osquery's numeric monitoring (a metrics file of its own). osq's metrics are Prometheus's, so
// these have no effect.
// Names, types, defaults and descriptions are osquery's (core/schema/osquery-flags.json).
import type { FlagDeclaration } from '../types.js';

export const monitoringFlags = [
  {
    name: 'enable_numeric_monitoring',
    type: 'bool',
    default: false,
    kind: 'flag',
    support: 'no-effect',
    note: "osquery's numeric monitoring is not part of osq",
    description: 'Enable numeric monitoring system',
  },
  {
    name: 'numeric_monitoring_filesystem_path',
    type: 'string',
    default: '/var/log/osquery/numeric_monitoring.log',
    kind: 'flag',
    support: 'no-effect',
    note: "osquery's numeric monitoring is not part of osq",
    description:
      'File to dump numeric monitoring records one per line. The format of the line is <PATH><TAB><VALUE><TAB><TIMESTAMP>.',
  },
  {
    name: 'numeric_monitoring_plugins',
    type: 'string',
    default: 'filesystem',
    kind: 'flag',
    support: 'no-effect',
    note: "osquery's numeric monitoring is not part of osq",
    description: 'Comma separated numeric monitoring plugins names',
  },
  {
    name: 'numeric_monitoring_pre_aggregation_time',
    type: 'uint64',
    default: 60,
    kind: 'flag',
    support: 'no-effect',
    note: "osquery's numeric monitoring is not part of osq",
    description: 'Time period in seconds for numeric monitoring pre-aggregation buffer.',
  },
] as const satisfies readonly FlagDeclaration[];
