// Lets a synchronous table generator wait for asynchronous work (an HTTP request, a
// call to an extension) done by another thread.
//
// SQLite calls generators synchronously, but sockets are asynchronous in Node. The
// generator posts a task to an executor thread and blocks with Atomics.wait until the
// executor signals the reply; the executor's event loop keeps running meanwhile, so
// it can serve other work (and, in the daemon, its sockets).
//
// Executors: in the worker engine the main thread is the executor (it owns extension
// connections); in the inline engine a small I/O worker is started the first time a
// generator needs one, so one-shot queries that need none pay nothing.

import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { distModule } from '../paths.js';

export interface SyncTask {
  kind: string;
  payload: unknown;
}

interface Request extends SyncTask {
  id: number;
  signal: SharedArrayBuffer;
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

export type SyncHandler = (payload: unknown) => Promise<unknown>;

// ------------------------------------------------------------------ executor side

const handlers = new Map<string, SyncHandler>();

/** Register what the executor does for a kind of task. */
export function registerSyncHandler(kind: string, handler: SyncHandler): void {
  handlers.set(kind, handler);
}

/** Serve tasks arriving on `port` with the registered handlers. */
export function serveSyncTasks(port: MessagePort): void {
  port.on('message', async (req: Request) => {
    let reply: Reply;
    try {
      const handler = handlers.get(req.kind);
      if (!handler) throw new Error(`osq: no handler for ${req.kind} tasks`);
      reply = { id: req.id, ok: true, value: await handler(req.payload) };
    } catch (e) {
      reply = { id: req.id, ok: false, message: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(reply);
    const flag = new Int32Array(req.signal);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
}

// ------------------------------------------------------------------ caller side

let callerPort: MessagePort | undefined;
let ioWorker: Worker | undefined;
let nextId = 1;

/** Use `port` to reach the executor (the worker engine hands one to each SQL worker). */
export function setExecutorPort(port: MessagePort): void {
  callerPort = port;
}

function executorPort(): MessagePort {
  if (callerPort) return callerPort;
  // Inline engine: start an I/O worker on first use and talk to it over a channel.
  const { port1, port2 } = new MessageChannel();
  ioWorker = new Worker(distModule('thread/io-worker.js'), {
    workerData: { port: port2 },
    transferList: [port2],
  });
  ioWorker.unref();
  callerPort = port1;
  callerPort.unref();
  return callerPort;
}

/**
 * Run a task on the executor and block this thread until its reply arrives or
 * `timeoutMs` passes (then throw a clear error; a late reply is discarded).
 */
export function runSync<T>(task: SyncTask, timeoutMs: number): T {
  const port = executorPort();
  const id = nextId++;
  const signal = new SharedArrayBuffer(4);
  const flag = new Int32Array(signal);
  port.postMessage({ ...task, id, signal } satisfies Request);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`osq: ${task.kind} timed out after ${timeoutMs} ms`);
    Atomics.wait(flag, 0, 0, Math.min(left, 50));
    // The reply may trail the signal by a moment: poll the port until our id shows up.
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
      const reply = m.message as Reply;
      if (reply.id !== id) continue; // a late reply to a task that already timed out
      if (reply.ok) return reply.value as T;
      throw new Error(reply.message);
    }
  }
}

/** Stop the inline engine's I/O worker, if one was started. */
export async function stopSyncExecutor(): Promise<void> {
  const w = ioWorker;
  ioWorker = undefined;
  callerPort = undefined;
  if (w) await w.terminate();
}
