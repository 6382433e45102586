// The SQL worker thread: one connection, answering the engine's requests in order.
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { applyFlagSnapshot, type FlagValue } from '../flags/flags.js';
import { tableRegistry } from '../registry/tables.js';
import { Connection } from './connection.js';
import type { WorkerReply, WorkerRequest } from './engine.js';

import { setExecutorPort } from './sync-bridge.js';

const data = workerData as { flags: Record<string, FlagValue>; executor: MessagePort };
applyFlagSnapshot(data.flags);
setExecutorPort(data.executor);
const conn = new Connection(tableRegistry().enabled());

parentPort?.on('message', (req: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    const value = req.kind === 'query' ? conn.query(req.sql) : conn.columns(req.sql);
    reply = { id: req.id, ok: true, value };
  } catch (e) {
    reply = { id: req.id, ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  parentPort?.postMessage(reply);
});
