// The bridge between the native vtab module and table generators: registers each
// table's SQL declaration with the addon and answers its xFilter calls by running
// the generator with osquery's query context, flattening rows for SQLite. Tables with a
// write hook (extension tables) also get their xUpdate calls, type-checked as osquery does.
import { ColumnOption, columnOptionBits } from '@osq/idl';
import {
  COLUMN_TYPE_NAME,
  type ColumnSpec,
  type ColumnType,
  type Constraint,
  isHiddenOnLinux,
  type OpCode,
  QueryContext,
  type Table,
  type Value,
  type WriteOp,
  type WriteResult,
  type WriteValue,
} from '../tables/framework.js';
import { vtabAddon } from './native.js';

const typeCode: Record<ColumnType, number> = {
  text: 0,
  integer: 1,
  bigint: 2,
  unsigned_bigint: 3,
  double: 4,
  blob: 5,
};

/** A column as SQLite sees it: the declared ones, then one hidden column per column alias. */
export interface SqlColumn {
  name: string;
  spec: ColumnSpec;
  hidden: boolean;
  /** The declared column whose value this one reads (itself unless an alias). */
  source: string;
}

export function sqlColumns(table: Table): SqlColumn[] {
  const out: SqlColumn[] = table.columnList.map((c) => ({
    name: c.name,
    spec: c,
    hidden: isHiddenOnLinux(c),
    source: c.name,
  }));
  for (const c of table.columnList) {
    for (const alias of c.aliases ?? []) out.push({ name: alias, spec: c, hidden: true, source: c.name });
  }
  return out;
}

function columnSql(c: SqlColumn): string {
  let s = `\`${c.name}\` ${COLUMN_TYPE_NAME[c.spec.type]}`;
  if (c.hidden) s += ' HIDDEN';
  if (c.spec.collate && c.spec.collate !== 'binary') s += ` COLLATE ${c.spec.collate}`;
  return s;
}

/** The CREATE TABLE text declared to SQLite for the virtual table. */
export function createTableSql(table: Table): string {
  return `CREATE TABLE \`${table.name}\`(${sqlColumns(table).map(columnSql).join(', ')})`;
}

/** The schema as osqueryi's `.schema` prints it: key columns and WITHOUT ROWID included. */
export function schemaSql(table: Table): string {
  const cols = sqlColumns(table);
  const keyed = cols.filter((c) => c.source === c.name && (c.spec.index || c.spec.additional));
  const indexed = keyed.some((c) => c.spec.index);
  const pkeys = keyed.length > 0 && !indexed ? cols.filter((c) => c.source === c.name) : keyed;
  let s = `CREATE TABLE ${table.name}(${cols.map(columnSql).join(', ')}`;
  if (pkeys.length > 0) s += `, PRIMARY KEY (${pkeys.map((c) => `\`${c.name}\``).join(', ')})`;
  s += ')';
  if (pkeys.length > 0) s += ' WITHOUT ROWID';
  return `${s};`;
}

/** Make a generator's value into what the column's type says (osquery's casts). */
function coerce(type: ColumnType, v: Value): unknown {
  if (v === undefined || v === null) return null;
  switch (type) {
    case 'text':
      if (typeof v === 'string' || Buffer.isBuffer(v)) return v;
      if (typeof v === 'boolean') return v ? '1' : '0';
      return String(v);
    case 'integer':
    case 'bigint':
    case 'unsigned_bigint':
      if (typeof v === 'number' || typeof v === 'bigint') return v;
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'string') {
        const t = v.trim();
        if (!/^[+-]?\d+$/.test(t)) return null; // osquery: a failed cast is NULL
        const n = Number(t);
        return Number.isSafeInteger(n) ? n : BigInt(t);
      }
      return null;
    case 'double':
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'string') {
        const n = Number.parseFloat(v);
        return Number.isNaN(n) ? null : n;
      }
      return null;
    case 'blob':
      return v;
  }
}

interface Bound {
  table: Table;
  columns: SqlColumn[];
  /** Has a write hook: rows carry a trailing rowid cell. */
  writable: boolean;
}

const bound: Bound[] = [];
let dispatcherSet = false;

function contextFor(b: Bound, raw: [number, number, unknown][], colsUsed: bigint): QueryContext {
  const constraints = new Map<string, Constraint[]>();
  for (const [col, op, expr] of raw) {
    const name = b.columns[col]?.source;
    if (name === undefined) continue;
    let list = constraints.get(name);
    if (!list) {
      list = [];
      constraints.set(name, list);
    }
    list.push({ op: op as OpCode, expr: expr as Constraint['expr'] });
  }
  let used: Set<string> | null = null;
  if (colsUsed !== 0xffffffffffffffffn) {
    used = new Set();
    for (let i = 0; i < b.columns.length; i++) {
      const bit = i < 63 ? 1n << BigInt(i) : 1n << 63n; // bit 63 stands for every column past 62
      if (colsUsed & bit) used.add(b.columns[i]!.source);
    }
  }
  return new QueryContext(constraints, used);
}

function dispatch(id: number, raw: [number, number, unknown][], colsUsed: bigint): unknown[] {
  const b = bound[id];
  if (!b) throw new Error(`osq: unknown table id ${id}`);
  const ctx = contextFor(b, raw, colsUsed);
  const out: unknown[] = [];
  const cols = b.columns;
  if (!b.writable) {
    for (const row of b.table.generate(ctx)) {
      for (const c of cols) out.push(coerce(c.spec.type, row[c.source]));
    }
    return out;
  }
  for (const row of b.table.generate(ctx)) {
    for (const c of cols) out.push(coerce(c.spec.type, row[c.source]));
    out.push(rowidCell(row.rowid));
  }
  return out;
}

// ------------------------------------------------------------------ writes

const SQLITE_OK = 0;
const SQLITE_ERROR = 1;
const SQLITE_READONLY = 8;
const SQLITE_CONSTRAINT = 19;
const SQLITE_MISMATCH = 20;
const SQLITE_RANGE = 25;

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/**
 * A rowid as osquery's tryTo<long long> reads it (C's strtoll, base 10): leading
 * whitespace, an optional sign and digits; trailing text ignored. Null if unreadable.
 */
export function parseRowid(v: unknown): bigint | null {
  let n: bigint;
  if (typeof v === 'bigint') n = v;
  else if (typeof v === 'number') {
    if (!Number.isInteger(v)) return null;
    n = BigInt(v);
  } else if (typeof v === 'string') {
    const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(v);
    if (!m?.[1]) return null;
    n = BigInt(m[1]);
  } else return null;
  return n >= I64_MIN && n <= I64_MAX ? n : null;
}

/** A row's trailing rowid cell: null means "its position"; false is a rowid that fails the scan. */
function rowidCell(v: Value): bigint | null | false {
  if (v === undefined || v === null) return null;
  return parseRowid(v) ?? false;
}

/**
 * osquery's column option bitmask (docs/extensions.md#column-option-bits); a column alias is
 * HIDDEN and untyped there.
 */
function optionBits(c: SqlColumn): number {
  return c.source !== c.name ? ColumnOption.HIDDEN : columnOptionBits(c.spec);
}

/**
 * osquery's serializeUpdateParameters rules: integers only into INTEGER/BIGINT/UNSIGNED
 * BIGINT, reals only into DOUBLE, text only into TEXT, blobs only into BLOB, and NULL
 * refused by columns whose options are exactly INDEX or exactly REQUIRED. A column alias
 * has no type in osquery, so it takes nothing but NULL.
 */
function typeMismatch(c: SqlColumn, v: unknown): boolean {
  if (v === null || v === undefined) {
    const op = optionBits(c);
    return op === ColumnOption.INDEX || op === ColumnOption.REQUIRED;
  }
  if (c.source !== c.name) return true;
  const type = c.spec.type;
  if (typeof v === 'bigint') return type !== 'integer' && type !== 'bigint' && type !== 'unsigned_bigint';
  if (typeof v === 'number') return type !== 'double';
  if (typeof v === 'string') return type !== 'text';
  if (Buffer.isBuffer(v)) return type !== 'blob';
  return true;
}

type WriteAnswer = [number, string | null, bigint | number | null];

/** The table's write request for xUpdate's arguments, or the SQLite error refusing it. */
function writeOp(
  b: Bound,
  kind: 0 | 1 | 2,
  argv0: unknown,
  argv1: unknown,
  values: unknown[],
): WriteOp | number {
  if (kind === 0) return { action: 'delete', rowid: parseRowid(argv0) ?? 0n };
  if (values.length !== b.columns.length) return SQLITE_RANGE;
  for (let i = 0; i < values.length; i++) {
    if (typeMismatch(b.columns[i]!, values[i])) return SQLITE_MISMATCH;
  }
  const columns = b.columns.map((c) => c.name);
  const vals = values as WriteValue[];
  if (kind === 1) {
    const rowid = argv1 === null ? null : parseRowid(argv1);
    return rowid === null
      ? { action: 'insert', columns, values: vals, autoRowid: false }
      : { action: 'insert', columns, values: vals, autoRowid: true, rowid };
  }
  const rowid = parseRowid(argv0) ?? 0n;
  const op: WriteOp = { action: 'update', columns, rowid, values: vals };
  if (typeof argv1 === 'bigint' && argv1 !== rowid) op.newRowid = argv1;
  return op;
}

/** How SQL reports a write's result (osquery's xUpdate). */
function answer(b: Bound, op: WriteOp, r: WriteResult): WriteAnswer {
  switch (r.status) {
    case 'success': {
      if (op.action !== 'insert') return [SQLITE_OK, null, null];
      // An INSERT must give SQLite a rowid: its own, or the one the table chose.
      const rowid = op.autoRowid ? (op.rowid ?? null) : parseRowid(r.id);
      return rowid === null ? [SQLITE_ERROR, null, null] : [SQLITE_OK, null, rowid];
    }
    case 'readonly':
      return [SQLITE_READONLY, `table ${b.table.name} may not be modified`, null];
    case 'failure':
      return [SQLITE_ERROR, r.message ?? null, null];
    case 'constraint':
      return [SQLITE_CONSTRAINT, null, null];
    default:
      return [SQLITE_ERROR, null, null];
  }
}

function writeDispatch(
  id: number,
  kind: 0 | 1 | 2,
  argv0: unknown,
  argv1: unknown,
  values: unknown[],
): WriteAnswer {
  const b = bound[id];
  if (!b) throw new Error(`osq: unknown table id ${id}`);
  if (!b.table.write) return [SQLITE_READONLY, `table ${b.table.name} may not be modified`, null];
  const op = writeOp(b, kind, argv0, argv1, values);
  if (typeof op === 'number') return [op, null, null];
  return answer(b, op, b.table.write(op));
}

function requiredMessage(table: Table): string {
  const req = table.columnList.filter((c) => c.required).map((c) => c.name);
  return (
    `Table ${table.name} was queried without a required column in the WHERE clause ` +
    `(constrain ${req.join(' or ')})`
  );
}

/** Register a table on this thread; every connection of the thread serves it at once. */
export function bindTable(table: Table): void {
  ensureDispatcher();
  const addon = vtabAddon();
  const columns = sqlColumns(table);
  const writable = typeof table.write === 'function';
  const id = addon.registerTable(
    table.name,
    createTableSql(table),
    columns.map((c) => typeCode[c.spec.type]),
    columns.map((c) => (c.spec.required ? 1 : 0)),
    columns.map((c) => (c.spec.index || c.spec.additional ? 1 : 0)),
    requiredMessage(table),
    writable,
  );
  bound[id] = { table, columns, writable };
}

export function unbindTable(name: string): void {
  vtabAddon().unregisterTable(name);
}

/** Make sure the dispatcher exists even when a thread has no tables yet. */
export function ensureDispatcher(): void {
  if (!dispatcherSet) {
    const addon = vtabAddon();
    addon.setDispatcher(dispatch);
    addon.setWriteDispatcher(writeDispatch);
    dispatcherSet = true;
  }
}
