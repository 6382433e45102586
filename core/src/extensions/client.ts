// Calls from the core to an extension: a fresh connection per call, closed right
// after, as osquery's core does. osquery-python serves one connection at a time, so a
// core that kept connections open would block every other request to it.
import { type CallOf, type MethodName, type ResultOf, ThriftClient } from '@osq/idl';

/**
 * How long to wait for a registered extension's socket to accept: it binds after
 * registering (ENOENT until then), and between bind and listen a connect is refused.
 * A refusal that lasts is a stale socket file of a dead extension, so it waits less.
 */
const RETRY_MS: Record<string, number> = { ENOENT: 3000, ECONNREFUSED: 500 };

async function connect(socket: string, deadline: number): Promise<ThriftClient> {
  const started = Date.now();
  for (;;) {
    try {
      return await ThriftClient.connect(socket, { timeoutMs: Math.max(1, deadline - Date.now()) });
    } catch (e) {
      const wait = RETRY_MS[(e as NodeJS.ErrnoException).code ?? ''] ?? 0;
      if (Date.now() - started >= wait || Date.now() >= deadline) throw e;
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
