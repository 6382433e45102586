// ExtensionServer's life against a scripted manager (a bare Thrift server speaking the
// ExtensionManager methods): waiting for the manager, what registerExtension carries,
// the extension socket, and each way of stopping (docs/extensions.md#the-extension-side,
// docs/extensions.md#health-checks).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { type CallOf, createThriftServer, type InternalExtensionInfo, ThriftClient } from '@osq/idl';
import { column, ExtensionServer, tablePlugin } from '../../sdk/src/index.ts';
import { probeLauncher, spawnExtension } from './harness.ts';

interface FakeOptions {
  uuid?: number;
  refuse?: string;
  /** Whether extensions() lists the registered uuid (default true). */
  listed?: boolean;
}

interface Fake {
  registrations: CallOf<'registerExtension'>[];
  deregistrations: number[];
  pings: number;
  /** Stop listening and cut every connection, as a crashed core would. */
  crash(): Promise<void>;
}

async function fakeManager(path: string, opts: FakeOptions = {}): Promise<Fake> {
  const uuid = opts.uuid ?? 4242;
  let info: InternalExtensionInfo | undefined;
  const sockets = new Set<Socket>();
  const fake: Fake = {
    registrations: [],
    deregistrations: [],
    pings: 0,
    crash: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
  const server: Server = createThriftServer({
    ping: () => {
      fake.pings++;
      return { code: 0, message: 'pong', uuid: 0 };
    },
    registerExtension: (c) => {
      fake.registrations.push(c);
      if (opts.refuse) return { code: 1, message: opts.refuse, uuid: 0 };
      info = c.info;
      return { code: 0, message: 'OK', uuid };
    },
    extensions: () => new Map(info && opts.listed !== false ? [[uuid, info]] : []),
    deregisterExtension: (c) => {
      fake.deregistrations.push(c.uuid);
      info = undefined;
      return { code: 0, message: 'OK', uuid: 0 };
    },
  });
  server.on('connection', (s: Socket) => sockets.add(s));
  await new Promise<void>((r) => server.listen(path, r));
  return fake;
}

const isSocket = (path: string) => existsSync(path) && statSync(path).isSocket();

/** Polls `cond` every 20 ms for up to 10 s. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(cond(), 'condition not reached');
}

const table = tablePlugin('life_t', [column.text('a', { index: true })], () => [{ a: '1' }]);

describe('ExtensionServer lifecycle', () => {
  let dir: string;
  let socket: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'osq-life-'));
    socket = join(dir, 'm.em');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const server = (extra: Partial<ConstructorParameters<typeof ExtensionServer>[0]> = {}) =>
    new ExtensionServer({
      name: 'life',
      version: '9.9',
      socket,
      timeout: 3,
      interval: 0.2,
      argv: [],
      ...extra,
    }).add(table);

  it('waits for a late manager, registers, then listens on <socket>.<uuid> (0600, stale file replaced)', async () => {
    writeFileSync(`${socket}.4242`, 'stale'); // left by an earlier extension
    const s = server();
    const running = s.run();
    await new Promise((r) => setTimeout(r, 300));
    const fake = await fakeManager(socket);
    await until(() => isSocket(`${socket}.4242`));
    assert.equal(s.uuid, 4242);
    assert.equal(s.extensionSocket, `${socket}.4242`);
    const st = statSync(`${socket}.4242`);
    assert.ok(st.isSocket());
    assert.equal(st.mode & 0o777, 0o600);
    const [reg] = fake.registrations;
    assert.deepEqual(reg?.info, {
      name: 'life',
      version: '9.9',
      sdk_version: '5.23.0',
      min_sdk_version: '0.0.0',
    });
    assert.deepEqual(Object.keys(reg?.registry ?? {}).sort(), ['config', 'distributed', 'logger', 'table']);
    assert.deepEqual(reg?.registry.table?.life_t, table.routeInfo());
    const wire = await ThriftClient.connect(`${socket}.4242`);
    assert.deepEqual(await wire.call({ method: 'ping' }), { code: 0, message: 'pong', uuid: 4242 });
    wire.close();
    // The manager crashes: the next ping fails and run() returns.
    await fake.crash();
    assert.equal(await running, 'manager-gone');
    assert.equal(existsSync(`${socket}.4242`), false);
  });

  it('pings on one connection every interval and stops when the core forgets it', async () => {
    const fake = await fakeManager(socket, { listed: false });
    const t0 = Date.now();
    assert.equal(await server().run(), 'unregistered');
    assert.ok(Date.now() - t0 >= 150);
    assert.ok(fake.pings >= 2); // the readiness probe, then the watcher's ping
    await fake.crash();
  });

  it('a refused registration rejects run() with the core message and leaves no socket', async () => {
    const fake = await fakeManager(socket, { refuse: 'Duplicate extension registered' });
    await assert.rejects(server().run(), /registering life failed: Duplicate extension registered/);
    assert.equal(existsSync(`${socket}.4242`), false);
    await fake.crash();
  });

  it('gives up after --timeout when no manager answers', async () => {
    const t0 = Date.now();
    await assert.rejects(server({ timeout: 0.3 }).run(), /manager not available/);
    const took = Date.now() - t0;
    assert.ok(took >= 250 && took < 2000, `took ${took} ms`);
  });

  it("answers the core's shutdown call, then stops", async () => {
    const fake = await fakeManager(socket);
    const s = server({ interval: 5 });
    const running = s.run();
    await until(() => s.extensionSocket !== undefined && existsSync(s.extensionSocket));
    const wire = await ThriftClient.connect(`${socket}.4242`);
    assert.equal(await wire.call({ method: 'shutdown' }), undefined);
    wire.close();
    assert.equal(await running, 'manager-shutdown');
    assert.deepEqual(fake.deregistrations, []); // the core is going away: no need
    await fake.crash();
  });

  it('shutdown() deregisters and resolves run()', async () => {
    const fake = await fakeManager(socket);
    const s = server({ interval: 5 });
    const running = s.run();
    await until(() => existsSync(`${socket}.4242`));
    await s.shutdown();
    assert.equal(await running, 'shutdown');
    assert.deepEqual(fake.deregistrations, [4242]);
    await fake.crash();
  });

  it('as a program: exit 0 when the core goes away, 1 when it forgets us or refuses us', async () => {
    const gone = await fakeManager(socket);
    const a = spawnExtension(probeLauncher, socket);
    await until(() => existsSync(`${socket}.4242`));
    await gone.crash();
    assert.equal(await a.exited, 0);

    const forgot = await fakeManager(socket, { listed: false });
    const b = spawnExtension(probeLauncher, socket);
    assert.equal(await b.exited, 1);
    await forgot.crash();

    const refuses = await fakeManager(socket, { refuse: 'Incompatible extension SDK version' });
    const c = spawnExtension(probeLauncher, socket);
    assert.equal(await c.exited, 1);
    assert.match(c.stderr(), /Incompatible extension SDK version/);
    await refuses.crash();
  });
});
