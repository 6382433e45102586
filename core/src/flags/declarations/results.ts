// Results: differential engine, result line formats, durable outbox (core/src/results).
import type { FlagDeclaration } from '../types.js';

export const resultFlags = [
  {
    name: 'logger_event_type',
    type: 'bool',
    default: true,
    kind: 'flag',
    description: 'Log scheduled results as events',
  },
  {
    name: 'logger_snapshot_event_type',
    type: 'bool',
    default: false,
    kind: 'flag',
    description: 'Log scheduled snapshot results as events',
  },
  {
    name: 'logger_numerics',
    type: 'bool',
    default: false,
    kind: 'flag',
    description: 'Use numeric JSON syntax for numeric values',
  },
  {
    name: 'decorations_top_level',
    type: 'bool',
    default: false,
    kind: 'flag',
    description: 'Add decorators as top level JSON objects',
  },
  {
    name: 'buffered_log_max',
    type: 'uint64',
    default: 1000000,
    kind: 'flag',
    description: 'Maximum number of logs in buffered output plugins (0 = unlimited)',
  },
] as const satisfies readonly FlagDeclaration[];
