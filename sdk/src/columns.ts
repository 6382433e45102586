// Typed column declarations and the route info osquery learns a table's shape from
// (docs/extensions.md#route-info): one `{id:'column', name, type, op}` row per column, where
// `op` is the decimal bitmask of the column's options (docs/extensions.md#column-option-bits).
import {
  type Collation,
  type ColumnFlags,
  ColumnOption,
  type ColumnType,
  columnOptionBits,
  type PluginResponse,
  TableAttribute,
  WIRE_TYPE_NAME,
} from '@osq/idl';

export { type Collation, ColumnOption, type ColumnType };

/** A column's osquery options (index, required, additional, optimized, hidden, collate) and more. */
export interface ColumnOptions extends ColumnFlags {
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

/** The type names osquery uses on the wire. */
export const WIRE_TYPES = WIRE_TYPE_NAME;

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
  return columnOptionBits(options);
}

/** osquery's table attribute bits (`TableAttributes`, docs/extensions.md#table-attribute-bits). */
export interface TableAttributes {
  utility?: boolean;
  cacheable?: boolean;
  eventBased?: boolean;
  userBased?: boolean;
}

export function attributesBits(a: TableAttributes = {}): number {
  return (
    (a.utility ? TableAttribute.UTILITY : 0) |
    (a.cacheable ? TableAttribute.CACHEABLE : 0) |
    (a.eventBased ? TableAttribute.EVENT_BASED : 0) |
    (a.userBased ? TableAttribute.USER_BASED : 0)
  );
}

/** A table's route info, as broadcast at registration and answered to `columns`. */
export function tableRouteInfo(
  columns: readonly Column[],
  opts: { aliases?: readonly string[]; attributes?: TableAttributes } = {},
): PluginResponse {
  const rows: PluginResponse = columns.map((c) => ({
    id: 'column',
    name: c.name,
    type: WIRE_TYPE_NAME[c.type],
    op: String(columnOp(c.options)),
  }));
  for (const alias of opts.aliases ?? []) rows.push({ id: 'alias', alias });
  for (const c of columns) {
    for (const name of c.options.aliases ?? []) rows.push({ id: 'columnAlias', name, target: c.name });
  }
  rows.push({ id: 'attributes', attributes: String(attributesBits(opts.attributes)) });
  return rows;
}
