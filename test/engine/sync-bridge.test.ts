// The sync bridge: synchronous generators waiting on asynchronous HTTP done by another
// thread. The HTTP servers run in a child process, because the inline engine blocks
// this thread while it waits (exactly what a one-shot osqi does).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Connection } from '@osq/core/engine/connection';
import { httpRequestSync } from '@osq/core/net/http';
import { defineTable, integer, text } from '@osq/core/tables/framework';
import { stopSyncExecutor } from '@osq/core/thread/sync-bridge';

const SERVER = `
const http = require('node:http');
const handler = (req, res) => {
  if (req.url.startsWith('/hang')) return; // never answers
  res.setHeader('content-type', 'text/plain');
  res.end('you asked for ' + req.url);
};
const tcp = http.createServer(handler).listen(0, '127.0.0.1', () => {
  const unix = http.createServer(handler).listen(process.argv[1], () => {
    process.stdout.write(JSON.stringify({ port: tcp.address().port }) + '\\n');
  });
});
`;

describe('sync bridge', () => {
  let server: ChildProcess;
  let port = 0;
  const dir = mkdtempSync(join(tmpdir(), 'osq-bridge-'));
  const socketPath = join(dir, 'http.sock');

  before(async () => {
    server = spawn(process.execPath, ['-e', SERVER, socketPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    port = await new Promise<number>((resolve) => {
      server.stdout?.once('data', (d: Buffer) => resolve(JSON.parse(d.toString()).port));
    });
  });

  after(async () => {
    server.kill();
    await stopSyncExecutor();
    rmSync(dir, { recursive: true, force: true });
  });

  const fetched = defineTable({
    name: 't_fetched',
    columns: { url: text({ required: true }), status: integer(), body: text() },
    generate: (ctx) =>
      ctx.equals('url').map((url) => {
        const r = url.startsWith('unix:')
          ? httpRequestSync({ url: url.slice(5), socketPath, timeoutMs: 300 })
          : httpRequestSync({ url, timeoutMs: 300 });
        return { url, status: r.status, body: r.body };
      }),
  });

  it('serves a generator over TCP and over a Unix socket', () => {
    const db = new Connection([fetched]);
    const tcp = db.query(`SELECT status, body FROM t_fetched WHERE url = 'http://127.0.0.1:${port}/a?b=1'`);
    assert.deepEqual(tcp.rows, [[200, 'you asked for /a?b=1']]);
    const unix = db.query("SELECT body FROM t_fetched WHERE url = 'unix:/containers/json'");
    assert.deepEqual(unix.rows, [['you asked for /containers/json']]);
    db.close();
  });

  it('fails a hung request after its timeout with a clear error, then keeps working', () => {
    const db = new Connection([fetched]);
    const started = Date.now();
    assert.throws(
      () => db.query(`SELECT * FROM t_fetched WHERE url = 'http://127.0.0.1:${port}/hang'`),
      /timed out/,
    );
    assert.ok(Date.now() - started < 2000);
    assert.equal(
      db.query(`SELECT status FROM t_fetched WHERE url = 'http://127.0.0.1:${port}/ok'`).rows[0]?.[0],
      200,
    );
    db.close();
  });

  it('fails fast when nothing listens', () => {
    const db = new Connection([fetched]);
    assert.throws(
      () => db.query("SELECT * FROM t_fetched WHERE url = 'http://127.0.0.1:1/'"),
      /ECONNREFUSED/,
    );
    db.close();
  });

  it('stays correct over thousands of calls (replies matched by id)', () => {
    const db = new Connection([fetched]);
    const r = db.query(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
       SELECT count(*) FROM n JOIN t_fetched f ON f.url = 'http://127.0.0.1:${port}/' || n.i
       WHERE f.body = 'you asked for /' || n.i`,
    );
    assert.deepEqual(r.rows, [[2000]]);
    db.close();
  });
});
