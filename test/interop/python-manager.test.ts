// osq's SDK against a manager written in Python (python/py_manager.py) on code generated
// from the independently transcribed IDL: the example extension registers there; the Python manager
// checks the payload as osquery's core would, then acts as the core: it probes and calls
// the extension's tables (a fresh connection per call, context JSON built as osquery
// builds it), pings it and shuts it down.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ThriftClient } from '@osq/idl';
import { exampleLauncher, type Spawned, spawnExtension } from '../sdk/harness.ts';
import { type Event, generatedPython, type PythonPeer, skipReason, spawnPython } from './harness.ts';

const KNOWN_REGISTRIES = [
  'config',
  'config_parser',
  'database',
  'distributed',
  'enroll',
  'event_publisher',
  'event_subscriber',
  'logger',
  'numeric_monitoring',
  'osquery_events_stream',
  'sql',
  'table',
];

/** What the Python manager does once the extension registered (see py_manager.py). */
const PLAN = [
  { op: 'ping' },
  { op: 'generate', table: 'example_env', where: { name: [[2, 'PATH']] } },
  // An optimized IN list arrives as several `=` constraints in one scan.
  {
    op: 'generate',
    table: 'example_env',
    where: {
      name: [
        [2, 'HOME'],
        [2, 'PATH'],
      ],
    },
  },
  { op: 'generate', table: 'example_files', where: { directory: [[2, '/etc']] } },
  { op: 'generate', table: 'example_self' },
  { op: 'call', registry: 'table', item: 'example_env', request: { action: 'columns' } },
  { op: 'call', registry: 'table', item: 'example_env', request: { action: 'generate' } },
  { op: 'call', registry: 'table', item: 'no_such_table', request: { action: 'generate' } },
  { op: 'sleep', seconds: 1.2 }, // two watch intervals of the extension (0.5 s)
  { op: 'shutdown' },
];

interface Reply {
  status: { code: number; message: string; uuid: number };
  response: Record<string, string>[];
}

describe('the SDK example extension registered with a Python manager', { skip: skipReason }, () => {
  let dir: string;
  let socket: string;
  let manager: PythonPeer;
  let ext: Spawned;
  let steps: Event[];
  let exitCode: number | string;

  before(async () => {
    generatedPython();
    dir = mkdtempSync(join(tmpdir(), 'osq-interop-mgr-'));
    socket = join(dir, 'py.em');
    const plan = join(dir, 'plan.json');
    writeFileSync(plan, JSON.stringify(PLAN));
    manager = spawnPython('py_manager.py', ['--socket', socket, '--plan', plan]);
    await manager.waitFor((e) => e.event === 'listening', 'the Python manager to listen');
    ext = spawnExtension(exampleLauncher(), socket);
    await manager.waitFor((e) => e.event === 'done', 'the Python manager to run its plan', 30_000);
    steps = manager.events.filter((e) => e.event === 'step');
    exitCode = await ext.exited;
  });

  after(() => {
    ext?.kill('SIGKILL');
    manager?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const result = (i: number) => {
    const s = steps.find((x) => x.index === i);
    assert.ok(s, `step ${i} ran`);
    assert.equal(s.error, undefined, `step ${i}: ${String(s.error)}`);
    return s.result as Reply & { request?: Record<string, string>; code?: number; message?: string };
  };

  it('sends a registration osquery accepts: sdk_version, known registries, route rows with id', () => {
    const reg = manager.events.find((e) => e.event === 'manager' && e.method === 'registerExtension');
    assert.ok(reg, 'registerExtension reached the Python manager');
    assert.deepEqual(reg.problems, []);
    assert.equal((reg.status as Reply['status']).code, 0);
    const info = reg.info as Record<string, string>;
    assert.deepEqual([info.name, info.version, info.min_sdk_version], ['example_table', '0.1.0', '0.0.0']);
    // Empty, or a version osquery's gate (>= 1.7.7) lets through.
    assert.match(info.sdk_version ?? '', /^$|^(\d+)\.(\d+)\.(\d+)/);
    const [maj = 0, min = 0, patch = 0] = (info.sdk_version ?? '').split('.').map(Number);
    assert.ok(info.sdk_version === '' || maj * 1e6 + min * 1e3 + patch >= 1_007_007, info.sdk_version);

    const registry = reg.registry as Record<string, Record<string, Record<string, string>[]>>;
    for (const name of Object.keys(registry)) assert.ok(KNOWN_REGISTRIES.includes(name), name);
    assert.deepEqual(Object.keys(registry.table ?? {}).sort(), [
      'example_env',
      'example_files',
      'example_self',
    ]);
    for (const [table, routes] of Object.entries(registry.table ?? {})) {
      assert.ok(routes.length > 0, table);
      for (const row of routes) assert.ok(typeof row.id === 'string', `${table}: ${JSON.stringify(row)}`);
    }
    const files = registry.table?.example_files ?? [];
    const directory = files.find((r) => r.id === 'column' && r.name === 'directory');
    assert.ok(directory && (Number(directory.op) & 2) === 2, 'directory is REQUIRED (op bit 2)');
  });

  it('answers the manager’s ping and table calls, each on a fresh connection', () => {
    assert.equal(result(0).code, 0);

    const path = result(1);
    assert.equal(path.status.code, 0);
    assert.deepEqual(path.response, [{ name: 'PATH', value: process.env.PATH }]);
    // The context was built by Python the way osquery's core builds it.
    const ctx = JSON.parse(path.request?.context ?? '{}');
    assert.deepEqual(ctx.constraints, [
      { name: 'name', list: [{ op: 2, expr: 'PATH' }], affinity: 'TEXT' },
      { name: 'value', list: [], affinity: 'TEXT' },
    ]);

    assert.deepEqual(
      result(2)
        .response.map((r) => r.name)
        .sort(),
      ['HOME', 'PATH'].filter((n) => process.env[n] !== undefined),
    );

    const etc = result(3).response;
    assert.deepEqual(
      etc.map((r) => r.filename),
      readdirSync('/etc').sort(),
    );
    for (const row of etc) {
      assert.equal(row.directory, '/etc');
      for (const v of Object.values(row)) assert.equal(typeof v, 'string', 'wire values are strings');
      assert.match(row.size ?? '', /^\d+$/);
    }

    // example_self asks the (Python) manager for its own processes row while it is called.
    const self = result(4).response;
    assert.equal(self.length, 1);
    assert.equal(self[0]?.pid, String(ext.child.pid));
    assert.equal(self[0]?.parent, String(process.pid));
    assert.match(self[0]?.threads ?? '', /^\d+$/);

    const reg = manager.events.find((e) => e.method === 'registerExtension');
    assert.ok(reg);
    const routes = (reg.registry as Record<string, Record<string, unknown>>).table?.example_env;
    assert.deepEqual(result(5), {
      status: { code: 0, message: 'OK', uuid: result(5).status.uuid },
      response: routes,
    });
    // Ad hoc generate without a context: every row.
    assert.equal(result(6).response.length, Object.keys(process.env).length);
    assert.deepEqual(
      [result(7).status.code, result(7).status.message],
      [1, 'Cannot call registry item: no_such_table'],
    );
  });

  it('keeps one connection for registration and its watch, and queries on another', () => {
    const seen = manager.events.filter((e) => e.event === 'manager');
    const reg = seen.find((e) => e.method === 'registerExtension');
    const watch = seen.filter((e) => e.method === 'ping' || e.method === 'extensions');
    assert.ok(
      watch.some((e) => e.method === 'extensions'),
      'the SDK checks it is still listed',
    );
    assert.deepEqual([...new Set(watch.map((e) => e.conn))], [reg?.conn]);
    const query = seen.find((e) => e.method === 'query');
    assert.match(String(query?.sql), new RegExp(`FROM processes WHERE pid = ${ext.child.pid}`));
    assert.notEqual(query?.conn, reg?.conn);
  });

  it('shutdown() gets its reply, then the extension exits 0 and removes its socket', () => {
    assert.deepEqual(result(PLAN.length - 1), { replied: true });
    assert.equal(exitCode, 0, ext.stderr());
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.startsWith('py.em.')),
      [],
    );
  });

  it('the Python manager refuses what osquery refuses (its checks are real)', async () => {
    const c = await ThriftClient.connect(socket, { timeoutMs: 2000 });
    const info = (sdk: string) => ({ name: 'bad', version: '1', sdk_version: sdk, min_sdk_version: '' });
    const old = await c.call({ method: 'registerExtension', info: info('1.6.0'), registry: {} });
    assert.deepEqual([old.code, old.message], [1, 'Incompatible extension SDK version']);
    const unknown = await c.call({ method: 'registerExtension', info: info(''), registry: { nonsense: {} } });
    assert.deepEqual(
      [unknown.code, unknown.message],
      [1, 'Failed adding registry: Unknown registry: nonsense'],
    );
    const noId = await c.call({
      method: 'registerExtension',
      info: info('5.0.0'),
      registry: { table: { t: [{ name: 'a', type: 'TEXT', op: '0' }] } },
    });
    assert.deepEqual([noId.code, noId.message], [1, 'Failed adding registry: Invalid route info']);
    c.close();
  });
});
