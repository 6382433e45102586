// openEngine(): the SQL engine the shell and daemon use. `inline` runs SQL on this
// thread (cheapest for a one-shot osqi); `worker` runs it on a worker thread so this
// thread stays free to serve sockets while a query runs.
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { flagSnapshot } from '../flags/index.js';
import { distModule } from '../paths.js';
import { setUpRegistries } from '../plugins.js';
import { type ExtensionState, enabledTables } from '../registry/index.js';
import { COLUMN_TYPE_NAME } from '../tables/framework.js';
import { allSharedState, setSharedState } from '../thread/shared-state.js';
import { serveSyncTasks, stopSyncExecutor } from '../thread/sync-bridge.js';
import { registerBuiltinSyncHandlers } from '../thread/tasks.js';
import { SqlThread } from './sql-thread.js';
import type { QueryResult, SqlEngine, TableInfo } from './types.js';
import { schemaSql, sqlColumns } from './vtab.js';

export interface EngineOptions {
  thread: 'inline' | 'worker';
  /** Most worker threads a `worker` engine starts (default 4). */
  maxWorkers?: number;
}

/** The tables as `.tables`/`.schema` and completion see them (this thread's table registry). */
export function tableInfos(): TableInfo[] {
  return enabledTables(setUpRegistries().table).map((t) => ({
    name: t.name,
    schema: schemaSql(t),
    columns: sqlColumns(t).map((c) => ({
      name: c.name,
      type: COLUMN_TYPE_NAME[c.spec.type],
      hidden: c.hidden,
    })),
  }));
}

/** SQL on this thread: extension tables appear as the extension manager registers them. */
class InlineEngine implements SqlEngine {
  private readonly sql = new SqlThread();

  async query(sql: string): Promise<QueryResult> {
    return this.sql.connection.query(sql);
  }

  async columns(sql: string): Promise<{ name: string; type: string }[]> {
    return this.sql.connection.columns(sql);
  }

  tables(): TableInfo[] {
    return tableInfos();
  }

  publish(topic: string, value: unknown): void {
    setSharedState(topic, value);
  }

  async close(): Promise<void> {
    this.sql.close();
    await stopSyncExecutor();
  }
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

/** Messages between the engine and its workers (see worker.ts). */
export type WorkerRequest = { id: number; kind: 'query' | 'columns'; sql: string };
/** Broadcast to every worker, answered by nothing. */
export type WorkerNotice =
  | { kind: 'extensions'; state: ExtensionState }
  | { kind: 'publish'; topic: string; value: unknown };
export type WorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; message: string };

/** One SQL worker thread: one connection, one request at a time. */
class SqlWorker {
  readonly thread: Worker;
  busy = false;
  private pending: (Pending & { id: number }) | undefined;
  private failure: Error | undefined;

  constructor(executor: MessagePort, extensions: ExtensionState, onIdle: () => void) {
    this.thread = new Worker(distModule('engine/worker.js'), {
      workerData: { flags: flagSnapshot(), executor, extensions, shared: allSharedState() },
      transferList: [executor],
    });
    this.thread.on('message', (m: WorkerReply) => {
      const p = this.pending;
      if (!p || p.id !== m.id) return;
      this.pending = undefined;
      this.busy = false;
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(m.message));
      onIdle();
    });
    const fail = (e: Error) => {
      this.failure = e;
      this.pending?.reject(e);
      this.pending = undefined;
    };
    this.thread.on('error', fail);
    this.thread.on('exit', (code) => fail(new Error(`osq: SQL worker exited (code ${code})`)));
  }

  get dead(): boolean {
    return this.failure !== undefined;
  }

  run(req: WorkerRequest, p: Pending): void {
    if (this.failure) {
      p.reject(this.failure);
      return;
    }
    this.busy = true;
    this.pending = { ...p, id: req.id };
    this.thread.postMessage(req);
  }

  notify(notice: WorkerNotice): void {
    this.thread.postMessage(notice);
  }

  async stop(): Promise<void> {
    this.thread.removeAllListeners('exit');
    await this.thread.terminate();
  }
}

/**
 * SQL on worker threads. Requests go to an idle worker; when every worker is busy a
 * new one starts, up to `maxWorkers`, so a query that waits on an extension which in
 * turn queries the core is answered by another worker instead of deadlocking. The
 * extension state this thread's registries receive (from the extension manager) is
 * handed to every worker, which applies it to its own.
 */
class WorkerEngine implements SqlEngine {
  private readonly workers: SqlWorker[] = [];
  private readonly queue: { req: WorkerRequest; p: Pending }[] = [];
  private nextId = 1;
  /** This thread executes the workers' asynchronous tasks (see thread/sync-bridge.ts). */
  private readonly executors: MessagePort[] = [];
  private readonly registries = setUpRegistries();
  private readonly unsubscribe = this.registries.onExtensionState((state) => {
    for (const w of this.workers) w.notify({ kind: 'extensions', state });
  });

  constructor(private readonly maxWorkers: number) {
    registerBuiltinSyncHandlers();
    this.spawn();
  }

  private spawn(): SqlWorker {
    const { port1, port2 } = new MessageChannel();
    serveSyncTasks(port1);
    this.executors.push(port1);
    const w = new SqlWorker(port2, this.registries.extensionState(), () => this.drain());
    this.workers.push(w);
    return w;
  }

  private drain(): void {
    while (this.queue.length > 0) {
      for (let i = this.workers.length - 1; i >= 0; i--) if (this.workers[i]?.dead) this.workers.splice(i, 1);
      let w = this.workers.find((x) => !x.busy);
      if (!w && this.workers.length < this.maxWorkers) w = this.spawn();
      if (!w) return;
      const next = this.queue.shift();
      if (next) w.run(next.req, next.p);
    }
  }

  private call<T>(kind: WorkerRequest['kind'], sql: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        req: { id: this.nextId++, kind, sql },
        p: { resolve: resolve as (v: unknown) => void, reject },
      });
      this.drain();
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

  publish(topic: string, value: unknown): void {
    setSharedState(topic, value); // new workers start from this thread's copy
    for (const w of this.workers) w.notify({ kind: 'publish', topic, value });
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await Promise.all(this.workers.map((w) => w.stop()));
    for (const p of this.executors) p.close();
  }
}

export async function openEngine(opts: EngineOptions): Promise<SqlEngine> {
  return opts.thread === 'worker' ? new WorkerEngine(opts.maxWorkers ?? 4) : new InlineEngine();
}
