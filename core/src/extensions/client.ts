// Calls from the core to an extension: a fresh connection per call, closed right
// after, as osquery's core does. osquery-python serves one connection at a time, so a
// core that kept connections open would block every other request to it.
import { type CallOf, type MethodName, type ResultOf, ThriftClient } from '@osq/idl';

/** How long to wait for a registered extension's socket to appear (it binds after registering). */
const SOCKET_APPEAR_MS = 3000;

async function connect(socket: string, deadline: number): Promise<ThriftClient> {
  const appearBy = Math.min(deadline, Date.now() + SOCKET_APPEAR_MS);
  for (;;) {
    try {
      return await ThriftClient.connect(socket, { timeoutMs: Math.max(1, deadline - Date.now()) });
    } catch (e) {
      // ENOENT: not listening yet. Anything else (ECONNREFUSED from a stale socket file
      // of a dead extension, ...) fails at once.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || Date.now() >= appearBy) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

export async function callExtension<M extends MethodName>(
  socket: string,
  call: CallOf<M>,
  timeoutMs: number,
): Promise<ResultOf<M>> {
  const deadline = Date.now() + timeoutMs;
  const client = await connect(socket, deadline);
  try {
    return await client.call(call, Math.max(1, deadline - Date.now()));
  } finally {
    client.close();
  }
}
