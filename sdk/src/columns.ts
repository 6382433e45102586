// Typed column declarations and the route info osquery learns a table's shape from
// (spec §6.1): one `{id:'column', name, type, op}` row per column, where `op` is the
// decimal bitmask of the column's options (spec §6.2).
import type { PluginResponse } from '@osq/idl';

export type ColumnType = 'text' | 'integer' | 'bigint' | 'unsigned_bigint' | 'double' | 'blob';

export type Collation =
  | 'binary'
  | 'nocase'
  | 'rtrim'
  | 'version'
  | 'version_arch'
  | 'version_dpkg'
  | 'version_rhel';

export interface ColumnOptions {
  /** Constraints on it reach `generate` (osquery's INDEX). */
  index?: boolean;
  /** Queries must constrain it (osquery's REQUIRED). */
  required?: boolean;
  /** Constraints reach `generate` and change what the table returns (ADDITIONAL). */
  additional?: boolean;
  /** `IN (...)` arrives as one scan with several `equals` constraints (OPTIMIZED). */
  optimized?: boolean;
  /** Left out of `SELECT *` (HIDDEN). */
  hidden?: boolean;
  collate?: Collation;
  /** Other names that read this column (hidden alias columns). */
  aliases?: readonly string[];
  /** For the table's documentation page and schema JSON. */
  description?: string;
}

export interface Column<N extends string = string> {
  readonly name: N;
  readonly type: ColumnType;
  readonly options: Readonly<ColumnOptions>;
}

/** osquery's column option bits (`osquery/core/sql/column.h`). */
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

const COLLATE_BITS: Record<Collation, number> = {
  binary: ColumnOption.COLLATEBINARY,
  nocase: ColumnOption.COLLATENOCASE,
  rtrim: ColumnOption.COLLATERTRIM,
  version: ColumnOption.COLLATEVERSION,
  version_arch: ColumnOption.COLLATEVERSION_ARCH,
  version_dpkg: ColumnOption.COLLATEVERSION_DPKG,
  version_rhel: ColumnOption.COLLATEVERSION_RHEL,
};

/** The type names osquery uses on the wire. */
export const WIRE_TYPES: Record<ColumnType, string> = {
  text: 'TEXT',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  unsigned_bigint: 'UNSIGNED BIGINT',
  double: 'DOUBLE',
  blob: 'BLOB',
};

function make(type: ColumnType) {
  return <N extends string>(name: N, options: ColumnOptions = {}): Column<N> => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new Error(`invalid column name: ${JSON.stringify(name)}`);
    return Object.freeze({ name, type, options: Object.freeze({ ...options }) });
  };
}

/** Column builders: `column.text('name', { index: true })`, `column.bigint('pid')`, ... */
export const column = {
  text: make('text'),
  integer: make('integer'),
  bigint: make('bigint'),
  unsignedBigint: make('unsigned_bigint'),
  double: make('double'),
  blob: make('blob'),
};

/**
 * The `op` bitmask of a column. Note that osquery's core treats `op` 0 on an extension
 * column as INDEX (--extensions_default_index), so plain columns get their constraints too.
 */
export function columnOp(options: Readonly<ColumnOptions>): number {
  let op = 0;
  if (options.index) op |= ColumnOption.INDEX;
  if (options.required) op |= ColumnOption.REQUIRED;
  if (options.additional) op |= ColumnOption.ADDITIONAL;
  if (options.optimized) op |= ColumnOption.OPTIMIZED;
  if (options.hidden) op |= ColumnOption.HIDDEN;
  if (options.collate) op |= COLLATE_BITS[options.collate];
  return op;
}

/** osquery's table attribute bits (`TableAttributes`, spec §6.3). */
export interface TableAttributes {
  utility?: boolean;
  cacheable?: boolean;
  eventBased?: boolean;
  userBased?: boolean;
}

export function attributesBits(a: TableAttributes = {}): number {
  return (a.utility ? 1 : 0) | (a.cacheable ? 2 : 0) | (a.eventBased ? 4 : 0) | (a.userBased ? 8 : 0);
}

/** A table's route info, as broadcast at registration and answered to `columns`. */
export function tableRouteInfo(
  columns: readonly Column[],
  opts: { aliases?: readonly string[]; attributes?: TableAttributes } = {},
): PluginResponse {
  const rows: PluginResponse = columns.map((c) => ({
    id: 'column',
    name: c.name,
    type: WIRE_TYPES[c.type],
    op: String(columnOp(c.options)),
  }));
  for (const alias of opts.aliases ?? []) rows.push({ id: 'alias', alias });
  for (const c of columns) {
    for (const name of c.options.aliases ?? []) rows.push({ id: 'columnAlias', name, target: c.name });
  }
  rows.push({ id: 'attributes', attributes: String(attributesBits(opts.attributes)) });
  return rows;
}
