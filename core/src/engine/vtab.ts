// The bridge between the native vtab module and table generators: registers each
// table's SQL declaration with the addon and answers its xFilter calls by running
// the generator with osquery's query context, flattening rows for SQLite.
import {
  type ColumnSpec,
  type ColumnType,
  type Constraint,
  isHiddenOnLinux,
  type OpCode,
  QueryContext,
  type Table,
  type Value,
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

const sqlType: Record<ColumnType, string> = {
  text: 'TEXT',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  unsigned_bigint: 'UNSIGNED BIGINT',
  double: 'DOUBLE',
  blob: 'BLOB',
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
  let s = `\`${c.name}\` ${sqlType[c.spec.type]}`;
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
  for (const row of b.table.generate(ctx)) {
    for (const c of cols) out.push(coerce(c.spec.type, row[c.source]));
  }
  return out;
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
  const addon = vtabAddon();
  if (!dispatcherSet) {
    addon.setDispatcher(dispatch);
    dispatcherSet = true;
  }
  const columns = sqlColumns(table);
  const id = addon.registerTable(
    table.name,
    createTableSql(table),
    columns.map((c) => typeCode[c.spec.type]),
    columns.map((c) => (c.spec.required ? 1 : 0)),
    columns.map((c) => (c.spec.index || c.spec.additional ? 1 : 0)),
    requiredMessage(table),
  );
  bound[id] = { table, columns };
}

export function unbindTable(name: string): void {
  vtabAddon().unregisterTable(name);
}

/** Make sure the dispatcher exists even when a thread has no tables yet. */
export function ensureDispatcher(): void {
  if (!dispatcherSet) {
    vtabAddon().setDispatcher(dispatch);
    dispatcherSet = true;
  }
}
