// INSERT, UPDATE and DELETE on extension tables, as osquery's xUpdate routes them: the
// request each statement sends (docs/extensions.md#writes-to-extension-tables), how the answer's status
// becomes the SQL result, the type checks that refuse a write before the extension is
// called, and core tables that stay read-only.
//
// Two extensions: a bare-wire peer in this process (built on @osq/idl, not our SDK) that
// records every request and can be told what to answer, and the SDK's probe extension
// (test/sdk/fixtures/probe-extension.ts) as a child process.
import assert from 'node:assert/strict';
import type { Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createThriftServer, ThriftClient } from '@osq/idl';
import { type Core, probeLauncher, type Spawned, spawnExtension, startCore } from '../sdk/harness.ts';

type Rows = Record<string, string>[];

const ITEMS = [
  { id: 'column', name: 'name', type: 'TEXT', op: '0' }, // 0 -> INDEX: refuses NULL
  { id: 'column', name: 'n', type: 'BIGINT', op: '4' }, // ADDITIONAL: takes NULL
  { id: 'column', name: 'ratio', type: 'DOUBLE', op: '8' },
  { id: 'column', name: 'tag', type: 'TEXT', op: '65' }, // INDEX|NOCASE: not exactly INDEX
];
const BLOBS = [
  { id: 'column', name: 'b', type: 'BLOB', op: '16' },
  { id: 'column', name: 'i', type: 'INTEGER', op: '2' }, // REQUIRED: refuses NULL
];

/**
 * A bare-wire extension serving w_items and w_blobs. Rows live in `store` (rowid ->
 * cells) and carry their rowid; writes are recorded in `requests` and answered from
 * `answers` when a test queued one, else by applying them to the store.
 */
class Peer {
  readonly requests: Record<string, string>[] = [];
  readonly answers: Rows[] = [];
  readonly store = new Map<string, Record<string, string>>();
  private server?: Server;
  private manager?: ThriftClient;

  async start(socket: string): Promise<void> {
    this.manager = await ThriftClient.connect(socket, { timeoutMs: 2000 });
    const status = await this.manager.call({
      method: 'registerExtension',
      info: { name: 'writer', version: '1.0.0', sdk_version: '', min_sdk_version: '' },
      registry: { table: { w_items: ITEMS, w_blobs: BLOBS }, config: {}, logger: {}, distributed: {} },
    });
    assert.equal(status.code, 0, status.message);
    const ok = { code: 0, message: 'OK', uuid: 0 };
    this.server = createThriftServer({
      ping: () => ok,
      call: async ({ item, request }) => {
        if (request.action === 'generate') {
          const rows = item === 'w_items' ? [...this.store].map(([rowid, r]) => ({ rowid, ...r })) : [];
          return { status: ok, response: rows };
        }
        this.requests.push({ ...request });
        return { status: ok, response: this.answers.shift() ?? this.apply(request) };
      },
    });
    await new Promise<void>((resolve) => this.server?.listen(`${socket}.${status.uuid}`, resolve));
  }

  /** Default behaviour: a working table whose new rows get ids from 7 up. */
  private nextId = 7;
  private apply(request: Record<string, string>): Rows {
    const values = JSON.parse(request.json_value_array ?? '[]') as unknown[];
    const cells = () => {
      const row: Record<string, string> = {};
      ITEMS.forEach((c, i) => {
        if (values[i] !== null && values[i] !== undefined) row[c.name] = String(values[i]);
      });
      return row;
    };
    const id = request.id ?? '';
    switch (request.action) {
      case 'insert': {
        const rowid = request.auto_rowid === 'true' ? id : String(this.nextId++);
        this.store.set(rowid, cells());
        return [{ status: 'success', id: rowid }];
      }
      case 'update':
        if (!this.store.has(id)) return [{ status: 'failure', message: `no row ${id}` }];
        this.store.delete(id);
        this.store.set(request.new_id ?? id, cells());
        return [{ status: 'success' }];
      default:
        return this.store.delete(id)
          ? [{ status: 'success' }]
          : [{ status: 'failure', message: `no row ${id}` }];
    }
  }

  close(): void {
    this.server?.close();
    this.manager?.close();
  }
}

const CONTEXT = '{"constraints":[]}';

describe('writes to extension tables', () => {
  let core: Core;
  const peer = new Peer();

  before(async () => {
    core = await startCore();
    await peer.start(core.socket);
    await core.eventually(async () => {
      await core.query('SELECT 1 FROM w_items');
      return true;
    });
  });

  after(async () => {
    peer.close();
    await core.close();
  });

  /** The requests the statement sent to the extension. */
  const sent = async (sql: string) => {
    const before = peer.requests.length;
    await core.query(sql);
    return peer.requests.slice(before);
  };
  const refused = async (sql: string) => {
    const before = peer.requests.length;
    const message = await core.queryError(sql);
    return { message, calls: peer.requests.length - before };
  };

  it('INSERT sends insert with typed values; the extension picks the rowid', async () => {
    assert.deepEqual(await sent("INSERT INTO w_items (name, n, ratio) VALUES ('a', 5, 0.5)"), [
      {
        action: 'insert',
        context: CONTEXT,
        json_value_array: '["a",5,0.5,null]',
        auto_rowid: 'false',
      },
    ]);
    assert.deepEqual(await core.query("SELECT rowid, name, n, ratio, tag FROM w_items WHERE name = 'a'"), [
      { rowid: 7, name: 'a', n: 5, ratio: 0.5, tag: null },
    ]);
  });

  it('INSERT with a rowid sends auto_rowid=true and that id; doubles keep a fraction', async () => {
    assert.deepEqual(
      await sent(
        "INSERT INTO w_items (rowid, name, n, ratio, tag) VALUES (42, 'b', -9007199254740994, 2.0, 'T')",
      ),
      [
        {
          action: 'insert',
          context: CONTEXT,
          json_value_array: '["b",-9007199254740994,2.0,"T"]',
          auto_rowid: 'true',
          id: '42',
        },
      ],
    );
    const rows = await core.query("SELECT rowid, n FROM w_items WHERE name = 'b'");
    assert.deepEqual(rows, [{ rowid: 42, n: -9007199254740994n }]);
  });

  it('UPDATE sends the rowid the extension gave the row, and new_id only when it changes', async () => {
    assert.deepEqual(await sent("UPDATE w_items SET n = 6, tag = 'x' WHERE name = 'a'"), [
      { action: 'update', context: CONTEXT, id: '7', json_value_array: '["a",6,0.5,"x"]' },
    ]);
    assert.deepEqual(await sent("UPDATE w_items SET rowid = 8 WHERE name = 'a'"), [
      { action: 'update', context: CONTEXT, id: '7', new_id: '8', json_value_array: '["a",6,0.5,"x"]' },
    ]);
    assert.deepEqual(await core.query("SELECT rowid, n, tag FROM w_items WHERE name = 'a'"), [
      { rowid: 8, n: 6, tag: 'x' },
    ]);
  });

  it('DELETE sends the rowid of each matching row', async () => {
    assert.deepEqual(await sent("DELETE FROM w_items WHERE name = 'a'"), [
      { action: 'delete', context: CONTEXT, id: '8' },
    ]);
    assert.deepEqual(await core.query("SELECT name FROM w_items WHERE name = 'a'"), []);
    // No matching row: nothing is sent and the statement succeeds.
    assert.deepEqual(await sent("DELETE FROM w_items WHERE name = 'nothing'"), []);
  });

  it("maps the answer's status to the SQL result", async () => {
    const insert = "INSERT INTO w_items (name) VALUES ('s')";
    const cases: [Rows, string][] = [
      [[{ status: 'readonly' }], 'table w_items is read-only'], // "table w_items may not be modified"
      [[{ status: 'failure', message: 'disk full' }], 'disk full'],
      [[{ status: 'failure' }], 'SQL logic error'],
      [[{ status: 'constraint' }], 'constraint failed'],
      [[{ status: 'weird' }], 'SQL logic error'],
      [[{ message: 'no status' }], 'SQL logic error'],
      [[], 'SQL logic error'],
      [
        [
          { status: 'success', id: '1' },
          { status: 'success', id: '2' },
        ],
        'SQL logic error',
      ],
      [[{ status: 'success' }], 'SQL logic error'], // an insert without a rowid
      [[{ status: 'success', id: 'x1' }], 'SQL logic error'],
    ];
    for (const [answer, message] of cases) {
      peer.answers.push(answer);
      const r = await refused(insert);
      assert.equal(r.calls, 1);
      assert.ok(r.message.startsWith(message), `${JSON.stringify(answer)}: ${r.message}`);
    }
    // A success with an id the way strtoll reads it: " 12abc" is rowid 12.
    peer.answers.push([{ status: 'success', id: ' 12abc' }]);
    await core.query(insert);
    // The extension answered success without storing anything: the row is not there.
    assert.deepEqual(await core.query("SELECT name FROM w_items WHERE name = 's'"), []);
  });

  it('refuses mistyped values with "datatype mismatch" before calling the extension', async () => {
    const mismatches = [
      "INSERT INTO w_items (name, n) VALUES ('m', 1.5)", // real into BIGINT
      "INSERT INTO w_items (name, n) VALUES ('m', '1')", // text into BIGINT
      "INSERT INTO w_items (name, ratio) VALUES ('m', 1)", // integer into DOUBLE
      'INSERT INTO w_items (name) VALUES (7)', // integer into TEXT
      "INSERT INTO w_items (name) VALUES (x'41')", // blob into TEXT
      'INSERT INTO w_items (n) VALUES (1)', // NULL into an INDEX column
      "INSERT INTO w_blobs (b, i) VALUES ('text', 1)", // text into BLOB
      "INSERT INTO w_blobs (b) VALUES (x'00')", // NULL into a REQUIRED column
      "UPDATE w_items SET ratio = 3 WHERE name = 'b'",
    ];
    for (const sql of mismatches)
      assert.deepEqual(await refused(sql), { message: 'datatype mismatch', calls: 0 }, sql);
    // NULL is fine where the options are not exactly INDEX or REQUIRED.
    assert.equal((await sent("INSERT INTO w_items (name) VALUES ('nulls')")).length, 1);
    assert.deepEqual(await sent("INSERT INTO w_blobs (b, i) VALUES (x'6869', 3)"), [
      { action: 'insert', context: CONTEXT, json_value_array: '["hi",3]', auto_rowid: 'false' },
    ]);
  });

  it('fails a scan whose row carries an unreadable rowid only when the rowid is needed', async () => {
    peer.store.set('not-a-number', { name: 'bad' });
    try {
      assert.deepEqual(await core.query("SELECT name FROM w_items WHERE name = 'bad'"), [{ name: 'bad' }]);
      assert.match(await core.queryError("SELECT rowid FROM w_items WHERE name = 'bad'"), /SQL logic error/);
      assert.deepEqual(await refused("DELETE FROM w_items WHERE name = 'bad'"), {
        message: 'SQL logic error',
        calls: 0,
      });
    } finally {
      peer.store.delete('not-a-number');
    }
  });

  it('keeps core tables read-only', async () => {
    for (const sql of [
      'DELETE FROM processes',
      'DELETE FROM processes WHERE pid = -1', // refused even when no row matches
      'INSERT INTO time (hour) VALUES (1)',
      "UPDATE os_version SET name = 'x'",
    ]) {
      assert.match(await core.queryError(sql), /^table \w+ is read-only/, sql);
    }
  });
});

describe('writes through the SDK (probe extension)', () => {
  let core: Core;
  let ext: Spawned;

  before(async () => {
    core = await startCore();
    ext = spawnExtension(probeLauncher, core.socket);
    await core.waitFor('probe');
  });

  after(async () => {
    ext.kill();
    await ext.exited;
    await core.close();
  });

  it('INSERT, UPDATE and DELETE reach the handlers and change what the table returns', async () => {
    const rows = () => core.query('SELECT rowid, k, v FROM probe_writable ORDER BY rowid');
    assert.deepEqual(await rows(), [{ rowid: 1, k: 'one', v: 1 }]);
    await core.query("INSERT INTO probe_writable (k, v) VALUES ('two', 2)");
    await core.query("INSERT INTO probe_writable (rowid, k, v) VALUES (50, 'fifty', 50)");
    await core.query("UPDATE probe_writable SET v = 11 WHERE k = 'one'");
    assert.deepEqual(await rows(), [
      { rowid: 1, k: 'one', v: 11 },
      { rowid: 50, k: 'fifty', v: 50 },
      { rowid: 100, k: 'two', v: 2 },
    ]);
    await core.query('DELETE FROM probe_writable WHERE v > 10');
    assert.deepEqual(await rows(), [{ rowid: 100, k: 'two', v: 2 }]);
  });

  it("reports the handler's constraint answer and refuses NULL keys", async () => {
    // The handler answers constraint for k = 'dup'.
    assert.equal(
      await core.queryError("INSERT INTO probe_writable (k, v) VALUES ('dup', 1)"),
      'constraint failed',
    );
    // v is INDEX by default (op 0), so NULL is refused before the extension sees it.
    assert.equal(await core.queryError("INSERT INTO probe_writable (k) VALUES ('x')"), 'datatype mismatch');
  });
});
