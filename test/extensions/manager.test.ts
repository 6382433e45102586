// The core's extension manager over real Unix sockets, with real extension processes:
// test/extensions/peers/go-like-extension.mjs behaves like an osquery-go extension
// (empty sdk_version, one long-lived registration connection with pings) and is built
// on the bare wire layer, not on our SDK.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { openEngine } from '@osq/core/engine/engine';
import type { SqlEngine } from '@osq/core/engine/types';
import { ExtensionManager } from '@osq/core/extensions/manager';
import { setFlag } from '@osq/core/flags/index';
import { ThriftClient } from '@osq/idl';
import { until } from '../helpers/wait.ts';

const PEER = new URL('./peers/go-like-extension.mjs', import.meta.url).pathname;
const OSQI = new URL('../../core/bin/osqi.mjs', import.meta.url).pathname;

const execFileAsync = promisify(execFile);

describe('extension manager', () => {
  const dir = mkdtempSync(join(tmpdir(), 'osq-ext-'));
  const socket = join(dir, 'sub', 'osq.em');
  let engine: SqlEngine;
  let manager: ExtensionManager;
  const peers: ChildProcess[] = [];

  const startPeer = (env: Record<string, string> = {}) => {
    const p = spawn(process.execPath, [PEER, '--socket', socket, '--timeout', '3', '--interval', '1'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    peers.push(p);
    return p;
  };
  const client = () => ThriftClient.connect(socket, { timeoutMs: 2000 });

  before(async () => {
    setFlag('extensions_interval', '1');
    setFlag('extensions_call_timeout_ms', '1500');
    engine = await openEngine({ thread: 'worker' });
    manager = new ExtensionManager({ socketPath: socket, engine });
    await manager.start();
  });

  after(async () => {
    for (const p of peers) p.kill('SIGKILL');
    await manager.stop();
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates its socket 0600 in a directory it makes 0700, and answers ping with pong', async () => {
    assert.equal(statSync(socket).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'sub')).mode & 0o777, 0o700);
    const c = await client();
    assert.deepEqual(await c.call({ method: 'ping' }), { code: 0, message: 'pong', uuid: 0 });
    c.close();
  });

  it('serves an extension table with typed values, constraints and joins', async () => {
    const log = join(dir, 'contexts.log');
    const peer = startPeer({ PEER_NAME: 'numbers', PEER_LOG: log });
    await until('registration', () => manager.list().some((e) => e.name === 'numbers'));
    const r = await engine.query('SELECT n, label, big FROM go_numbers WHERE n >= 4 ORDER BY n');
    assert.deepEqual(r.rows, [
      [4, 'n4', 2 ** 40 * 4],
      [5, 'n5', 2 ** 40 * 5],
      [7, 'garbage', null], // '7abc' -> 7 (trailing garbage ignored), a missing key -> NULL
      [16, 'hex', 8], // '0x10' and octal '010', as osquery's strtol(base 0) reads them
    ]);
    const ctx = JSON.parse(readFileSync(log, 'utf8').trim().split('\n').at(-1) ?? '{}');
    assert.deepEqual(ctx.constraints, [
      { name: 'big', list: [], affinity: 'BIGINT' },
      { name: 'label', list: [], affinity: 'TEXT' },
      { name: 'n', list: [{ op: 32, expr: '4' }], affinity: 'INTEGER' },
    ]);
    const joined = await engine.query(
      `SELECT g.label, p.pid, p.name FROM go_numbers g JOIN processes p ON p.pid = g.n + ${peer.pid} - 2 WHERE g.n = 2`,
    );
    assert.deepEqual(joined.rows, [['n2', peer.pid, 'node']]);
    const owner = manager.list().find((e) => e.name === 'numbers')?.uuid;
    const reg = await engine.query(
      "SELECT owner_uuid, active FROM osquery_registry WHERE name = 'go_numbers'",
    );
    assert.deepEqual(reg.rows, [[owner, 1]]);
    const ext = await engine.query("SELECT name, type, path FROM osquery_extensions WHERE name = 'numbers'");
    assert.equal(ext.rows[0]?.[1], 'extension');
    assert.match(String(ext.rows[0]?.[2]), /osq\.em\.\d+$/);
  });

  it('applies osquery registration rules', async () => {
    const c = await client();
    const info = (name: string, sdk = '') => ({ name, version: '1', sdk_version: sdk, min_sdk_version: '' });
    const table = { t_ok: [{ id: 'column', name: 'a', type: 'TEXT', op: '0' }] };
    const dup = await c.call({ method: 'registerExtension', info: info('numbers'), registry: {} });
    assert.deepEqual([dup.code, dup.message], [1, 'Duplicate extension registered']);
    const old = await c.call({ method: 'registerExtension', info: info('old', '1.6.0'), registry: {} });
    assert.deepEqual([old.code, old.message], [1, 'Incompatible extension SDK version']);
    const unknown = await c.call({
      method: 'registerExtension',
      info: info('u'),
      registry: { nonsense: {} },
    });
    assert.equal(unknown.message, 'Failed adding registry: Unknown registry: nonsense');
    const clash = await c.call({
      method: 'registerExtension',
      info: info('clash'),
      registry: { table: { processes: table.t_ok } },
    });
    assert.equal(
      clash.message,
      'Failed adding registry: Registry item processes conflicts with another item of the same name.',
    );
    const bad = await c.call({
      method: 'registerExtension',
      info: info('bad'),
      registry: { table: { t_bad: [] } },
    });
    assert.equal(bad.message, 'Failed adding registry: Invalid route info');
    const good = await c.call({
      method: 'registerExtension',
      info: info('good', '5.23.0'),
      registry: { table },
    });
    assert.equal(good.code, 0);
    assert.ok(good.uuid >= 1 && good.uuid <= 65535);
    const list = await c.call({ method: 'extensions' });
    assert.equal(list.get(good.uuid)?.name, 'good');
    assert.deepEqual(await c.call({ method: 'deregisterExtension', uuid: good.uuid }), {
      code: 0,
      message: 'OK',
      uuid: 0,
    });
    const gone = await c.call({ method: 'deregisterExtension', uuid: good.uuid });
    assert.deepEqual([gone.code, gone.message], [1, 'No extension UUID found']);
    const opts = await c.call({ method: 'options' });
    assert.equal(opts.extensions_interval?.value, '1');
    assert.equal(opts.thrift_timeout?.default_value, '300');
    assert.equal(opts.disable_tables?.type, 'string');
    c.close();
  });

  it('answers query and getQueryColumns as osquery renders them', async () => {
    const c = await client();
    const q = await c.call({
      method: 'query',
      sql: 'SELECT 1 AS i, 2.5 AS r, 3.0 AS w, NULL AS z, pid FROM processes WHERE pid = 1',
    });
    assert.deepEqual(q.response, [{ i: '1', r: '2.5', w: '3.0', z: '', pid: '1' }]);
    const cols = await c.call({
      method: 'getQueryColumns',
      sql: 'SELECT seconds AS s, name FROM time, processes',
    });
    assert.deepEqual(cols.response, [{ s: 'INTEGER' }, { name: 'TEXT' }]);
    const err = await c.call({ method: 'query', sql: 'SELEC nonsense' });
    assert.equal(err.status.code, 1);
    assert.match(err.status.message, /syntax error/);
    c.close();
  });

  it('serves osqi --connect from another process', async () => {
    // Asynchronously: this process is the manager osqi talks to.
    const { stdout } = await execFileAsync(process.execPath, [
      OSQI,
      '--connect',
      socket,
      '--json',
      'SELECT pid FROM processes WHERE pid = 1',
    ]);
    assert.deepEqual(JSON.parse(stdout), [{ pid: '1' }]);
  });

  it('serves an osqi .connect session, and .disconnect returns to the local engine', async () => {
    const child = execFile(process.execPath, [OSQI, '--list', '--noheader'], (e) => e);
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdin?.end(
      `.connect ${socket}\n.socket\nSELECT name FROM osquery_extensions WHERE name = 'numbers';\n.disconnect\n` +
        ".socket\nSELECT count(*) FROM osquery_extensions WHERE name = 'numbers';\n",
    );
    const code = await new Promise((r) => child.once('exit', r));
    assert.equal(code, 0, err);
    const lines = out.trim().split('\n');
    assert.equal(lines[0], `(connected to ${socket})`);
    assert.equal(lines[1], 'numbers'); // the manager's extension, seen through the socket
    assert.notEqual(lines[2], `(connected to ${socket})`); // back to this shell's own socket
    assert.equal(lines[3], '0'); // the local engine has no such extension
  });

  it('serves an extension that queries the core from inside its generate (no deadlock)', async () => {
    startPeer({ PEER_NAME: 'asker', PEER_TABLE: 'asker_numbers', PEER_QUERY_SQL: "SELECT 'core' || 2 AS v" });
    await until('registration', () => manager.list().some((e) => e.name === 'asker'));
    // The engine's worker waits on the extension, which waits on the core's query():
    // another worker answers it.
    const r = await engine.query('SELECT label FROM asker_numbers WHERE n = 1');
    assert.deepEqual(r.rows, [['core21']]);
  });

  it('removes a killed extension and its tables within one health interval', async () => {
    const peer = peers[0];
    assert.ok(peer);
    const uuid = manager.list().find((e) => e.name === 'numbers')?.uuid;
    peer.kill('SIGKILL');
    const t0 = Date.now();
    await until('removal', () => !manager.list().some((e) => e.uuid === uuid), 5000);
    assert.ok(Date.now() - t0 <= 2500, `took ${Date.now() - t0} ms with a 1 s interval`);
    await assert.rejects(engine.query('SELECT * FROM go_numbers'), /no such table: go_numbers/);
  });

  it('a hung extension costs one query, and the socket keeps answering meanwhile', async () => {
    startPeer({ PEER_NAME: 'hangs', PEER_HANG: '1' });
    await until('registration', () => manager.list().some((e) => e.name === 'hangs'));
    const path = manager.list().find((e) => e.name === 'hangs')?.path ?? '';
    await until('its socket', () => existsSync(path)); // it listens right after registering
    const started = Date.now();
    const hung = engine.query('SELECT * FROM go_numbers');
    const c = await client();
    const pingStart = Date.now();
    assert.equal((await c.call({ method: 'ping' })).code, 0);
    assert.ok(Date.now() - pingStart < 500, 'ping answered while a query waits on the extension');
    c.close();
    await assert.rejects(hung, /extension table go_numbers: .*timed out/);
    const took = Date.now() - started;
    assert.ok(took >= 1400 && took < 5000, `failed after ${took} ms with a 1500 ms bound`);
    assert.deepEqual((await engine.query('SELECT 2')).rows, [[2]]);
  });

  it('survives 10,000 garbage frames and keeps answering ping', async () => {
    const rss0 = process.memoryUsage().rss;
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const frames: Buffer[] = [];
    for (let i = 0; i < 10_000; i++) {
      const kind = i % 5;
      if (kind === 0)
        frames.push(Buffer.from(Array.from({ length: 1 + (rand() % 64) }, () => rand() & 0xff)));
      else if (kind === 1)
        frames.push(Buffer.from([0x80, 0x01, 0x00, 0x01, 0x7f, 0xff, 0xff, 0xf0])); // name length ~2^31
      else if (kind === 2)
        frames.push(
          Buffer.concat([
            Buffer.from([0x80, 0x01, 0x00, 0x01, 0, 0, 0, 4]),
            Buffer.from('ping'),
            Buffer.from([0, 0, 0, 0]),
            Buffer.alloc(200, 12),
          ]),
        ); // deep nesting
      else if (kind === 3)
        frames.push(Buffer.from([0x80, 0x01, 0x00, 0x01, 0, 0, 0, 4, 0x70, 0x69])); // truncated
      else
        frames.push(
          Buffer.from([
            0x80, 0x01, 0x00, 0x01, 0, 0, 0, 4, 0x70, 0x69, 0x6e, 0x67, 0, 0, 0, 0, 0x0d, 0, 1, 0x0b, 0x0b,
            0x7f, 0xff, 0xff, 0xff,
          ]),
        ); // map of 2^31 entries
    }
    let answered = 0;
    for (let i = 0; i < frames.length; i += 500) {
      await Promise.all(
        frames.slice(i, i + 500).map(
          (f) =>
            new Promise<void>((resolve) => {
              const s = net.createConnection(socket, () => s.end(f));
              s.on('error', () => resolve());
              s.on('close', () => resolve());
              s.resume();
            }),
        ),
      );
      const c = await client();
      if ((await c.call({ method: 'ping' }, 2000)).code === 0) answered++;
      c.close();
    }
    assert.equal(answered, 20);
    const grown = (process.memoryUsage().rss - rss0) / 1024 / 1024;
    assert.ok(grown < 200, `RSS grew by ${grown.toFixed(0)} MiB`);
  });
});

describe('autoload safety', () => {
  it('refuses world-writable extensions and accepts safe .ext files', async () => {
    const { readAutoloadFile } = await import('@osq/core/extensions/autoload');
    const dir = mkdtempSync(join(tmpdir(), 'osq-autoload-'));
    chmodSync(dir, 0o755);
    const safe = join(dir, 'safe.ext');
    const unsafe = join(dir, 'unsafe.ext');
    const wrongName = join(dir, 'tool.bin');
    for (const f of [safe, unsafe, wrongName]) writeFileSync(f, '#!/bin/sh\n', { mode: 0o755 });
    chmodSync(unsafe, 0o777);
    const list = join(dir, 'extensions.load');
    writeFileSync(list, `# comment\n; also a comment\n\n  ${safe}  \n${unsafe}\n${wrongName}\n`);
    const warnings: string[] = [];
    assert.deepEqual(
      readAutoloadFile(list, (m) => warnings.push(m)),
      [safe],
    );
    assert.equal(warnings.length, 2);
    assert.match(warnings.join('\n'), /unsafe\.ext/);
    // A directory line stands for the .ext files below it.
    writeFileSync(list, `${dir}\n`);
    chmodSync(unsafe, 0o755);
    assert.deepEqual(readAutoloadFile(list, () => {}).sort(), [safe, unsafe].sort());
    rmSync(dir, { recursive: true, force: true });
  });
});
