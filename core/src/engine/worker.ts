// An SQL worker thread: one connection, answering the engine's requests in order.
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { applyExtensionState, type ExtensionState } from '../extensions/state.js';
import { applyFlagSnapshot, type FlagValue } from '../flags/index.js';
import { tableRegistry } from '../registry/tables.js';
import { setSharedState } from '../thread/shared-state.js';
import { setExecutorPort } from '../thread/sync-bridge.js';
import { Connection } from './connection.js';
import type { WorkerNotice, WorkerReply, WorkerRequest } from './engine.js';

const data = workerData as {
  flags: Record<string, FlagValue>;
  executor: MessagePort;
  extensions: ExtensionState;
  shared: Record<string, unknown>;
};
applyFlagSnapshot(data.flags);
setExecutorPort(data.executor);
const conn = new Connection(tableRegistry().enabled());
applyExtensionState(data.extensions);
for (const [topic, value] of Object.entries(data.shared)) setSharedState(topic, value);

parentPort?.on('message', (msg: WorkerRequest | WorkerNotice) => {
  if (msg.kind === 'extensions') {
    applyExtensionState(msg.state);
    return;
  }
  if (msg.kind === 'publish') {
    setSharedState(msg.topic, msg.value);
    return;
  }
  let reply: WorkerReply;
  try {
    const value = msg.kind === 'query' ? conn.query(msg.sql) : conn.columns(msg.sql);
    reply = { id: msg.id, ok: true, value };
  } catch (e) {
    reply = { id: msg.id, ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  parentPort?.postMessage(reply);
});
