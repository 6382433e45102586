// Extension tables: the route info an extension broadcasts for a table becomes a
// Table the engine serves like any other (the table registry's route factory). Its generator sends osquery's `context`
// JSON to the extension and turns the string rows it gets back into typed values the
// way osquery's core parses them. Writes (INSERT/UPDATE/DELETE) go to the extension as
// osquery's insert/update/delete actions.
import { ColumnOption, columnFlagsFromBits, columnTypeFromWire, WIRE_TYPE_NAME } from '@osq/idl';
import { flags } from '../../flags/index.js';
import type { ExtensionRoute } from '../../registry/index.js';
import { jsonDouble } from '../../results/json.js';
import {
  type ColumnSpec,
  type ColumnType,
  defineTable,
  type QueryContext,
  type Row,
  type Table,
  type WriteOp,
  type WriteResult,
  type WriteValue,
} from '../../tables/framework.js';
import { runSync } from '../../thread/sync-bridge.js';
import type { ExtensionCallResult, ExtensionCallTask } from '../../thread/tasks.js';

/** Why route info cannot become a table, or null when it can. */
export function validateRouteInfo(routeInfo: Record<string, string>[]): string | null {
  if (routeInfo.length === 0) return 'Invalid route info';
  if (routeInfo.some((r) => typeof r.id !== 'string')) return 'Invalid route info';
  if (!routeInfo.some((r) => r.id === 'column' && r.name)) return 'Invalid route info';
  return null;
}

/** A column whose wire type osquery does not know reads back as NULL (docs/extensions.md#route-info). */
interface RouteColumn extends ColumnSpec {
  name: string;
  unknownType: boolean;
}

function routeColumns(routeInfo: Record<string, string>[]): RouteColumn[] {
  const defaultIndex = flags.extensions_default_index;
  const columns: RouteColumn[] = [];
  for (const r of routeInfo) {
    if (r.id !== 'column' || !r.name) continue;
    let op = Number.parseInt(r.op ?? '0', 10);
    if (!Number.isFinite(op)) op = 0;
    if (op === 0 && defaultIndex) op = ColumnOption.INDEX;
    const type = columnTypeFromWire(r.type ?? '');
    columns.push({
      name: r.name,
      type: type ?? 'text',
      unknownType: type === undefined,
      ...columnFlagsFromBits(op),
    });
  }
  for (const r of routeInfo) {
    if (r.id !== 'columnAlias' || !r.name || !r.target) continue;
    const target = columns.find((c) => c.name === r.target);
    if (target) target.aliases = [...(target.aliases ?? []), r.name];
  }
  return columns;
}

/**
 * osquery's `context` JSON: every column with its constraints, sorted by name, `op` as a
 * number and `expr` as text; NULL and empty values are dropped
 * (docs/extensions.md#the-context-json).
 */
export function contextJson(columns: readonly RouteColumn[], ctx: QueryContext): string {
  const sorted = [...columns].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const constraints = sorted.map((c) => ({
    name: c.name,
    // osquery forwards constraints only on INDEX, REQUIRED and ADDITIONAL columns.
    list: (c.index || c.required || c.additional ? (ctx.constraints.get(c.name) ?? []) : [])
      .filter((k) => k.expr !== null && k.expr !== '')
      .map((k) => ({ op: k.op, expr: Buffer.isBuffer(k.expr) ? k.expr.toString('utf8') : String(k.expr) })),
    affinity: WIRE_TYPE_NAME[c.type],
  }));
  const out: Record<string, unknown> = { constraints };
  if (ctx.colsUsed !== null) {
    const used = columns.filter((c) => ctx.colsUsed?.has(c.name));
    out.colsUsed = used.map((c) => c.name);
    let bits = 0n;
    columns.forEach((c, i) => {
      if (ctx.colsUsed?.has(c.name)) bits |= 1n << BigInt(Math.min(i, 63));
    });
    out.colsUsedBitset = '__BITS__';
    return JSON.stringify(out).replace('"__BITS__"', bits.toString());
  }
  return JSON.stringify(out);
}

/**
 * C's strtol with base 0, as osquery parses integer cells: leading whitespace, sign,
 * `0x` hex, leading-zero octal, and trailing garbage ignored; no digits -> null.
 */
export function parseCInteger(text: string): bigint | null {
  const m = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(text);
  if (!m) return null;
  const sign = m[1] === '-' ? -1n : 1n;
  const digits = m[2] ?? '';
  let v: bigint;
  if (/^0[xX]/.test(digits)) v = BigInt(digits);
  else if (digits.length > 1 && digits.startsWith('0')) v = BigInt(`0o${digits.slice(1)}`);
  else v = BigInt(digits);
  return sign * v;
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/**
 * One string cell as osquery's core reads it for the column's type
 * (docs/extensions.md#rows-an-extension-returns).
 */
export function parseCell(type: ColumnType, text: string | undefined): string | number | bigint | null {
  if (text === undefined) return null;
  switch (type) {
    case 'text':
    case 'blob':
      return text;
    case 'double': {
      if (text === '') return null;
      const t = text.trim();
      const n = Number(t);
      return t !== '' && Number.isFinite(n) ? n : null;
    }
    default: {
      if (text === '') return null;
      const v = parseCInteger(text);
      if (v === null || v < I64_MIN || v > I64_MAX) return null;
      // INTEGER goes through sqlite3_result_int: narrowed to 32 bits.
      const w = type === 'integer' ? BigInt.asIntN(32, v) : v;
      return w >= BigInt(Number.MIN_SAFE_INTEGER) && w <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(w) : w;
    }
  }
}

/** How long one call to an extension may take: --thrift_timeout, or osq's tighter bound. */
export function extensionCallTimeoutMs(): number {
  const tight = flags.extensions_call_timeout_ms;
  return tight > 0 ? tight : flags.thrift_timeout * 1000;
}

/** One `call` to the extension serving `route`, waited for synchronously. */
function callExtension(route: ExtensionRoute, request: Record<string, string>): ExtensionCallResult {
  const timeoutMs = extensionCallTimeoutMs();
  const task: ExtensionCallTask = {
    socket: route.socket,
    registry: 'table',
    item: route.name,
    request,
    timeoutMs,
  };
  try {
    return runSync<ExtensionCallResult>({ kind: 'extension.call', payload: task }, timeoutMs + 1000);
  } catch (e) {
    throw new Error(`extension table ${route.name}: ${(e as Error).message}`);
  }
}

/**
 * osquery's json_value_array: one typed JSON value per column
 * (docs/extensions.md#writes-to-extension-tables).
 */
export function jsonValueArray(values: readonly WriteValue[]): string {
  const items = values.map((v) => {
    if (v === null) return 'null';
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'number') return Number.isFinite(v) ? jsonDouble(v) : 'null';
    return JSON.stringify(Buffer.isBuffer(v) ? v.toString('utf8') : v);
  });
  return `[${items.join(',')}]`;
}

/**
 * The request osquery's xUpdate sends. Its query context has no constraints; auto_rowid
 * is "true" when SQLite chose the rowid, which then travels as `id`.
 */
export function writeRequest(op: WriteOp): Record<string, string> {
  const context = '{"constraints":[]}';
  switch (op.action) {
    case 'delete':
      return { action: 'delete', context, id: op.rowid.toString() };
    case 'insert': {
      const req: Record<string, string> = {
        action: 'insert',
        context,
        json_value_array: jsonValueArray(op.values),
        auto_rowid: op.autoRowid ? 'true' : 'false',
      };
      if (op.autoRowid && op.rowid !== undefined) req.id = op.rowid.toString();
      return req;
    }
    case 'update': {
      const req: Record<string, string> = {
        action: 'update',
        context,
        id: op.rowid.toString(),
        json_value_array: jsonValueArray(op.values),
      };
      if (op.newRowid !== undefined) req.new_id = op.newRowid.toString();
      return req;
    }
  }
}

/**
 * The write's outcome from the extension's answer: exactly one row with a known
 * `status`, else a failure without message (SQLite's generic error), as in osquery. The
 * RPC status code is ignored.
 */
export function writeResult(rows: readonly Record<string, string>[]): WriteResult {
  const row = rows.length === 1 ? rows[0] : undefined;
  switch (row?.status) {
    case 'success':
      return row.id === undefined ? { status: 'success' } : { status: 'success', id: row.id };
    case 'readonly':
      return { status: 'readonly' };
    case 'failure':
      return row.message === undefined ? { status: 'failure' } : { status: 'failure', message: row.message };
    case 'constraint':
      return { status: 'constraint' };
    default:
      return { status: 'failure' };
  }
}

/** Build the Table that serves an extension's table through its socket. */
export function tableFromRoute(route: ExtensionRoute): Table {
  const columns = routeColumns(route.routeInfo);
  const aliases = route.routeInfo.filter((r) => r.id === 'alias' && r.alias).map((r) => r.alias as string);
  return defineTable({
    name: route.name,
    columns: Object.fromEntries(columns.map(({ name, unknownType: _u, ...spec }) => [name, spec])),
    aliases,
    generate(ctx: QueryContext): Row[] {
      const res = callExtension(route, { action: 'generate', context: contextJson(columns, ctx) });
      if (res.code !== 0) throw new Error(res.message || `extension table ${route.name} failed`);
      return res.response.map((cells) => {
        const row: Row = {};
        for (const c of columns) row[c.name] = c.unknownType ? null : parseCell(c.type, cells[c.name]);
        // The extension's own rowid, which UPDATE and DELETE send back (read by the engine).
        if (cells.rowid !== undefined && row.rowid === undefined) row.rowid = cells.rowid;
        return row;
      });
    },
    write(op: WriteOp): WriteResult {
      return writeResult(callExtension(route, writeRequest(op)).response);
    },
  });
}
