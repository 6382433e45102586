// Registry calls an extension makes on the core's own table plugins
// (`call("table", "<core table>", {action: ...})`): `columns` answers the route info,
// `generate` runs the table with the constraints of the request's `context`.
import { columnOptionBits, type ExtensionResponse, WIRE_TYPE_NAME } from '@osq/idl';
import type { SqlEngine } from '../engine/types.js';
import { sqlColumns } from '../engine/vtab.js';
import { Op, type Table } from '../tables/framework.js';
import { renderValue } from './render.js';

/** The route info osquery broadcasts for a table: its columns with option bits. */
export function routeInfoOf(table: Table): Record<string, string>[] {
  return table.columnList.map((c) => ({
    id: 'column',
    name: c.name,
    type: WIRE_TYPE_NAME[c.type],
    op: String(columnOptionBits(c)),
  }));
}

const SQL_OPS: Record<number, string> = {
  [Op.EQ]: '=',
  [Op.GT]: '>',
  [Op.LE]: '<=',
  [Op.LT]: '<',
  [Op.GE]: '>=',
  [Op.LIKE]: 'LIKE',
  [Op.GLOB]: 'GLOB',
};

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** WHERE text for a context JSON's constraints (unknown ops are left out: rows stay a superset). */
function whereOf(contextJson: string | undefined, columns: Set<string>): string {
  if (!contextJson) return '';
  const ctx = JSON.parse(contextJson) as {
    constraints?: { name: string; list?: { op: number; expr: string }[] }[];
  };
  const terms: string[] = [];
  for (const c of ctx.constraints ?? []) {
    if (!columns.has(c.name) || !Array.isArray(c.list)) continue;
    for (const k of c.list) {
      const op = SQL_OPS[Number(k.op)];
      if (op) terms.push(`\`${c.name}\` ${op} ${quote(String(k.expr))}`);
    }
  }
  return terms.length ? ` WHERE ${terms.join(' AND ')}` : '';
}

/** A call to one of the core's own tables, run through `engine` like any query. */
export async function callCoreTable(
  engine: SqlEngine,
  table: Table,
  request: Record<string, string>,
): Promise<ExtensionResponse> {
  const name = table.name;
  const fail = (message: string): ExtensionResponse => ({
    status: { code: 1, message, uuid: 0 },
    response: [],
  });
  const action = request.action;
  if (action === undefined) return fail('Table plugins must include a request action');
  if (action === 'columns')
    return { status: { code: 0, message: 'OK', uuid: 0 }, response: routeInfoOf(table) };
  if (action !== 'generate') return fail(`Unknown table plugin action: ${action}`);
  const names = sqlColumns(table)
    .filter((c) => c.source === c.name)
    .map((c) => c.name);
  try {
    const sql = `SELECT ${names.map((n) => `\`${n}\``).join(', ')} FROM \`${name}\`${whereOf(request.context, new Set(names))}`;
    const r = await engine.query(sql);
    const response = r.rows.map((cells) => {
      const row: Record<string, string> = {};
      r.columns.forEach((c, i) => {
        if (cells[i] !== null) row[c] = renderValue(cells[i] ?? null, r.realColumns?.[i] ?? false);
      });
      return row;
    });
    return { status: { code: 0, message: 'OK', uuid: 0 }, response };
  } catch (e) {
    return fail((e as Error).message);
  }
}
