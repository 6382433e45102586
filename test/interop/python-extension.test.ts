// osq's extension manager serving an extension that behaves like osquery-python's
// (python/py_extension.py: TSimpleServer, one connection at a time, sdk_version 3.0.7,
// a watcher pinging the manager, a socket file left behind after shutdown), on Python code
// generated from the independently transcribed IDL. Once with a manager in this process, once
// through the real `osqi --extension`.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ThriftClient } from '@osq/idl';
import { type Core, repoRoot, startCore } from '../sdk/harness.ts';
import {
  type Event,
  FRUITS,
  generatedPython,
  PYTHON,
  type PythonExtension,
  preparePythonExtension,
  skipReason,
  until,
} from './harness.ts';

/** What SQL reads from a FRUITS row: osquery parses INTEGER cells in base 0, missing is NULL. */
const sqlRow = (f: Record<string, string>) => ({
  name: f.name,
  color: f.color,
  weight: f.weight === undefined ? null : Number(f.weight),
});

function launch(ext: PythonExtension, socket: string): { proc: ChildProcess; exited: Promise<unknown> } {
  const proc = spawn(ext.launcher, ['--socket', socket, '--timeout', '3', '--interval', '1'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { proc, exited: new Promise((r) => proc.on('exit', r)) };
}

/** The `context` of the last generate call the extension received, parsed. */
function lastContext(ext: PythonExtension): { constraints: unknown } {
  const calls = ext.events().filter((e) => e.event === 'call');
  const request = calls.at(-1)?.request as Record<string, string> | undefined;
  assert.equal(request?.action, 'generate');
  return JSON.parse(request?.context ?? '{}');
}

describe('an osquery-python-like extension registered with osq', { skip: skipReason }, () => {
  let core: Core;
  let ext: PythonExtension;
  let running: { proc: ChildProcess; exited: Promise<unknown> };

  before(async () => {
    generatedPython();
    core = await startCore({ interval: '1' });
    ext = preparePythonExtension(mkdtempSync(join(tmpdir(), 'osq-interop-ext-')));
    running = launch(ext, core.socket);
    await core.waitFor('py_interop');
  });

  after(async () => {
    running?.proc.kill('SIGKILL');
    await core?.close();
    if (ext) rmSync(ext.dir, { recursive: true, force: true });
  });

  it("registers with osquery-python's versions and plain route rows", async () => {
    const reg = core.manager.list().find((e) => e.name === 'py_interop');
    assert.ok(reg);
    assert.deepEqual(
      { version: reg.version, sdk: reg.sdk_version, min: reg.min_sdk_version, path: reg.path },
      { version: '1.0.0', sdk: '3.0.7', min: '1.8.0', path: `${core.socket}.${reg.uuid}` },
    );
    const registered = ext.events().find((e) => e.event === 'registered');
    assert.deepEqual(registered?.status, { code: 0, message: 'OK', uuid: reg.uuid });
    assert.equal(ext.events().find((e) => e.event === 'listening')?.path, reg.path);
    // osquery's quirk: the sdk_version column shows min_sdk_version.
    const rows = await core.query(
      "SELECT uuid, version, sdk_version, type FROM osquery_extensions WHERE name = 'py_interop'",
    );
    assert.deepEqual(rows, [{ uuid: reg.uuid, version: '1.0.0', sdk_version: '1.8.0', type: 'extension' }]);
    const cols = await core.engine.columns('SELECT * FROM py_fruits');
    assert.deepEqual(
      cols.map((c) => [c.name, c.type]),
      [
        ['name', 'TEXT'],
        ['color', 'TEXT'],
        ['weight', 'INTEGER'],
      ],
    );
  });

  it('serves its rows through SQL, with the constraints in context', async () => {
    const all = await core.query('SELECT name, color, weight FROM py_fruits ORDER BY name');
    assert.deepEqual(all, FRUITS.map(sqlRow));

    const cherry = await core.query("SELECT name, weight FROM py_fruits WHERE name = 'cherry'");
    assert.deepEqual(cherry, [{ name: 'cherry', weight: 8 }]);
    assert.deepEqual(lastContext(ext).constraints, [
      { name: 'color', list: [], affinity: 'TEXT' },
      { name: 'name', list: [{ op: 2, expr: 'cherry' }], affinity: 'TEXT' },
      { name: 'weight', list: [], affinity: 'INTEGER' },
    ]);

    const heavy = await core.query('SELECT name FROM py_fruits WHERE weight > 100 ORDER BY name');
    assert.deepEqual(
      heavy,
      FRUITS.map(sqlRow)
        .filter((r) => r.weight !== null && r.weight > 100)
        .map((r) => ({ name: r.name })),
    );
    assert.deepEqual(lastContext(ext).constraints, [
      { name: 'color', list: [], affinity: 'TEXT' },
      { name: 'name', list: [], affinity: 'TEXT' },
      { name: 'weight', list: [{ op: 4, expr: '100' }], affinity: 'INTEGER' },
    ]);

    // A range on a TEXT column is never forwarded (SQLite applies it).
    const late = await core.query("SELECT name FROM py_fruits WHERE name > 'c' ORDER BY name");
    assert.deepEqual(
      late,
      FRUITS.filter((f) => (f.name ?? '') > 'c').map((f) => ({ name: f.name })),
    );
    assert.deepEqual(
      (lastContext(ext).constraints as { list: unknown[] }[]).map((c) => c.list),
      [[], [], []],
    );
  });

  it('answers many queries in a row and in parallel, each call on a connection of its own', async () => {
    const seen = ext.events().length;
    for (let i = 0; i < 15; i++) {
      const rows = await core.query(`SELECT count(*) AS n FROM py_fruits WHERE color = 'red' AND ${i} >= 0`);
      assert.deepEqual(rows, [{ n: FRUITS.filter((f) => f.color === 'red').length }]);
    }
    // Python serves one connection at a time: parallel scans must queue, not deadlock.
    const parallel = await Promise.all(
      Array.from({ length: 6 }, () => core.query('SELECT count(*) AS n FROM py_fruits')),
    );
    assert.deepEqual(
      parallel,
      Array.from({ length: 6 }, () => [{ n: FRUITS.length }]),
    );
    const events = ext.events().slice(seen);
    const calls = events.filter((e) => e.event === 'call');
    assert.ok(calls.length >= 21, `${calls.length} calls`);
    // Each connection osq opened carried exactly one call (or one health-check ping).
    const perConnection = new Map<unknown, number>();
    for (const e of events.filter((x) => x.event === 'call' || x.event === 'ping'))
      perConnection.set(e.conn, (perConnection.get(e.conn) ?? 0) + 1);
    assert.deepEqual(
      [...perConnection.entries()].filter(([, n]) => n > 1),
      [],
    );
  });

  it('keeps its registration connection and osq answers its pings with code 0', async () => {
    const watches = await until(
      'two watcher pings',
      () => {
        const w = ext.events().filter((e) => e.event === 'watch');
        return w.length >= 2 ? w : undefined;
      },
      5000,
    );
    for (const w of watches) assert.deepEqual([w.code, w.message, w.error], [0, 'pong', undefined]);
    assert.equal(running.proc.exitCode, null, 'the extension is still running');
  });

  it('after shutdown() it exits leaving its socket file; osq drops it, and it can register again', async () => {
    const reg = core.manager.list().find((e) => e.name === 'py_interop');
    assert.ok(reg);
    const c = await ThriftClient.connect(reg.path, { timeoutMs: 2000 });
    const t0 = Date.now();
    assert.equal(await c.call({ method: 'shutdown' }, 2000), undefined);
    c.close();
    await running.exited;
    const took = Date.now() - t0;
    assert.ok(took >= 800 && took < 3000, `exited ${took} ms after shutdown()`);
    assert.ok(existsSync(reg.path), 'osquery-python leaves its socket file behind');

    // The stale file answers nothing: the next health check drops the extension and its table.
    await until('osq to drop the extension', () =>
      core.manager.list().some((e) => e.uuid === reg.uuid) ? undefined : true,
    );
    assert.match(await core.queryError('SELECT * FROM py_fruits'), /no such table: py_fruits/);
    const ping = await ThriftClient.connect(core.socket, { timeoutMs: 2000 });
    assert.deepEqual(await ping.call({ method: 'ping' }), { code: 0, message: 'pong', uuid: 0 });
    ping.close();

    // The same extension starts again (its name is free once dropped) and serves.
    running = launch(ext, core.socket);
    await core.waitFor('py_interop');
    const rows = await core.query("SELECT name FROM py_fruits WHERE name = 'apple'");
    assert.deepEqual(rows, [{ name: 'apple' }]);
  });
});

describe('the Python extension launched by osqi --extension', { skip: skipReason }, () => {
  const osqi = join(repoRoot, 'core/bin/osqi.mjs');
  let sockets: string;
  let ext: PythonExtension;

  before(() => {
    generatedPython();
    sockets = mkdtempSync(join(tmpdir(), 'osq-interop-osqi-'));
    ext = preparePythonExtension(mkdtempSync(join(tmpdir(), 'osq-interop-ext-')));
  });
  after(() => {
    rmSync(sockets, { recursive: true, force: true });
    rmSync(ext.dir, { recursive: true, force: true });
  });

  it('serves SQL in a one-shot osqi, which clears stale socket files and stops the extension', async () => {
    const socket = join(sockets, 'osq.em');
    // A dead socket file, as an osquery-python extension leaves after it exits.
    const stale = `${socket}.4242`;
    const made = spawnSync(PYTHON, [
      '-c',
      `import socket; s = socket.socket(socket.AF_UNIX); s.bind(${JSON.stringify(stale)})`,
    ]);
    assert.equal(made.status, 0);
    assert.ok(existsSync(stale));

    const r = spawnSync(
      process.execPath,
      [
        osqi,
        '--extensions_socket',
        socket,
        '--extension',
        ext.launcher,
        '--json',
        'SELECT name, weight FROM py_fruits WHERE weight >= 100 ORDER BY name',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    assert.equal(r.status, 0, r.stderr);
    const expected = FRUITS.map(sqlRow)
      .filter((f) => f.weight !== null && f.weight >= 100)
      .map((f) => ({ name: f.name, weight: String(f.weight) }));
    assert.deepEqual(JSON.parse(r.stdout), expected);

    const events: Event[] = ext.events();
    const argv = events.find((e) => e.event === 'start')?.argv as string[];
    assert.deepEqual(argv.slice(-6, -4), ['--socket', socket]);
    assert.ok(
      events.some((e) => e.event === 'shutdown'),
      'osqi sends shutdown() on exit',
    );
    const pid = Number(events.find((e) => e.event === 'start')?.pid);
    await until('the extension to exit', () => {
      try {
        process.kill(pid, 0);
        return undefined;
      } catch {
        return true;
      }
    });
    assert.deepEqual(readdirSync(sockets), [], 'socket files left behind');
  });
});
