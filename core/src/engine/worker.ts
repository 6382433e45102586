// An SQL worker thread: its own registries and connection (SqlThread), answering the
// engine's requests in order and applying the extension state the engine hands it.
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { applyFlagSnapshot, type FlagValue } from '../flags/index.js';
import type { ExtensionState } from '../registry/index.js';
import { setSharedState } from '../thread/shared-state.js';
import { setExecutorPort } from '../thread/sync-bridge.js';
import type { WorkerNotice, WorkerReply, WorkerRequest } from './engine.js';
import { SqlThread } from './sql-thread.js';

const data = workerData as {
  flags: Record<string, FlagValue>;
  executor: MessagePort;
  extensions: ExtensionState;
  shared: Record<string, unknown>;
};
applyFlagSnapshot(data.flags);
setExecutorPort(data.executor);
const sql = new SqlThread();
sql.registries.applyExtensionState(data.extensions);
for (const [topic, value] of Object.entries(data.shared)) setSharedState(topic, value);

parentPort?.on('message', (msg: WorkerRequest | WorkerNotice) => {
  if (msg.kind === 'extensions') {
    sql.registries.applyExtensionState(msg.state);
    return;
  }
  if (msg.kind === 'publish') {
    setSharedState(msg.topic, msg.value);
    return;
  }
  let reply: WorkerReply;
  try {
    const value = msg.kind === 'query' ? sql.connection.query(msg.sql) : sql.connection.columns(msg.sql);
    reply = { id: msg.id, ok: true, value };
  } catch (e) {
    reply = { id: msg.id, ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  parentPort?.postMessage(reply);
});
