// osq's manager answering a client that behaves like osquery's C++ SDK
// (python/cpp_like_client.py: a fresh connection per operation, one at a time, seqid 0),
// on Python code generated from the independently transcribed IDL. An osquery-python-like extension
// is registered meanwhile, so `extensions`, `query` and `call` reach it through osq.
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Core, startCore } from '../sdk/harness.ts';
import {
  cppLikeClient,
  type Event,
  FRUITS,
  generatedPython,
  type PythonExtension,
  preparePythonExtension,
  skipReason,
} from './harness.ts';

interface Reply {
  status: { code: number; message: string; uuid: number };
  response: Record<string, string>[];
}

describe('a C++-SDK-like client against osq’s manager', { skip: skipReason }, () => {
  let core: Core;
  let ext: PythonExtension;
  let proc: ChildProcess;
  let results: Event[];

  const reply = (i: number) => {
    const r = results[i];
    assert.ok(r, `operation ${i} answered`);
    assert.equal(r.error, undefined, `operation ${i} (${String(r.method)}): ${String(r.error)}`);
    return r.result as Reply;
  };

  before(async () => {
    generatedPython();
    core = await startCore({ interval: '1' });
    ext = preparePythonExtension(mkdtempSync(join(tmpdir(), 'osq-interop-ext-')));
    proc = spawn(ext.launcher, ['--socket', core.socket, '--timeout', '3', '--interval', '1'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await core.waitFor('py_interop');
    const pid1 = JSON.stringify({
      constraints: [{ name: 'pid', list: [{ op: 2, expr: '1' }], affinity: 'BIGINT' }],
    });
    results = await cppLikeClient(core.socket, [
      { method: 'ping' },
      { method: 'extensions' },
      { method: 'options' },
      { method: 'query', sql: "SELECT 1 AS i, 2.5 AS r, 3.0 AS w, 'x' AS t, NULL AS z" },
      { method: 'query', sql: "SELECT name, weight FROM py_fruits WHERE color = 'red' ORDER BY name" },
      { method: 'query', sql: 'SELEC nonsense' },
      { method: 'getQueryColumns', sql: 'SELECT seconds AS s, name, weight FROM time, py_fruits' },
      { method: 'call', registry: 'table', item: 'py_fruits', request: { action: 'generate' } },
      {
        method: 'call',
        registry: 'table',
        item: 'processes',
        request: { action: 'generate', context: pid1 },
      },
      { method: 'ping' },
    ]);
  });

  after(async () => {
    proc?.kill('SIGKILL');
    await core?.close();
    if (ext) rmSync(ext.dir, { recursive: true, force: true });
  });

  it('ping answers code 0, "pong", uuid 0', () => {
    assert.deepEqual(reply(0), { code: 0, message: 'pong', uuid: 0 });
    assert.deepEqual(reply(9), { code: 0, message: 'pong', uuid: 0 });
  });

  it('extensions lists the registered Python extension (the core itself is not on the wire)', () => {
    const list = reply(1) as unknown as Record<string, Record<string, string>>;
    const uuid = core.manager.list().find((e) => e.name === 'py_interop')?.uuid;
    assert.deepEqual(list, {
      [String(uuid)]: {
        name: 'py_interop',
        version: '1.0.0',
        sdk_version: '3.0.7',
        min_sdk_version: '1.8.0',
      },
    });
  });

  it('options includes extensions_socket and typed flag values', () => {
    const opts = reply(2) as unknown as Record<
      string,
      { value: string; default_value: string; type: string }
    >;
    assert.equal(opts.extensions_socket?.value, core.socket);
    assert.equal(opts.extensions_socket?.type, 'string');
    assert.equal(opts.extensions_interval?.value, '1');
    assert.equal(opts.thrift_timeout?.default_value, '300');
    for (const [name, o] of Object.entries(opts)) {
      assert.ok(['bool', 'int32', 'uint32', 'int64', 'uint64', 'double', 'string'].includes(o.type), name);
    }
  });

  it('query answers rows of strings, through extension tables too, and errors as code 1', () => {
    assert.deepEqual(reply(3), {
      status: { code: 0, message: 'OK', uuid: 0 },
      response: [{ i: '1', r: '2.5', w: '3.0', t: 'x', z: '' }],
    });
    assert.deepEqual(
      reply(4).response,
      FRUITS.filter((f) => f.color === 'red')
        .sort((a, b) => String(a.name).localeCompare(String(b.name)))
        .map((f) => ({ name: f.name, weight: String(Number(f.weight)) })),
    );
    assert.equal(reply(5).status.code, 1);
    assert.match(reply(5).status.message, /syntax error/);
  });

  it('getQueryColumns answers one {name: type} map per column, in select order', () => {
    assert.deepEqual(reply(6), {
      status: { code: 0, message: 'OK', uuid: 0 },
      response: [{ s: 'INTEGER' }, { name: 'TEXT' }, { weight: 'INTEGER' }],
    });
  });

  it('call reaches an extension’s table (forwarded) and a core table (with context)', () => {
    const forwarded = reply(7);
    assert.equal(forwarded.status.code, 0);
    assert.deepEqual(forwarded.response, FRUITS);
    const init = reply(8);
    assert.equal(init.status.code, 0);
    assert.equal(init.response.length, 1);
    // Cross-check pid 1's name with ps.
    const comm = execFileSync('ps', ['-o', 'comm=', '-p', '1'], { encoding: 'utf8' }).trim();
    assert.equal(init.response[0]?.pid, '1');
    assert.equal(init.response[0]?.name, comm);
  });

  it('osq forwarded to the one-connection-at-a-time extension over a fresh connection per call', () => {
    const calls = ext.events().filter((e) => e.event === 'call');
    assert.equal(new Set(calls.map((e) => e.conn)).size, calls.length);
    assert.equal(results.length, 10);
  });
});
