// Results: differential engine, result line formats, durable outbox (core/src/results).
// Names, types, defaults and descriptions are osquery's (core/schema/osquery-flags.json).
import type { FlagDeclaration } from '../types.js';

export const resultFlags = [
  {
    name: 'buffered_log_max',
    type: 'uint64',
    default: 1000000,
    kind: 'flag',
    support: 'honoured',
    description: 'Maximum number of logs in buffered output plugins (0 = unlimited)',
  },
  {
    name: 'decorations_top_level',
    type: 'bool',
    default: false,
    kind: 'flag',
    support: 'honoured',
    description: 'Add decorators as top level JSON object members',
  },
  {
    name: 'logger_event_type',
    type: 'bool',
    default: true,
    kind: 'flag',
    support: 'honoured',
    description: 'Log scheduled results as events',
  },
  {
    name: 'logger_numerics',
    type: 'bool',
    default: false,
    kind: 'flag',
    support: 'honoured',
    aliases: ['log_numerics_as_numbers'],
    description: 'Use numeric JSON syntax for numeric values',
  },
  {
    name: 'logger_snapshot_event_type',
    type: 'bool',
    default: false,
    kind: 'flag',
    support: 'honoured',
    description: 'Log scheduled snapshot results as events',
  },
] as const satisfies readonly FlagDeclaration[];
