// A call from the core to the plugin an extension serves, found in this thread's registry
// at each call rather than once: an extension that dies and restarts registers anew,
// under another uuid and socket, and an activated logger or config plugin follows it.
import type { ExtensionResponse } from '@osq/idl';
import { registries } from '../../registry/index.js';
import { callExtension } from '../client.js';

/** The socket of the extension serving `name` of `registry` now, if one does. */
export function routeSocket(registry: string, name: string): string | undefined {
  return registries().get(registry)?.item(name)?.route?.socket;
}

/** `call(registry, name, request)` on the extension serving the plugin; throws when none does. */
export async function callRoute(
  registry: string,
  name: string,
  request: Record<string, string>,
  timeoutMs: number,
): Promise<ExtensionResponse> {
  const socket = routeSocket(registry, name);
  if (!socket) throw new Error(`no extension serves ${registry} plugin ${name}`);
  return callExtension(socket, { method: 'call', registry, item: name, request }, timeoutMs);
}
