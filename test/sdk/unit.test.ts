// The SDK's pieces without sockets: argv, route info, query context, row rendering and
// each plugin kind's request/response conventions (docs/extensions.md#plugin-calls).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  column,
  columnOp,
  configPlugin,
  DEFAULT_SOCKET,
  distributedPlugin,
  ExtensionServer,
  loggerPlugin,
  parseExtensionArgs,
  parseStatusLogs,
  QueryContext,
  tablePlugin,
} from '../../sdk/src/index.ts';

describe('parseExtensionArgs', () => {
  it('reads the separate tokens osquery passes', () => {
    const a = parseExtensionArgs([
      '--verbose',
      '--socket',
      '/tmp/x.em',
      '--timeout',
      '3',
      '--interval',
      '0.5',
    ]);
    assert.deepEqual(a, { socket: '/tmp/x.em', timeout: 3, interval: 0.5, verbose: true });
  });
  it('reads --x=y and keeps defaults for the rest', () => {
    const a = parseExtensionArgs(['--socket=/s', 'other', '--unknown', 'v']);
    assert.deepEqual(a, { socket: '/s', timeout: 3, interval: 3, verbose: false });
    assert.equal(parseExtensionArgs([]).socket, DEFAULT_SOCKET);
    assert.equal(parseExtensionArgs(['--timeout', 'abc']).timeout, 3);
  });
  it('feeds ExtensionServer defaults, explicit options win', () => {
    const s = new ExtensionServer({ name: 'n', argv: ['--socket', '/a.em', '--interval', '7'], interval: 2 });
    assert.equal(s.socket, '/a.em');
    assert.equal(s.interval, 2);
    assert.equal(s.timeout, 3);
  });
});

describe('columns and route info', () => {
  it('encodes options in the op bitmask', () => {
    assert.equal(columnOp({}), 0);
    assert.equal(columnOp({ index: true }), 1);
    assert.equal(columnOp({ required: true }), 2);
    assert.equal(columnOp({ additional: true }), 4);
    assert.equal(columnOp({ optimized: true, index: true }), 9);
    assert.equal(columnOp({ hidden: true }), 16);
    assert.equal(columnOp({ collate: 'nocase' }), 64);
    assert.equal(columnOp({ collate: 'version_rhel', hidden: true }), 2048 + 16);
  });
  it('every route row has an id; columns in order, then aliases and attributes', () => {
    const t = tablePlugin(
      't1',
      [column.bigint('pid', { index: true }), column.text('n', { aliases: ['name'] }), column.double('d')],
      () => [],
      { aliases: ['t1_alias'], attributes: { cacheable: true } },
    );
    assert.deepEqual(t.routeInfo(), [
      { id: 'column', name: 'pid', type: 'BIGINT', op: '1' },
      { id: 'column', name: 'n', type: 'TEXT', op: '0' },
      { id: 'column', name: 'd', type: 'DOUBLE', op: '0' },
      { id: 'alias', alias: 't1_alias' },
      { id: 'columnAlias', name: 'name', target: 'n' },
      { id: 'attributes', attributes: '2' },
    ]);
  });
  it('rejects bad declarations', () => {
    assert.throws(() => column.text('bad name'));
    assert.throws(() => tablePlugin('t', [], () => []));
    assert.throws(() => tablePlugin('t', [column.text('a'), column.integer('a')], () => []));
  });
});

describe('QueryContext', () => {
  it('parses the core context JSON with operator names', () => {
    const json =
      '{"constraints":[{"name":"name","list":[{"op":65,"expr":"a%"}],"affinity":"TEXT"},' +
      '{"name":"pid","list":[{"op":2,"expr":"1"},{"op":2,"expr":"2"},{"op":4,"expr":"0"}],"affinity":"BIGINT"}],' +
      '"colsUsed":["pid"],"colsUsedBitset":18446744073709551615}';
    const ctx = QueryContext.parse<'pid' | 'name'>(json);
    assert.deepEqual(ctx.constraints.pid, [
      { op: 'equals', code: 2, expr: '1' },
      { op: 'equals', code: 2, expr: '2' },
      { op: 'greaterThan', code: 4, expr: '0' },
    ]);
    assert.deepEqual(ctx.equals('pid'), ['1', '2']);
    assert.deepEqual(ctx.integerEquals('pid'), [1, 2]);
    assert.deepEqual(ctx.get('name', 'like'), [{ op: 'like', code: 65, expr: 'a%' }]);
    assert.equal(ctx.affinity.pid, 'BIGINT');
    assert.equal(ctx.isColumnUsed('pid'), true);
    assert.equal(ctx.isColumnUsed('name'), false);
    assert.equal(ctx.colsUsedBitset, 2n ** 64n - 1n);
  });
  it('tolerates the pre-3.0 shape: string ops and list ""', () => {
    const ctx = QueryContext.parse(
      '{"constraints":[{"name":"a","list":"","affinity":"TEXT"},{"name":"b","list":[{"op":"2","expr":"x"}]}]}',
    );
    assert.deepEqual(ctx.constraints, { b: [{ op: 'equals', code: 2, expr: 'x' }] });
    assert.equal(ctx.isColumnUsed('a'), true);
  });
  it('names unknown operator codes "unknown" and keeps their code', () => {
    const ctx = QueryContext.parse(
      '{"constraints":[{"name":"a","list":[{"op":99,"expr":"1"},{"op":68,"expr":"2"}]}]}',
    );
    assert.deepEqual(ctx.get('a'), [
      { op: 'unknown', code: 99, expr: '1' },
      { op: 'notEquals', code: 68, expr: '2' },
    ]);
  });
  it('an absent context means no constraints; bad JSON is an error', () => {
    assert.deepEqual(QueryContext.parse(undefined).constraints, {});
    assert.throws(() => QueryContext.parse('{'));
  });
});

describe('table plugin calls', () => {
  const t = tablePlugin(
    'vals',
    [column.text('s'), column.integer('i'), column.double('d'), column.bigint('b'), column.text('o')],
    () => [
      { s: 'x', i: 3, d: 1.5, b: 2n ** 62n, o: { k: 1 } },
      { s: null, i: undefined, d: Number.NaN, b: true },
      { s: 'r', rowid: 7, extra: 'ignored' } as never,
    ],
  );
  it('renders values as strings and leaves null/undefined out', async () => {
    const r = await t.call({ action: 'generate' });
    assert.equal(r.code, 0);
    assert.deepEqual(r.response, [
      { s: 'x', i: '3', d: '1.5', b: '4611686018427387904', o: '{"k":1}' },
      { b: '1' },
      { s: 'r', rowid: '7' },
    ]);
  });
  it('answers columns with the broadcast route info', async () => {
    assert.deepEqual((await t.call({ action: 'columns' })).response, t.routeInfo());
  });
  it('reports missing and unknown actions as the core does', async () => {
    assert.deepEqual(await t.call({}), {
      code: 1,
      message: 'Table plugins must include a request action',
      response: [],
    });
    assert.equal((await t.call({ action: 'nope' })).message, 'Unknown table plugin action: nope');
  });
  it('is readonly without write handlers', async () => {
    for (const action of ['insert', 'update', 'delete']) {
      assert.deepEqual((await t.call({ action, id: '1', json_value_array: '[]' })).response, [
        { status: 'readonly' },
      ]);
    }
  });
  it('turns generate failures (sync, async, iterator) into status 1 with the message', async () => {
    const sync = tablePlugin('e1', [column.text('a')], () => {
      throw new Error('sync boom');
    });
    const asyncFail = tablePlugin('e2', [column.text('a')], async () =>
      Promise.reject(new Error('async boom')),
    );
    const iter = tablePlugin('e3', [column.text('a')], async function* () {
      yield { a: '1' };
      throw new Error('iter boom');
    });
    assert.deepEqual(await sync.call({ action: 'generate' }), {
      code: 1,
      message: 'sync boom',
      response: [],
    });
    assert.equal((await asyncFail.call({ action: 'generate' })).message, 'async boom');
    assert.equal((await iter.call({ action: 'generate' })).message, 'iter boom');
  });
  it('passes write requests to handlers and answers one status row', async () => {
    const seen: unknown[] = [];
    const w = tablePlugin('w', [column.text('k'), column.integer('v')], () => [], {
      insert: (req) => {
        seen.push(req);
        return req.row.k === 'bad' ? { status: 'constraint' } : { status: 'success', id: 42 };
      },
      update: (req) => {
        seen.push(req);
        return 'failure';
      },
      delete: () => {
        throw new Error('cannot delete');
      },
    });
    const ins = await w.call({
      action: 'insert',
      auto_rowid: 'false',
      json_value_array: '["a",5]',
      context: '{"constraints":[]}',
    });
    assert.deepEqual(ins.response, [{ status: 'success', id: '42' }]);
    assert.deepEqual(seen[0], { row: { k: 'a', v: 5 }, values: ['a', 5], autoRowid: false });
    assert.deepEqual((await w.call({ action: 'insert', json_value_array: '["bad",null]' })).response, [
      { status: 'constraint' },
    ]);
    await w.call({ action: 'update', id: '3', new_id: '4', json_value_array: '["b",6]' });
    assert.deepEqual(seen[2], { row: { k: 'b', v: 6 }, values: ['b', 6], rowid: '3', newRowid: '4' });
    assert.deepEqual((await w.call({ action: 'delete', id: '3' })).response, [
      { status: 'failure', message: 'cannot delete' },
    ]);
  });
});

describe('config plugin', () => {
  const c = configPlugin(
    'cfg',
    () => ({ main: { options: { a: 1 } }, raw: '{"b":2}' }),
    (name) => (name === 'p' ? '{"queries":{}}' : undefined),
  );
  it('genConfig answers one map of source -> JSON text', async () => {
    assert.deepEqual(await c.call({ action: 'genConfig' }), {
      code: 0,
      message: 'OK',
      response: [{ main: '{"options":{"a":1}}', raw: '{"b":2}' }],
    });
  });
  it('genPack answers {pack: json}; unknown packs and actions fail', async () => {
    assert.deepEqual((await c.call({ action: 'genPack', name: 'p', value: '' })).response, [
      { p: '{"queries":{}}' },
    ]);
    assert.equal((await c.call({ action: 'genPack', name: 'q' })).code, 1);
    assert.equal((await c.call({})).message, 'Config plugins require an action');
    assert.equal((await c.call({ action: 'x' })).message, 'Config plugin action unknown: x');
    assert.equal((await configPlugin('n', () => ({})).call({ action: 'genPack', name: 'p' })).code, 1);
  });
});

describe('logger plugin', () => {
  it('answers features through the status code', async () => {
    const plain = loggerPlugin('l1', { logString: () => {} });
    const status = loggerPlugin('l2', { logString: () => {}, logStatus: () => {} });
    const both = loggerPlugin('l3', { logString: () => {}, logEvent: () => {}, features: { status: true } });
    assert.equal((await plain.call({ action: 'features' })).code, 0);
    assert.equal((await status.call({ action: 'features' })).code, 1);
    assert.equal((await both.call({ action: 'features' })).code, 3);
  });
  it('routes string, snapshot, status, event and init requests', async () => {
    const got: unknown[] = [];
    const l = loggerPlugin('l', {
      logString: (t, c) => void got.push(['string', t, c]),
      logStatus: (logs) => void got.push(['status', logs]),
      logEvent: (t) => void got.push(['event', t]),
      init: (n) => void got.push(['init', n]),
    });
    const log =
      '[{"s":1,"f":"a.cpp","i":12,"m":"hello","h":"host","c":"Thu Aug  6 21:46:12 2026 UTC","u":1786052772}]';
    const requests: Record<string, string>[] = [
      { init: 'osqueryd' },
      { string: '{"r":1}', category: 'event' },
      { snapshot: '{"s":1}' },
      { status: 'true', log },
      { event: '{"e":1}' },
      { health: '' },
    ];
    for (const req of requests) {
      assert.equal((await l.call(req)).code, 0);
    }
    assert.deepEqual(got, [
      ['init', 'osqueryd'],
      ['string', '{"r":1}', 'event'],
      ['string', '{"s":1}', 'snapshot'],
      [
        'status',
        [
          {
            severity: 1,
            filename: 'a.cpp',
            line: 12,
            message: 'hello',
            hostIdentifier: 'host',
            calendarTime: 'Thu Aug  6 21:46:12 2026 UTC',
            unixTime: 1786052772,
          },
        ],
      ],
      ['event', '{"e":1}'],
    ]);
    assert.deepEqual(await l.call({ other: '1' }), {
      code: 1,
      message: 'Unsupported call to logger plugin',
      response: [],
    });
  });
  it('parses the old object-with-empty-keys status shape too', () => {
    const logs = parseStatusLogs(
      '{"":{"s":0,"f":"x","i":1,"m":"a"},"":{"s":2,"f":"y","i":2,"m":"b:\\"\\":c"}}',
    );
    assert.deepEqual(
      logs.map((l) => [l.severity, l.message]),
      [
        [0, 'a'],
        [2, 'b:"":c'],
      ],
    );
  });
  it('a throwing logString is a failure status', async () => {
    const l = loggerPlugin('l', {
      logString: () => {
        throw new Error('disk full');
      },
    });
    assert.deepEqual(await l.call({ string: 'x' }), { code: 1, message: 'disk full', response: [] });
  });
});

describe('distributed plugin', () => {
  it('getQueries answers {results: json}; writeResults gets the parsed body', async () => {
    let written: unknown;
    const d = distributedPlugin('d', {
      getQueries: () => ({ queries: { a: 'SELECT 1' } }),
      writeResults: (r) => {
        written = r;
      },
    });
    assert.deepEqual((await d.call({ action: 'getQueries' })).response, [
      { results: '{"queries":{"a":"SELECT 1"}}' },
    ]);
    const body = { queries: { a: [{ '1': '1' }] }, statuses: { a: 0 } };
    assert.equal((await d.call({ action: 'writeResults', results: JSON.stringify(body) })).code, 0);
    assert.deepEqual(written, body);
    assert.equal((await d.call({ action: 'writeResults' })).message, 'Missing results field');
    assert.equal((await d.call({})).message, 'Distributed plugins require an action in PluginRequest');
  });
});

describe('broadcast', () => {
  it('contains exactly the four registries osquery knows, with route info', () => {
    const s = new ExtensionServer({ name: 'b', argv: [] });
    s.add(
      tablePlugin('bt', [column.text('a')], () => []),
      loggerPlugin('bl', { logString: () => {} }),
    );
    assert.deepEqual(s.broadcast(), {
      table: {
        bt: [
          { id: 'column', name: 'a', type: 'TEXT', op: '0' },
          { id: 'attributes', attributes: '0' },
        ],
      },
      config: {},
      logger: { bl: [] },
      distributed: {},
    });
    assert.throws(() => s.add(tablePlugin('bt', [column.text('a')], () => [])), /duplicate/);
  });
});
