// The kinds of work an executor thread does for synchronous generators.
import { type HttpRequest, httpRequest } from '../net/http.js';
import { registerSyncHandler } from './sync-bridge.js';

export function registerBuiltinSyncHandlers(): void {
  registerSyncHandler('http', (payload) => httpRequest(payload as HttpRequest));
}
