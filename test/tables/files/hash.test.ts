// hash against md5sum, sha1sum and sha256sum, including a file over 8 MiB, the
// --read_max limit, LIKE patterns and a join from processes.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resetFlags, setFlag } from '@osq/core/flags/index';
import { query } from '../../helpers/sql.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'osq-hash-'));
  writeFileSync(join(dir, 'small.txt'), 'osquery\n');
  writeFileSync(join(dir, 'empty'), '');
  writeFileSync(join(dir, 'big.bin'), randomBytes(9 * 1024 * 1024 + 123));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'inner'), 'x');
});
after(() => {
  resetFlags();
  rmSync(dir, { recursive: true, force: true });
});

function digest(tool: string, path: string): string {
  return (execFileSync(tool, [path], { encoding: 'utf8' }).split(' ')[0] as string).trim();
}

describe('hash', () => {
  it('matches md5sum/sha1sum/sha256sum for each regular file of a directory', async () => {
    const rows = await query(
      `SELECT path, directory, md5, sha1, sha256 FROM hash WHERE directory = '${dir}'`,
    );
    assert.deepEqual(
      rows.map((r) => r.path).sort(),
      ['big.bin', 'empty', 'small.txt'].map((n) => join(dir, n)),
    );
    for (const r of rows) {
      const p = r.path as string;
      assert.equal(r.directory, dir);
      assert.equal(r.md5, digest('md5sum', p), p);
      assert.equal(r.sha1, digest('sha1sum', p), p);
      assert.equal(r.sha256, digest('sha256sum', p), p);
    }
  });

  it('computes only the digests asked for', async () => {
    const p = join(dir, 'big.bin');
    const rows = await query(`SELECT sha256 FROM hash WHERE path = '${p}'`);
    assert.deepEqual(rows, [{ sha256: digest('sha256sum', p) }]);
  });

  it('gives empty digests for files over --read_max, as osquery does', async () => {
    setFlag('read_max', String(1024 * 1024));
    try {
      const rows = await query(
        `SELECT path, md5, sha256 FROM hash WHERE path IN ('${dir}/big.bin', '${dir}/small.txt')`,
      );
      const byPath = Object.fromEntries(rows.map((r) => [r.path, r]));
      assert.equal(byPath[join(dir, 'big.bin')]?.sha256, '');
      assert.equal(byPath[join(dir, 'big.bin')]?.md5, '');
      assert.equal(byPath[join(dir, 'small.txt')]?.sha256, digest('sha256sum', join(dir, 'small.txt')));
    } finally {
      resetFlags();
    }
  });

  it('expands path LIKE patterns, skipping directories', async () => {
    const rows = await query(`SELECT path, md5 FROM hash WHERE path LIKE '${dir}/%%'`);
    assert.deepEqual(
      rows.map((r) => r.path).sort(),
      ['big.bin', 'empty', 'small.txt', 'sub/inner'].map((n) => join(dir, n)),
    );
  });

  it('hashes the executable of a process through a join', async () => {
    // A small binary: node itself is over the default --read_max of 50 MiB.
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const pid = child.pid as number;
      let exe = '';
      for (let i = 0; i < 100 && !exe.endsWith('sleep'); i++) {
        await new Promise((r) => setTimeout(r, 20));
        exe = readlinkSync(`/proc/${pid}/exe`);
      }
      const rows = await query(
        `SELECT p.pid, h.path, h.sha256 FROM processes p JOIN hash h ON h.path = p.path WHERE p.pid = ${pid}`,
      );
      assert.deepEqual(rows, [{ pid, path: exe, sha256: digest('sha256sum', exe) }]);
    } finally {
      child.kill();
    }
  });

  it('gives empty digests for a process binary over --read_max', async () => {
    const exe = readlinkSync('/proc/self/exe');
    const rows = await query(
      `SELECT h.path, h.sha256 FROM processes p JOIN hash h ON h.path = p.path WHERE p.pid = ${process.pid}`,
    );
    const size = Number(execFileSync('stat', ['-L', '-c', '%s', exe], { encoding: 'utf8' }));
    assert.deepEqual(rows, [{ path: exe, sha256: size > 50 * 1024 * 1024 ? '' : digest('sha256sum', exe) }]);
  });

  it('joins file and hash', async () => {
    const rows = await query(
      `SELECT f.path, h.md5 FROM file f JOIN hash h ON h.path = f.path WHERE f.directory = '${dir}' AND f.type = 'regular'`,
    );
    assert.equal(rows.length, 3);
    for (const r of rows) assert.equal(r.md5, digest('md5sum', r.path as string));
  });
});
