// The probe extension (test/sdk/fixtures/probe-extension.ts) against a real osq core:
// what the query context carries, nested queries back into the same extension, the
// extension's own socket on the wire, non-table plugins reached through the core, and
// ExtensionClient's methods.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApplicationError, ThriftClient } from '@osq/idl';
import { ExtensionClient, ExtensionError } from '../../sdk/src/index.ts';
import { type Core, probeLauncher, type Spawned, spawnExtension, startCore } from './harness.ts';

interface Seen {
  constraints: Record<string, { op: string; code: number; expr: string }[]>;
  colsUsed: string[] | null;
  equalsA: number[];
}

describe('probe extension', () => {
  let core: Core;
  let ext: Spawned;
  let client: ExtensionClient;
  let logDir: string;
  let uuid: number;

  const seen = async (where: string): Promise<{ rows: number; seen: Seen }> => {
    const rows = await core.query(`SELECT seen FROM probe_context ${where}`);
    return { rows: rows.length, seen: JSON.parse(String(rows[0]?.seen)) as Seen };
  };

  before(async () => {
    logDir = mkdtempSync(join(tmpdir(), 'osq-probe-'));
    process.env.PROBE_LOG = join(logDir, 'log.jsonl');
    core = await startCore();
    ext = spawnExtension(probeLauncher, core.socket);
    await core.waitFor('probe');
    client = new ExtensionClient(core.socket);
    uuid = (await client.extensions()).find((e) => e.name === 'probe')?.uuid ?? -1;
  });

  after(async () => {
    client?.close();
    ext?.kill('SIGKILL');
    await core?.close();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('generate sees = constraints by column with op names', async () => {
    const r = await seen("WHERE a = 3 AND b = 'x3'");
    assert.equal(r.rows, 1);
    assert.deepEqual(r.seen.constraints.a, [{ op: 'equals', code: 2, expr: '3' }]);
    assert.deepEqual(r.seen.constraints.b, [{ op: 'equals', code: 2, expr: 'x3' }]);
    assert.deepEqual(r.seen.equalsA, [3]);
  });

  it('range constraints on integer columns arrive with their names', async () => {
    const r = await seen('WHERE a > 7');
    assert.equal(r.rows, 3);
    assert.deepEqual(r.seen.constraints.a, [{ op: 'greaterThan', code: 4, expr: '7' }]);
    const le = await seen('WHERE a <= 2');
    assert.deepEqual(le.seen.constraints.a, [{ op: 'lessThanOrEquals', code: 8, expr: '2' }]);
  });

  it('IN on an optimized column arrives as several equals in one scan', async () => {
    const r = await seen('WHERE a IN (2, 5, 9)');
    assert.equal(r.rows, 3);
    assert.deepEqual(r.seen.equalsA.sort(), [2, 5, 9]);
  });

  it('colsUsed lists the columns the query reads', async () => {
    const r = await seen('WHERE d IS NULL');
    assert.ok(r.seen.colsUsed?.includes('seen'));
    assert.ok(!r.seen.colsUsed?.includes('c'));
    assert.equal(r.rows, 5); // the rows whose d was left out are NULL
  });

  it('hidden columns stay out of SELECT * but can be selected', async () => {
    const [row] = await core.query('SELECT * FROM probe_context WHERE a = 1');
    assert.deepEqual(Object.keys(row ?? {}), ['a', 'b', 'd', 'seen']);
    const [c] = await core.query('SELECT c FROM probe_context WHERE a = 1');
    assert.equal(c?.c, 'hidden');
  });

  it('generate errors surface as SQL errors', async () => {
    assert.match(await core.queryError('SELECT * FROM probe_error'), /probe failure: the generator threw/);
  });

  it('generate may query the core, even tables of the same extension', async () => {
    const rows = await core.query('SELECT source, n FROM probe_query ORDER BY source');
    assert.equal(rows.length, 2);
    assert.deepEqual(rows[0], { source: 'probe_context', n: 10 });
    assert.ok(Number(rows[1]?.n) > 1);
  });

  it('serves ping (pong + uuid), columns and unknown methods on its own socket', async () => {
    const wire = await ThriftClient.connect(`${core.socket}.${uuid}`);
    try {
      assert.deepEqual(await wire.call({ method: 'ping' }), { code: 0, message: 'pong', uuid });
      const cols = await wire.call({
        method: 'call',
        registry: 'table',
        item: 'probe_context',
        request: { action: 'columns' },
      });
      assert.deepEqual(cols.status, { code: 0, message: 'OK', uuid });
      assert.deepEqual(cols.response[0], { id: 'column', name: 'a', type: 'BIGINT', op: '9' });
      assert.ok(cols.response.every((r) => typeof r.id === 'string'));
      // generate without a context (ad hoc call): every row, as strings.
      const gen = await wire.call({
        method: 'call',
        registry: 'table',
        item: 'probe_context',
        request: { action: 'generate' },
      });
      assert.equal(gen.response.length, 10);
      assert.equal(gen.response[0]?.a, '1');
      assert.equal('d' in (gen.response[0] ?? {}), false);
      const missing = await wire.call({ method: 'call', registry: 'table', item: 'nope', request: {} });
      assert.deepEqual(missing.status, { code: 1, message: 'Cannot call registry item: nope', uuid });
      await assert.rejects(wire.call({ method: 'query', sql: 'SELECT 1' }), (e: unknown) => {
        assert.ok(e instanceof ApplicationError);
        assert.equal(e.type, 1);
        return true;
      });
    } finally {
      wire.close();
    }
  });

  it('write actions reach the handlers with decoded values', async () => {
    const call = (request: Record<string, string>) => client.call('table', 'probe_writable', request);
    const ins = await call({ action: 'insert', auto_rowid: 'false', json_value_array: '["two",2]' });
    assert.deepEqual(ins.response, [{ status: 'success', id: '100' }]);
    assert.deepEqual(
      (await call({ action: 'insert', auto_rowid: 'true', id: '7', json_value_array: '["dup",0]' })).response,
      [{ status: 'constraint' }],
    );
    assert.deepEqual(
      (await call({ action: 'update', id: '100', json_value_array: '["deux",22]' })).response,
      [{ status: 'success' }],
    );
    assert.deepEqual((await call({ action: 'update', id: '5', json_value_array: '["x",1]' })).response, [
      { status: 'failure', message: 'no row 5' },
    ]);
    assert.deepEqual((await call({ action: 'delete', id: '1' })).response, [{ status: 'success' }]);
    const rows = await core.query('SELECT k, v FROM probe_writable');
    assert.deepEqual(rows, [{ k: 'deux', v: 22 }]);
  });

  it('config, logger and distributed plugins answer through the core', async () => {
    const cfg = await client.call('config', 'probe_config', { action: 'genConfig' });
    assert.equal(cfg.status.code, 0);
    assert.deepEqual(JSON.parse(cfg.response[0]?.probe ?? ''), {
      options: { host_identifier: 'probe' },
      packs: { p1: 'p1-value' },
    });
    const pack = await client.call('config', 'probe_config', {
      action: 'genPack',
      name: 'p1',
      value: 'p1-value',
    });
    assert.equal(JSON.parse(pack.response[0]?.p1 ?? '').queries.q.value, 'p1-value');

    const features = await client.call('logger', 'probe_logger', { action: 'features' });
    assert.equal(features.status.code, 1); // wants status logs: it declared logStatus
    await client.call('logger', 'probe_logger', { init: 'osqueryd' });
    await client.call('logger', 'probe_logger', { string: '{"name":"q"}', category: 'event' });
    await client.call('logger', 'probe_logger', {
      status: 'true',
      log: '[{"s":2,"f":"x.cpp","i":3,"m":"bad","h":"h","c":"c","u":5}]',
    });

    const q = await client.call('distributed', 'probe_distributed', { action: 'getQueries' });
    assert.deepEqual(JSON.parse(q.response[0]?.results ?? ''), { queries: { q1: 'SELECT 1 AS one' } });
    const results = { queries: { q1: [{ one: '1' }] }, statuses: { q1: 0 } };
    const w = await client.call('distributed', 'probe_distributed', {
      action: 'writeResults',
      results: JSON.stringify(results),
    });
    assert.equal(w.status.code, 0);

    const log = readFileSync(process.env.PROBE_LOG ?? '', 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(log, [
      { kind: 'init', data: 'osqueryd' },
      { kind: 'string', data: { text: '{"name":"q"}', category: 'event' } },
      {
        kind: 'status',
        data: [
          {
            severity: 2,
            filename: 'x.cpp',
            line: 3,
            message: 'bad',
            hostIdentifier: 'h',
            calendarTime: 'c',
            unixTime: 5,
          },
        ],
      },
      { kind: 'results', data: results },
    ]);
  });

  it('ExtensionClient: query, columns, extensions, options, ping', async () => {
    const rows = await client.query('SELECT 1 AS one, NULL AS empty, 2.5 AS half; SELECT 3 AS one');
    assert.deepEqual(rows, [{ one: '1', empty: '', half: '2.5' }, { one: '3' }]);
    assert.deepEqual(await client.columns('SELECT pid, name FROM processes'), [
      { name: 'pid', type: 'BIGINT' },
      { name: 'name', type: 'TEXT' },
    ]);
    const exts = await client.extensions();
    assert.deepEqual(
      exts.map((e) => [e.name, e.version, e.sdk_version, e.min_sdk_version]),
      [['probe', '1.2.3', '5.23.0', '0.0.0']],
    );
    const opts = await client.options();
    assert.equal(opts.extensions_socket?.value, core.socket);
    assert.equal(opts.extensions_interval?.type, 'string');
    assert.deepEqual(await client.ping(), { code: 0, message: 'pong', uuid: 0 });
    await assert.rejects(client.query('SELECT * FROM no_such_table_xyz'), (e: unknown) => {
      assert.ok(e instanceof ExtensionError);
      assert.match(e.message, /no such table/);
      return true;
    });
    // The connection survives a failed query.
    assert.equal((await client.query('SELECT 2 AS two'))[0]?.two, '2');
  });

  it('SIGTERM deregisters right away and the process exits 0', async () => {
    ext.kill('SIGTERM');
    assert.equal(await ext.exited, 0);
    // Deregistered before the exit: no health check needed.
    assert.deepEqual(await client.extensions(), []);
    assert.match(await core.queryError('SELECT * FROM probe_context'), /no such table/);
  });
});
