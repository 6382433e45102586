// The example extension as a real child process registered with a real osq core
// (the manager, in this process): its tables answer SQL through the engine, join with
// core tables, honour constraints, report errors, and vanish when the process dies.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Core, exampleLauncher, type Spawned, spawnExtension, startCore } from './harness.ts';

describe('example extension registered with the core', () => {
  let core: Core;
  let ext: Spawned;

  before(async () => {
    core = await startCore();
    ext = spawnExtension(exampleLauncher(), core.socket);
    await core.waitFor('example_table');
  });

  after(async () => {
    ext?.kill('SIGKILL');
    await core?.close();
  });

  it('is listed by osquery_extensions with its version and socket', async () => {
    const rows = await core.query("SELECT * FROM osquery_extensions WHERE name = 'example_table'");
    assert.equal(rows.length, 1);
    const row = rows[0]!;
    assert.equal(row.version, '0.1.0');
    assert.equal(row.type, 'extension');
    assert.equal(row.path, `${core.socket}.${row.uuid}`);
    // The extension socket is private to root (mode 0600).
    assert.equal(statSync(String(row.path)).mode & 0o777, 0o600);
  });

  it('example_env answers WHERE name = ... with the value the child process sees', async () => {
    const rows = await core.query("SELECT name, value FROM example_env WHERE name = 'PATH'");
    assert.deepEqual(rows, [{ name: 'PATH', value: process.env.PATH }]);
    const all = await core.query('SELECT count(*) AS n FROM example_env');
    assert.equal(all[0]?.n, Object.keys(process.env).length);
  });

  it('the required directory constraint reaches generate (no constraint, no rows)', async () => {
    const dir = '/etc';
    const expected = readdirSync(dir).sort();
    const rows = await core.query(
      `SELECT filename, type, size FROM example_files WHERE directory = '${dir}'`,
    );
    assert.deepEqual(
      rows.map((r) => r.filename),
      expected,
    );
    // Cross-check types and sizes with an independent tool (find -printf).
    const listing = execFileSync(
      'find',
      [dir, '-mindepth', '1', '-maxdepth', '1', '-printf', '%f\t%y\t%s\n'],
      {
        encoding: 'utf8',
      },
    );
    const kinds: Record<string, string> = { f: 'regular', d: 'directory', l: 'symlink' };
    for (const line of listing.trim().split('\n')) {
      const [name, y, size] = line.split('\t');
      const row = rows.find((r) => r.filename === name);
      assert.ok(row, `missing ${name}`);
      if (y && kinds[y]) assert.equal(row.type, kinds[y], name);
      if (y === 'f') assert.equal(row.size, Number(size), name);
    }
    // Two directories through IN: one scan per value (or one optimized scan), both listed.
    const two = await core.query(
      "SELECT DISTINCT directory FROM example_files WHERE directory IN ('/etc', '/usr') ORDER BY directory",
    );
    assert.deepEqual(two, [{ directory: '/etc' }, { directory: '/usr' }]);
  });

  it('joins with core tables', async () => {
    const rows = await core.query(
      'SELECT s.pid AS pid, p.name AS name, p.parent AS parent FROM example_self s JOIN processes p USING (pid)',
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.pid, ext.child.pid);
    assert.equal(rows[0]?.parent, process.pid);
    // A constrained extension table joined on a core column: which processes run the
    // node binary this test runs on (this test process at least).
    const exe = realpathSync(process.execPath);
    const users = await core.query(
      `SELECT p.pid AS pid FROM example_files f JOIN processes p ON p.path = f.path WHERE f.directory = '${dirname(exe)}' AND f.filename = '${basename(exe)}'`,
    );
    assert.ok(users.some((r) => r.pid === process.pid));
  });

  it('example_self runs SQL on the core from inside generate without deadlocking', async () => {
    const rows = await core.query('SELECT pid, name, threads FROM example_self');
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.pid, ext.child.pid);
    assert.equal(typeof rows[0]?.threads, 'number');
    // Several at once, interleaved with plain scans.
    const many = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        core.query(
          i % 2 ? 'SELECT count(*) AS n FROM example_self' : "SELECT * FROM example_env WHERE name = 'HOME'",
        ),
      ),
    );
    assert.equal(many.length, 6);
  });

  it('a generate error surfaces as the SQL error', async () => {
    const msg = await core.queryError("SELECT * FROM example_files WHERE directory = '/nonexistent-osq-dir'");
    assert.match(msg, /example_files: cannot list \/nonexistent-osq-dir: ENOENT/);
  });

  it('a killed extension disappears within one health interval', async () => {
    const [{ uuid } = {}] = await core.query(
      "SELECT uuid FROM osquery_extensions WHERE name = 'example_table'",
    );
    ext.kill('SIGKILL');
    await ext.exited;
    const t0 = Date.now();
    await core.eventually(async () => {
      const rows = await core.query(`SELECT uuid FROM osquery_extensions WHERE uuid = ${uuid}`);
      return rows.length === 0 ? true : undefined;
    }, 5000);
    // interval 0.5 s: the next check removes it (allow one interval of scheduling slack).
    assert.ok(Date.now() - t0 <= 1500, `took ${Date.now() - t0} ms`);
    assert.match(await core.queryError('SELECT * FROM example_env'), /no such table/);
  });
});
