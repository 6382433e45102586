// openEngine(): the SQL engine the shell and daemon use. `inline` runs SQL on this
// thread (cheapest for a one-shot osqi); `worker` runs it on a worker thread so this
// thread stays free to serve sockets while a query runs.
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { flagSnapshot } from '../flags/flags.js';
import { tableRegistry } from '../registry/tables.js';
import { Connection } from './connection.js';
import { serveSyncTasks, stopSyncExecutor } from './sync-bridge.js';
import { registerBuiltinSyncHandlers } from './sync-handlers.js';
import type { QueryResult, SqlEngine, TableInfo } from './types.js';
import { schemaSql, sqlColumns } from './vtab.js';

export interface EngineOptions {
  thread: 'inline' | 'worker';
}

/** The tables as `.tables`/`.schema` and completion see them. */
export function tableInfos(): TableInfo[] {
  return tableRegistry()
    .enabled()
    .map((t) => ({
      name: t.name,
      schema: schemaSql(t),
      columns: sqlColumns(t).map((c) => ({
        name: c.name,
        type: c.spec.type.toUpperCase(),
        hidden: c.hidden,
      })),
    }));
}

class InlineEngine implements SqlEngine {
  private readonly conn = new Connection(tableRegistry().enabled());

  async query(sql: string): Promise<QueryResult> {
    return this.conn.query(sql);
  }

  async columns(sql: string): Promise<{ name: string; type: string }[]> {
    return this.conn.columns(sql);
  }

  tables(): TableInfo[] {
    return tableInfos();
  }

  async close(): Promise<void> {
    this.conn.close();
    await stopSyncExecutor();
  }
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

/** Messages between the engine and its worker (see worker.ts). */
export type WorkerRequest = { id: number; kind: 'query' | 'columns'; sql: string };
export type WorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; message: string };

class WorkerEngine implements SqlEngine {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | undefined;
  /** This thread executes the worker's asynchronous tasks (see sync-bridge.ts). */
  private readonly executor: MessagePort;

  constructor() {
    registerBuiltinSyncHandlers();
    const { port1, port2 } = new MessageChannel();
    this.executor = port1;
    serveSyncTasks(port1);
    this.worker = new Worker(new URL('./worker.js', import.meta.url), {
      workerData: { flags: flagSnapshot(), executor: port2 },
      transferList: [port2],
    });
    this.worker.on('message', (m: WorkerReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(m.message));
    });
    const fail = (e: Error) => {
      this.failure = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`osq: SQL worker exited (code ${code})`)));
  }

  private call<T>(kind: WorkerRequest['kind'], sql: string): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, kind, sql } satisfies WorkerRequest);
    });
  }

  query(sql: string): Promise<QueryResult> {
    return this.call('query', sql);
  }

  columns(sql: string): Promise<{ name: string; type: string }[]> {
    return this.call('columns', sql);
  }

  tables(): TableInfo[] {
    return tableInfos();
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
    this.executor.close();
  }
}

export async function openEngine(opts: EngineOptions): Promise<SqlEngine> {
  return opts.thread === 'worker' ? new WorkerEngine() : new InlineEngine();
}
