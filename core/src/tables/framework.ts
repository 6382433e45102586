// The table framework: a table is declared once (name, columns with osquery's flags,
// aliases) together with a small generate(context) function that returns rows.
//
// Column declarations mirror osquery's .table specs and the schema facts in
// core/schema/osquery-schema.json (a test holds every Linux table to them).

// Column types, collations and operator codes are the protocol's (@osq/idl), shared with the SDK.
import { type Collation, type ColumnFlags, type ColumnType, Op, type OpCode, WIRE_TYPE_NAME } from '@osq/idl';

export { type Collation, type ColumnType, Op, type OpCode };
/** osquery's name of each column type (SQL declarations, route info, `affinity`). */
export const COLUMN_TYPE_NAME = WIRE_TYPE_NAME;
export type Platform = 'linux' | 'darwin' | 'windows' | 'freebsd';

/** osquery's column options (@osq/idl's ColumnFlags) plus what only core tables declare. */
export interface ColumnOptions extends ColumnFlags {
  /** Platforms the column exists on; a column not for linux is hidden on Linux. */
  platforms?: Platform[];
  /** Other names the column can be read by (hidden columns that mirror it). */
  aliases?: string[];
}

export interface ColumnSpec extends ColumnOptions {
  type: ColumnType;
}

export const text = (o: ColumnOptions = {}): ColumnSpec => ({ type: 'text', ...o });
export const integer = (o: ColumnOptions = {}): ColumnSpec => ({ type: 'integer', ...o });
export const bigint = (o: ColumnOptions = {}): ColumnSpec => ({ type: 'bigint', ...o });
export const unsignedBigint = (o: ColumnOptions = {}): ColumnSpec => ({
  type: 'unsigned_bigint',
  ...o,
});
export const double = (o: ColumnOptions = {}): ColumnSpec => ({ type: 'double', ...o });
export const blob = (o: ColumnOptions = {}): ColumnSpec => ({ type: 'blob', ...o });

/** A cell as a generator may return it. Missing keys and null are SQL NULL. */
export type Value = string | number | bigint | boolean | Buffer | null | undefined;
export type Row = Record<string, Value>;

export interface Constraint {
  op: OpCode;
  /** The right-hand value, typed as SQLite handed it over. */
  expr: string | number | bigint | Buffer | null;
}

/**
 * What a generator knows about the query: the usable constraints of each column
 * (IN lists arrive as several EQ constraints, join values once per outer row) and
 * which columns the query reads.
 */
export class QueryContext {
  constructor(
    /** Constraints by column name. */
    readonly constraints: ReadonlyMap<string, readonly Constraint[]>,
    /** Names of the columns the query reads, or null when unknown (all). */
    readonly colsUsed: ReadonlySet<string> | null,
  ) {}

  static empty(): QueryContext {
    return new QueryContext(new Map(), null);
  }

  /** True if the query constrains `column` with `op` (any op when omitted). */
  hasConstraint(column: string, op?: OpCode): boolean {
    const list = this.constraints.get(column);
    if (!list) return false;
    return op === undefined ? list.length > 0 : list.some((c) => c.op === op);
  }

  /** The values of every `column = value` (and IN) constraint, as strings. */
  equals(column: string): string[] {
    return this.valuesFor(column, Op.EQ);
  }

  /** The values of every constraint on `column` with `op`, as strings. */
  valuesFor(column: string, op: OpCode): string[] {
    const out: string[] = [];
    for (const c of this.constraints.get(column) ?? []) {
      if (c.op === op && c.expr !== null) out.push(String(c.expr));
    }
    return out;
  }

  /** The values of `column = value` constraints parsed as integers (non-integers skipped). */
  integerEquals(column: string): number[] {
    const out: number[] = [];
    for (const v of this.equals(column)) {
      const n = Number(v);
      if (Number.isInteger(n)) out.push(n);
    }
    return out;
  }

  /** Whether the query reads `column` (true when unknown). */
  isColumnUsed(column: string): boolean {
    return this.colsUsed === null || this.colsUsed.has(column);
  }

  /** Whether the query reads any of `columns`. */
  isAnyColumnUsed(columns: readonly string[]): boolean {
    return columns.some((c) => this.isColumnUsed(c));
  }
}

/**
 * A value SQL hands to a write, typed as SQLite holds it: bigint is an SQL integer,
 * number an SQL real, string text, Buffer a blob.
 */
export type WriteValue = bigint | number | string | Buffer | null;

/**
 * One row written by INSERT, UPDATE or DELETE (osquery's xUpdate). `values` holds one
 * value per SQL column in column order, hidden column aliases included; `columns` names them.
 */
export type WriteOp =
  | {
      action: 'insert';
      columns: readonly string[];
      values: WriteValue[];
      /**
       * osquery's auto_rowid: true when SQLite gave the row a rowid (`rowid` holds it),
       * false when the table must choose one and answer it as the result's `id`.
       */
      autoRowid: boolean;
      rowid?: bigint;
    }
  | {
      action: 'update';
      columns: readonly string[];
      /** The row's current rowid. */
      rowid: bigint;
      /** Present only when the statement changes the rowid. */
      newRowid?: bigint;
      values: WriteValue[];
    }
  | { action: 'delete'; rowid: bigint };

/** osquery's write statuses: how SQL reports the write (docs/extensions.md#writes-to-extension-tables). */
export type WriteResult =
  | {
      status: 'success';
      /** The new row's rowid, for an insert with autoRowid false. */
      id?: bigint | number | string;
    }
  /** SQLITE_READONLY: "table <name> may not be modified". */
  | { status: 'readonly' }
  /** SQLITE_ERROR with `message` (SQLite's generic error text without one). */
  | { status: 'failure'; message?: string }
  /** SQLITE_CONSTRAINT. */
  | { status: 'constraint' };

export interface TableDeclaration {
  name: string;
  /** Column name -> spec, in osquery's column order. */
  columns: Record<string, ColumnSpec>;
  /** Other names for the table (served as views). */
  aliases?: string[];
  /** Table attributes from osquery's table specs (cacheable, user_data, utility, ...). */
  attributes?: {
    cacheable?: boolean;
    user_data?: boolean;
    utility?: boolean;
    event_subscriber?: boolean;
    strongly_typed_rows?: boolean;
    no_pkey?: boolean;
  };
  /**
   * Produce the rows. Runs synchronously inside the SQL engine: read files with the
   * sync fs API, and honour the context so that a `pid = 1` does not scan everything.
   */
  generate(context: QueryContext): Iterable<Row>;
  /**
   * Makes the table writable (osquery allows this for extension tables only). Runs
   * synchronously like generate, after the engine has checked the values' types. Rows
   * of a writable table may carry a `rowid` key: the SQLite rowid UPDATE and DELETE name.
   */
  write?(op: WriteOp): WriteResult;
}

export interface Table extends TableDeclaration {
  /** Columns in declaration order with the Linux visibility applied. */
  readonly columnList: readonly ({ name: string } & ColumnSpec)[];
}

/** Declare a table. The returned object is what the registry holds. */
export function defineTable(decl: TableDeclaration): Table {
  const columnList = Object.entries(decl.columns).map(([name, spec]) => ({ name, ...spec }));
  return { ...decl, columnList };
}

/** A column is hidden on Linux when it says so or when its platforms exclude linux. */
export function isHiddenOnLinux(spec: ColumnSpec): boolean {
  return Boolean(spec.hidden) || (spec.platforms !== undefined && !spec.platforms.includes('linux'));
}
