// How osquery describes a table's columns on the wire: the column types and their wire
// names, and the `op` bitmask of column options in a table's route info (osquery's
// `ColumnOptions`, osquery/core/sql/column.h). The core reads route info with these and
// the SDK writes it with them, so both sides agree by construction.

export type ColumnType = 'text' | 'integer' | 'bigint' | 'unsigned_bigint' | 'double' | 'blob';

/** The collating sequences osquery can attach to a column (SQLite's three and osquery's four). */
export type Collation =
  | 'binary'
  | 'nocase'
  | 'rtrim'
  | 'version'
  | 'version_arch'
  | 'version_dpkg'
  | 'version_rhel';

/** osquery's name of each column type: SQL declarations, route info `type`, context `affinity`. */
export const WIRE_TYPE_NAME: Readonly<Record<ColumnType, string>> = {
  text: 'TEXT',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  unsigned_bigint: 'UNSIGNED BIGINT',
  double: 'DOUBLE',
  blob: 'BLOB',
};

const FROM_WIRE = new Map(Object.entries(WIRE_TYPE_NAME).map(([type, name]) => [name, type as ColumnType]));

/** The column type a route info `type` names (any letter case), or undefined (osquery's UNKNOWN). */
export function columnTypeFromWire(name: string): ColumnType | undefined {
  return FROM_WIRE.get(name.toUpperCase());
}

/** osquery's column option bits: the `op` of a route info column. */
export const ColumnOption = {
  DEFAULT: 0,
  INDEX: 1,
  REQUIRED: 2,
  ADDITIONAL: 4,
  OPTIMIZED: 8,
  HIDDEN: 16,
  COLLATEBINARY: 32,
  COLLATENOCASE: 64,
  COLLATERTRIM: 128,
  COLLATEVERSION: 256,
  COLLATEVERSION_ARCH: 512,
  COLLATEVERSION_DPKG: 1024,
  COLLATEVERSION_RHEL: 2048,
} as const;

/** The bit of each collation. */
export const COLLATION_BIT: Readonly<Record<Collation, number>> = {
  binary: ColumnOption.COLLATEBINARY,
  nocase: ColumnOption.COLLATENOCASE,
  rtrim: ColumnOption.COLLATERTRIM,
  version: ColumnOption.COLLATEVERSION,
  version_arch: ColumnOption.COLLATEVERSION_ARCH,
  version_dpkg: ColumnOption.COLLATEVERSION_DPKG,
  version_rhel: ColumnOption.COLLATEVERSION_RHEL,
};

/** The options of a column as both sides declare them. */
export interface ColumnFlags {
  /** Constraints on it reach the table's generator; part of the primary key (INDEX). */
  index?: boolean;
  /** Queries must constrain it, else the scan fails (REQUIRED). */
  required?: boolean;
  /** Constraints reach the generator and change what the table returns (ADDITIONAL). */
  additional?: boolean;
  /** `IN (...)` arrives in one scan as several `=` constraints (OPTIMIZED). */
  optimized?: boolean;
  /** Left out of `SELECT *`, selectable by name (HIDDEN). */
  hidden?: boolean;
  collate?: Collation;
}

/** A column's `op` bitmask. */
export function columnOptionBits(c: Readonly<ColumnFlags>): number {
  let op = 0;
  if (c.index) op |= ColumnOption.INDEX;
  if (c.required) op |= ColumnOption.REQUIRED;
  if (c.additional) op |= ColumnOption.ADDITIONAL;
  if (c.optimized) op |= ColumnOption.OPTIMIZED;
  if (c.hidden) op |= ColumnOption.HIDDEN;
  if (c.collate) op |= COLLATION_BIT[c.collate];
  return op;
}

/**
 * The options an `op` bitmask names. Of the collation bits, NOCASE and osquery's four
 * version collations are read (first set bit in that order wins); BINARY is SQLite's
 * default and RTRIM is left to the extension.
 */
export function columnFlagsFromBits(op: number): ColumnFlags {
  const flags: ColumnFlags = {
    index: (op & ColumnOption.INDEX) !== 0,
    required: (op & ColumnOption.REQUIRED) !== 0,
    additional: (op & ColumnOption.ADDITIONAL) !== 0,
    optimized: (op & ColumnOption.OPTIMIZED) !== 0,
    hidden: (op & ColumnOption.HIDDEN) !== 0,
  };
  for (const c of ['nocase', 'version', 'version_arch', 'version_dpkg', 'version_rhel'] as const) {
    if (op & COLLATION_BIT[c]) {
      flags.collate = c;
      break;
    }
  }
  return flags;
}

/** osquery's table attribute bits (`TableAttributes`): the `attributes` of route info. */
export const TableAttribute = {
  NONE: 0,
  UTILITY: 1,
  CACHEABLE: 2,
  EVENT_BASED: 4,
  USER_BASED: 8,
  KERNEL_REQUIRED: 16,
  PENDING: 32,
} as const;
