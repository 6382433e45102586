// The kinds of work an executor thread does for synchronous generators: HTTP requests
// (Docker, LXD, cloud metadata tables) and calls to an extension's plugin (extension
// tables, see extensions/routes/table.ts).
import { callExtension } from '../extensions/client.js';
import { type HttpRequest, httpRequest } from '../net/http.js';
import { registerSyncHandler } from './sync-bridge.js';

/** The request/response of one `call` to an extension, run on the sync bridge. */
export interface ExtensionCallTask {
  socket: string;
  registry: string;
  item: string;
  request: Record<string, string>;
  timeoutMs: number;
}

export interface ExtensionCallResult {
  code: number;
  message: string;
  response: Record<string, string>[];
}

export function registerBuiltinSyncHandlers(): void {
  registerSyncHandler('http', (payload) => httpRequest(payload as HttpRequest));
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
