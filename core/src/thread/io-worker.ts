// The inline engine's I/O thread: performs asynchronous tasks for generators that
// block on the sync bridge (see sync-bridge.ts).
import { type MessagePort, workerData } from 'node:worker_threads';
import { serveSyncTasks } from './sync-bridge.js';
import { registerBuiltinSyncHandlers } from './tasks.js';

registerBuiltinSyncHandlers();
serveSyncTasks((workerData as { port: MessagePort }).port);
