// The daemon's store (core/src/database). osquery keeps it in RocksDB; osq in SQLite, so
// RocksDB's tuning flags have no effect.
// Names, types, defaults and descriptions are osquery's (core/schema/osquery-flags.json).
import type { FlagDeclaration } from '../types.js';

export const databaseFlags = [
  {
    name: 'database_dump',
    type: 'bool',
    default: false,
    kind: 'cli',
    support: 'no-effect',
    note: 'not implemented in osq yet',
    description: 'Dump the contents of the backing store',
  },
  {
    name: 'database_path',
    type: 'string',
    default: '/var/osquery/osquery.db',
    kind: 'cli',
    support: 'honoured',
    aliases: ['db_path'],
    description: 'If using a disk-based backing store, specify a path',
  },
  {
    name: 'disable_database',
    type: 'bool',
    default: false,
    kind: 'flag',
    support: 'honoured',
    description: 'Disable the persistent RocksDB storage',
  },
  {
    name: 'rocksdb_background_flushes',
    type: 'int32',
    default: 4,
    kind: 'flag',
    hidden: true,
    support: 'no-effect',
    note: 'osq keeps its state in SQLite, not RocksDB',
    description: 'Max background flushes',
  },
  {
    name: 'rocksdb_buffer_blocks',
    type: 'int32',
    default: 256,
    kind: 'flag',
    hidden: true,
    support: 'no-effect',
    note: 'osq keeps its state in SQLite, not RocksDB',
    description: 'Write buffer blocks (4k)',
  },
  {
    name: 'rocksdb_merge_number',
    type: 'int32',
    default: 4,
    kind: 'flag',
    hidden: true,
    support: 'no-effect',
    note: 'osq keeps its state in SQLite, not RocksDB',
    description: 'Min write buffer number to merge',
  },
  {
    name: 'rocksdb_write_buffer',
    type: 'int32',
    default: 16,
    kind: 'flag',
    hidden: true,
    support: 'no-effect',
    note: 'osq keeps its state in SQLite, not RocksDB',
    description: 'Max write buffer number',
  },
] as const satisfies readonly FlagDeclaration[];
