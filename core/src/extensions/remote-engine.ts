// An SqlEngine that runs queries in another osquery process through its extension
// manager socket (`osqi --connect SOCKET`): `query` for rows, `getQueryColumns` for
// their order and types. Values arrive as text, as osquery renders them.
import { ThriftClient } from '@osq/idl';
import type { QueryResult, SqlEngine, TableInfo } from '../engine/types.js';

export class RemoteEngine implements SqlEngine {
  private tableList: TableInfo[] = [];

  private constructor(
    private readonly client: ThriftClient,
    private readonly timeoutMs: number,
  ) {}

  static async connect(socket: string, timeoutMs: number): Promise<RemoteEngine> {
    const client = await ThriftClient.connect(socket, { timeoutMs });
    const engine = new RemoteEngine(client, timeoutMs);
    const tables = await engine.query(
      "SELECT name FROM osquery_registry WHERE registry = 'table' AND active = 1 ORDER BY name",
    );
    engine.tableList = tables.rows.map(([name]) => ({ name: String(name), schema: '', columns: [] }));
    return engine;
  }

  async columns(sql: string): Promise<{ name: string; type: string }[]> {
    const r = await this.client.call({ method: 'getQueryColumns', sql }, this.timeoutMs);
    if (r.status.code !== 0) throw new Error(r.status.message);
    return r.response.flatMap((m) => Object.entries(m).map(([name, type]) => ({ name, type })));
  }

  async query(sql: string): Promise<QueryResult> {
    const cols = await this.columns(sql);
    const r = await this.client.call({ method: 'query', sql }, this.timeoutMs);
    if (r.status.code !== 0) throw new Error(r.status.message);
    const names = cols.length > 0 ? cols.map((c) => c.name) : Object.keys(r.response[0] ?? {});
    return {
      columns: names,
      types: cols.map((c) => c.type),
      rows: r.response.map((row) => names.map((n) => row[n] ?? null)),
    };
  }

  tables(): TableInfo[] {
    return this.tableList;
  }

  publish(): void {
    // The remote process's tables read its own state.
  }

  async close(): Promise<void> {
    this.client.close();
  }
}
