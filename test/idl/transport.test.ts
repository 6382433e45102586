// The socket transport over real Unix sockets: our client and server together, the npm thrift
// client against our server, and our client against an npm thrift server.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encodeCall } from '../../idl/src/codec.js';
import { ApplicationError, TimeoutError } from '../../idl/src/errors.js';
import { ExtensionManager, thrift } from '../../idl/src/reference.js';
import { createThriftServer, type Handlers, ThriftClient } from '../../idl/src/transport.js';
import type { ExtensionRegistry, InternalExtensionInfo } from '../../idl/src/types.js';
import { makeRows, plain, response, UNICODE } from './samples.js';

const dir = mkdtempSync(join(tmpdir(), 'osq-idl-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const info: InternalExtensionInfo = {
  name: 'example',
  version: '0.0.1',
  sdk_version: '3.0.7',
  min_sdk_version: '1.8.0',
};
const registry: ExtensionRegistry = {
  table: { example: [{ id: 'column', name: 'a', type: 'TEXT', op: '0' }] },
};
const options = { verbose: { value: 'false', default_value: 'false', type: 'bool' } };
const rows = (n: number) => makeRows(n, 10);

/** A manager-like handler set: records registrations, answers calls with `n` rows. */
function managerHandlers(): Handlers & { registered: InternalExtensionInfo[] } {
  const registered: InternalExtensionInfo[] = [];
  return {
    registered,
    ping: () => ({ code: 0, message: 'OK', uuid: 0 }),
    call: ({ registry: reg, item, request }) =>
      reg === 'fail'
        ? Promise.reject(new Error(`no such registry ${reg}`))
        : response(rows(Number(request['rows'] ?? '0')), 0, `${reg}/${item}`),
    shutdown: () => undefined,
    extensions: () => new Map(registered.map((r, i) => [i + 1, r])),
    options: () => options,
    registerExtension: (c) => {
      registered.push(c.info);
      return { code: 0, message: `${Object.keys(c.registry).join(',')}`, uuid: registered.length };
    },
    deregisterExtension: ({ uuid }) => ({ code: 0, message: `bye ${uuid}`, uuid }),
    query: ({ sql }) => response([{ sql }]),
    getQueryColumns: () => response([{ s: 'INTEGER' }]),
  };
}

function listen(server: net.Server, path: string): Promise<void> {
  return new Promise((resolve) => server.listen(path, resolve));
}

describe('transport: our client and our server', () => {
  const path = join(dir, 'ours.em');
  const handlers = managerHandlers();
  const server = createThriftServer(handlers);
  before(() => listen(server, path));
  after(() => server.close());

  it('serves every method on one connection', async () => {
    const c = await ThriftClient.connect(path, { timeoutMs: 2000 });
    try {
      assert.deepEqual(await c.call({ method: 'ping' }), { code: 0, message: 'OK', uuid: 0 });
      const reg = await c.call({ method: 'registerExtension', info, registry });
      assert.deepEqual(reg, { code: 0, message: 'table', uuid: 1 });
      assert.deepEqual(await c.call({ method: 'extensions' }), new Map([[1, info]]));
      assert.deepEqual(await c.call({ method: 'options' }), options);
      const r = await c.call({ method: 'call', registry: 'table', item: 'x', request: { rows: '10000' } });
      assert.equal(r.status.message, 'table/x');
      assert.deepEqual(r.response, rows(10_000));
      assert.deepEqual(await c.call({ method: 'query', sql: UNICODE[4]! }), response([{ sql: UNICODE[4]! }]));
      assert.equal((await c.call({ method: 'deregisterExtension', uuid: 1 })).message, 'bye 1');
      assert.equal(await c.call({ method: 'shutdown' }), undefined);
    } finally {
      c.close();
    }
  });

  it('queues concurrent calls and answers them in order', async () => {
    const c = await ThriftClient.connect(path);
    try {
      const calls = Array.from({ length: 50 }, (_, i) =>
        c.call({ method: 'call', registry: 'r', item: String(i), request: { rows: String(i % 3) } }),
      );
      const results = await Promise.all(calls);
      results.forEach((r, i) => {
        assert.equal(r.status.message, `r/${i}`);
        assert.equal(r.response.length, i % 3);
      });
    } finally {
      c.close();
    }
  });

  it('a handler error is an INTERNAL_ERROR exception and the connection stays usable', async () => {
    const c = await ThriftClient.connect(path);
    try {
      await assert.rejects(
        c.call({ method: 'call', registry: 'fail', item: '', request: {} }),
        (e: unknown) => e instanceof ApplicationError && e.type === 6 && /no such registry/.test(e.message),
      );
      assert.equal((await c.call({ method: 'ping' })).code, 0);
    } finally {
      c.close();
    }
  });

  it('pipelined calls in one write get their replies in order', async () => {
    const sock = net.createConnection({ path });
    const bytes = Buffer.concat([
      encodeCall({ method: 'ping' }, 1),
      encodeCall({ method: 'query', sql: 'a' }, 2),
      encodeCall({ method: 'ping' }, 3),
    ]);
    const got: Buffer[] = [];
    const { MessageFramer } = await import('../../idl/src/framer.js');
    const { decodeHeader } = await import('../../idl/src/codec.js');
    const f = new MessageFramer();
    await new Promise<void>((resolve) => {
      sock.on('data', (chunk: Buffer) => {
        got.push(...f.push(chunk));
        if (got.length === 3) resolve();
      });
      sock.write(bytes);
    });
    sock.destroy();
    assert.deepEqual(
      got.map((m) => decodeHeader(m)),
      [
        { name: 'ping', type: 2, seqid: 1 },
        { name: 'query', type: 2, seqid: 2 },
        { name: 'ping', type: 2, seqid: 3 },
      ],
    );
  });

  it('garbage drops that connection only', async () => {
    const errors: Error[] = [];
    const p = join(dir, 'garbage.em');
    const s = createThriftServer(managerHandlers(), { onError: (e) => errors.push(e) });
    await listen(s, p);
    try {
      const sock = net.createConnection({ path: p });
      await new Promise<void>((resolve) => {
        sock.on('close', () => resolve());
        sock.on('error', () => undefined);
        sock.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      });
      assert.equal(errors[0]?.name, 'ProtocolError');
      const c = await ThriftClient.connect(p);
      assert.equal((await c.call({ method: 'ping' })).code, 0);
      c.close();
    } finally {
      s.close();
    }
  });

  it('an extension-only server answers manager methods with UNKNOWN_METHOD', async () => {
    const p = join(dir, 'ext.em.1');
    const s = createThriftServer({ ping: () => ({ code: 0, message: 'OK', uuid: 1 }) });
    await listen(s, p);
    const c = await ThriftClient.connect(p);
    try {
      await assert.rejects(
        c.call({ method: 'extensions' }),
        (e: unknown) =>
          e instanceof ApplicationError && e.type === 1 && e.message === "Invalid method name: 'extensions'",
      );
      assert.equal((await c.call({ method: 'ping' })).uuid, 1);
    } finally {
      c.close();
      s.close();
    }
  });

  it('a call timeout rejects with TimeoutError and closes the client', async () => {
    const p = join(dir, 'slow.em');
    const s = createThriftServer({
      ping: () => new Promise((r) => setTimeout(() => r({ code: 0, message: '', uuid: 0 }), 500)),
    });
    await listen(s, p);
    const c = await ThriftClient.connect(p);
    try {
      await assert.rejects(c.call({ method: 'ping' }, 50), TimeoutError);
      assert.ok(c.isClosed);
      await assert.rejects(c.call({ method: 'ping' }));
    } finally {
      c.close();
      s.close();
    }
  });

  it('connecting to a missing socket fails', async () => {
    await assert.rejects(ThriftClient.connect(join(dir, 'missing'), { timeoutMs: 1000 }), /ENOENT/);
  });
});

// The npm runtime's client: typed loosely (createUDSConnection is missing from @types/thrift).
interface NpmClient {
  ping(): Promise<unknown>;
  call(registry: string, item: string, request: Record<string, string>): Promise<unknown>;
  registerExtension(info: InternalExtensionInfo, registry: ExtensionRegistry): Promise<unknown>;
  extensions(): Promise<unknown>;
  options(): Promise<unknown>;
  shutdown(): Promise<unknown>;
}

describe('transport: npm thrift client against our server', () => {
  const path = join(dir, 'ours-for-npm.em');
  const server = createThriftServer(managerHandlers());
  before(() => listen(server, path));
  after(() => server.close());

  it('ping, call with rows, registerExtension, extensions, options, shutdown', async () => {
    const createUDSConnection = (thrift as unknown as { createUDSConnection(p: string): net.Socket & object })
      .createUDSConnection;
    const conn = createUDSConnection(path);
    const client = thrift.createClient(ExtensionManager as never, conn as never) as unknown as NpmClient;
    try {
      assert.deepEqual(plain(await client.ping()), { code: 0, message: 'OK', uuid: 0 });
      const r = plain(await client.call('table', 'x', { rows: '1000' })) as { response: unknown };
      assert.deepEqual(r.response, rows(1000));
      assert.deepEqual(plain(await client.registerExtension(info, registry)), {
        code: 0,
        message: 'table',
        uuid: 1,
      });
      assert.deepEqual(plain(await client.extensions()), { 1: info });
      assert.deepEqual(plain(await client.options()), options);
      assert.equal(await client.shutdown(), undefined);
    } finally {
      (conn as unknown as { end(): void }).end();
    }
  });
});

describe('transport: our client against an npm thrift server', () => {
  const path = join(dir, 'npm.em');
  const registered: InternalExtensionInfo[] = [];
  // Promise-style handlers: the generated processor picks the style by each method's arity.
  const npmHandler = {
    ping: () => Promise.resolve({ code: 0, message: 'pong', uuid: 0 }),
    call: (reg: string, item: string, req: Record<string, string>) =>
      Promise.resolve(response(rows(Number(req['rows'] ?? '0')), 0, `${reg}/${item}`)),
    shutdown: () => Promise.resolve(),
    extensions: () => Promise.resolve(Object.fromEntries(registered.map((r, i) => [i + 1, r]))),
    options: () => Promise.resolve(options),
    registerExtension: (i: InternalExtensionInfo, _reg: unknown) => {
      registered.push(plain(i) as InternalExtensionInfo);
      return Promise.resolve({ code: 0, message: 'OK', uuid: registered.length });
    },
  };
  const server = thrift.createServer(ExtensionManager.Processor as never, npmHandler as never, {
    transport: thrift.TBufferedTransport,
    protocol: thrift.TBinaryProtocol,
  }) as unknown as net.Server;
  before(() => listen(server, path));
  after(() => server.close());

  it('ping, call with rows, registerExtension, extensions, options, shutdown', async () => {
    const c = await ThriftClient.connect(path);
    try {
      assert.deepEqual(await c.call({ method: 'ping' }), { code: 0, message: 'pong', uuid: 0 });
      const r = await c.call({ method: 'call', registry: 'table', item: 'x', request: { rows: '2000' } });
      assert.deepEqual(r, response(rows(2000), 0, 'table/x'));
      assert.deepEqual(await c.call({ method: 'registerExtension', info, registry }), {
        code: 0,
        message: 'OK',
        uuid: 1,
      });
      await c.call({ method: 'registerExtension', info: { ...info, name: 'two' }, registry });
      assert.deepEqual(
        await c.call({ method: 'extensions' }),
        new Map([
          [1, info],
          [2, { ...info, name: 'two' }],
        ]),
      );
      assert.deepEqual(await c.call({ method: 'options' }), options);
      assert.equal(await c.call({ method: 'shutdown' }), undefined);
    } finally {
      c.close();
    }
  });
});
