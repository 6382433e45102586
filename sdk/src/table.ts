// Table plugins (docs/extensions.md#table-plugin-calls): `generate` answers a scan with rows
// of strings, `columns` with the route info, and insert/update/delete (optional) with one
// `{status}` row.
import type { PluginRequest, PluginResponse } from '@osq/idl';
import { type Column, type TableAttributes, tableRouteInfo } from './columns.js';
import { QueryContext } from './context.js';
import { errorMessage, failure, guarded, type Plugin, type PluginResult, success } from './plugin.js';

/**
 * A value a row may carry; it is sent as text (booleans as 1/0, dates as unix seconds,
 * objects and arrays as JSON). null/undefined (and NaN) mean SQL NULL.
 */
export type CellValue =
  | string
  | number
  | bigint
  | boolean
  | Buffer
  | Date
  | Record<string, unknown>
  | unknown[]
  | null
  | undefined;

/** One row: column name -> value. `rowid` (optional) becomes the SQLite rowid (for writes). */
export type Row<C extends string = string> = { [K in C]?: CellValue } & { rowid?: number | bigint | string };

export type Rows<C extends string> = Iterable<Row<C>> | AsyncIterable<Row<C>>;

export type Generate<C extends string> = (ctx: QueryContext<C>) => Rows<C> | Promise<Rows<C>>;

/** How a write went; osquery turns readonly/failure/constraint into the matching SQLite error. */
export type WriteStatus = 'success' | 'readonly' | 'failure' | 'constraint';

export interface WriteResult {
  status: WriteStatus;
  /** insert: the new row's rowid (needed when the core did not choose one). */
  id?: number | bigint | string;
  /** failure: the error text SQLite reports. */
  message?: string;
}

/** Decoded write values: the row by column name plus the raw JSON array. */
export interface WriteValues<C extends string> {
  row: { [K in C]?: unknown };
  values: unknown[];
}

export interface InsertRequest<C extends string> extends WriteValues<C> {
  /** True when SQLite chose the rowid (`rowid`); otherwise the plugin answers with `id`. */
  autoRowid: boolean;
  rowid?: string;
}

export interface UpdateRequest<C extends string> extends WriteValues<C> {
  rowid: string;
  /** Present when the statement changes the rowid. */
  newRowid?: string;
}

export interface DeleteRequest {
  rowid: string;
}

type WriteAnswer = WriteResult | WriteStatus | undefined;
type Handler<R, C extends string> = (req: R, ctx: QueryContext<C>) => WriteAnswer | Promise<WriteAnswer>;

export interface TableOptions<C extends string> {
  /** Other names for the table (osquery creates a view for each). */
  aliases?: readonly string[];
  attributes?: TableAttributes;
  /** For the documentation page and schema JSON. */
  description?: string;
  /** Example queries for the documentation page. */
  examples?: readonly string[];
  /** Platforms the table works on (documentation only; default: linux, darwin). */
  platforms?: readonly string[];
  insert?: Handler<InsertRequest<C>, C>;
  update?: Handler<UpdateRequest<C>, C>;
  delete?: Handler<DeleteRequest, C>;
}

export class TablePlugin<C extends string = string> implements Plugin {
  readonly registry = 'table';

  constructor(
    readonly name: string,
    readonly columns: readonly Column<C>[],
    private readonly generateRows: Generate<C>,
    readonly options: TableOptions<C> = {},
  ) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new Error(`invalid table name: ${JSON.stringify(name)}`);
    if (columns.length === 0) throw new Error(`table ${name} needs at least one column`);
    const seen = new Set<string>();
    for (const c of columns) {
      if (seen.has(c.name)) throw new Error(`table ${name}: duplicate column ${c.name}`);
      seen.add(c.name);
    }
  }

  routeInfo(): PluginResponse {
    return tableRouteInfo(this.columns, this.options);
  }

  call(request: PluginRequest): Promise<PluginResult> | PluginResult {
    const action = request.action;
    switch (action) {
      case undefined:
        return failure('Table plugins must include a request action');
      case 'generate':
        return guarded(() => this.generate(request));
      case 'columns':
        return success(this.routeInfo());
      case 'insert':
      case 'update':
      case 'delete':
        return this.write(action, request);
      default:
        return failure(`Unknown table plugin action: ${action}`);
    }
  }

  /** Runs `generate` and renders its rows for the wire. */
  async generate(request: PluginRequest): Promise<PluginResult> {
    const ctx = QueryContext.parse<C>(request.context);
    const rows = await this.generateRows(ctx);
    const out: PluginResponse = [];
    for await (const row of rows) out.push(this.render(row));
    return success(out);
  }

  /** Only declared columns (and `rowid`) are sent; osquery would ignore other keys anyway. */
  private render(row: Row<C>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const c of this.columns) {
      const text = cellText(row[c.name]);
      if (text !== undefined) out[c.name] = text;
    }
    const rowid = cellText(row.rowid);
    if (rowid !== undefined) out.rowid = rowid;
    return out;
  }

  private async write(action: 'insert' | 'update' | 'delete', request: PluginRequest): Promise<PluginResult> {
    let answer: WriteAnswer;
    try {
      const ctx = QueryContext.parse<C>(request.context);
      answer = await this.dispatchWrite(action, request, ctx);
    } catch (err) {
      answer = { status: 'failure', message: errorMessage(err) };
    }
    const result: WriteResult =
      typeof answer === 'string' ? { status: answer } : (answer ?? { status: 'success' });
    const row: Record<string, string> = { status: result.status };
    let id = result.id;
    if (action === 'insert' && result.status === 'success' && id === undefined) id = request.id;
    if (action === 'insert' && id !== undefined) row.id = String(id);
    if (result.message !== undefined) row.message = result.message;
    return success([row]);
  }

  private dispatchWrite(
    action: 'insert' | 'update' | 'delete',
    request: PluginRequest,
    ctx: QueryContext<C>,
  ): WriteAnswer | Promise<WriteAnswer> {
    const { insert, update, delete: remove } = this.options;
    if (action === 'delete') {
      return remove ? remove({ rowid: request.id ?? '' }, ctx) : 'readonly';
    }
    if (action === 'insert') {
      if (!insert) return 'readonly';
      const autoRowid = request.auto_rowid === 'true';
      const req: InsertRequest<C> = { ...this.values(request), autoRowid };
      if (autoRowid && request.id !== undefined) req.rowid = request.id;
      return insert(req, ctx);
    }
    if (!update) return 'readonly';
    const req: UpdateRequest<C> = { ...this.values(request), rowid: request.id ?? '' };
    if (request.new_id !== undefined) req.newRowid = request.new_id;
    return update(req, ctx);
  }

  /** json_value_array holds one value per column, in column order. */
  private values(request: PluginRequest): WriteValues<C> {
    const parsed: unknown = JSON.parse(request.json_value_array ?? '[]');
    if (!Array.isArray(parsed)) throw new Error('json_value_array is not an array');
    const row: { [K in C]?: unknown } = {};
    this.columns.forEach((c, i) => {
      if (i < parsed.length) row[c.name] = parsed[i];
    });
    return { row, values: parsed };
  }
}

/** A row value as the text osquery expects; undefined means "leave the key out" (NULL). */
export function cellText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return Number.isFinite(v) ? String(v) : undefined;
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? '1' : '0';
  }
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (v instanceof Date) return String(Math.floor(v.getTime() / 1000));
  return JSON.stringify(v);
}

/**
 * Declares a table: `tablePlugin('example_env', [column.text('name', {index: true}), ...],
 * (ctx) => rows)`. `generate` may be async and may return any (async) iterable of rows.
 */
export function tablePlugin<C extends string>(
  name: string,
  columns: readonly Column<C>[],
  generate: Generate<C>,
  options: TableOptions<C> = {},
): TablePlugin<C> {
  return new TablePlugin(name, columns, generate, options);
}
