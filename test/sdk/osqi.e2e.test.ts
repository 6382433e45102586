// The example extension autoloaded by the real osqi (`--extension`), the way an extension
// author tries their work: one-shot queries through the shell, then osqi's exit stops it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { exampleLauncher, repoRoot } from './harness.ts';

const osqi = join(repoRoot, 'core/bin/osqi.mjs');

describe('example extension under osqi --extension', () => {
  const dir = mkdtempSync(join(tmpdir(), 'osq-osqi-'));
  const socket = join(dir, 'osq.em');
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (sql: string) => {
    const r = spawnSync(
      process.execPath,
      [osqi, '--extensions_socket', socket, '--extension', exampleLauncher(), '--json', sql],
      { encoding: 'utf8', timeout: 30_000 },
    );
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it('answers constrained queries on the extension table', () => {
    const r = run("SELECT name, value FROM example_env WHERE name = 'HOME'");
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out), [{ name: 'HOME', value: process.env.HOME }]);
  });

  it('joins with processes and serves SQL from inside generate; the extension exits with osqi', () => {
    const r = run(
      'SELECT s.pid AS pid, p.cmdline AS cmdline FROM example_self s JOIN processes p USING (pid)',
    );
    assert.equal(r.code, 0, r.err);
    const rows = JSON.parse(r.out) as { pid: string; cmdline: string }[];
    assert.equal(rows.length, 1);
    // osqi launched it as osquery does: --socket S --timeout T --interval I.
    assert.match(rows[0]?.cmdline ?? '', new RegExp(`--socket ${socket} --timeout \\d+ --interval \\d+`));
    const pid = Number(rows[0]?.pid);
    let alive = true;
    for (let i = 0; i < 100 && alive; i++) {
      try {
        process.kill(pid, 0);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      } catch {
        alive = false;
      }
    }
    assert.equal(alive, false, 'the extension outlived osqi');
    assert.deepEqual(readdirSync(dir), [], 'socket files left behind');
  });

  it('a generate error is the statement error (exit 1)', () => {
    const r = run("SELECT * FROM example_files WHERE directory = '/nonexistent-osq'");
    assert.equal(r.code, 1);
    assert.match(r.err, /example_files: cannot list \/nonexistent-osq: ENOENT/);
  });
});
