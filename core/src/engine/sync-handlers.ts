// The kinds of work an executor thread does for synchronous generators.

import { callExtension } from '../extensions/client.js';
import type { ExtensionCallResult, ExtensionCallTask } from '../extensions/routes.js';
import { type HttpRequest, httpRequest } from '../net/http.js';
import { registerSyncHandler } from './sync-bridge.js';

export function registerBuiltinSyncHandlers(): void {
  registerSyncHandler('http', (payload) => httpRequest(payload as HttpRequest));
  // A table plugin served by an extension (see extensions/routes.ts).
  registerSyncHandler('extension.call', async (payload): Promise<ExtensionCallResult> => {
    const task = payload as ExtensionCallTask;
    const res = await callExtension(
      task.socket,
      { method: 'call', registry: task.registry, item: task.item, request: task.request },
      task.timeoutMs,
    );
    return { code: res.status.code, message: res.status.message, response: res.response };
  });
}
