// The backing store: a directory holding osq.sqlite, osquery's key-value domains,
// atomic transactions, and committed data surviving kill -9.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BackingStore, DOMAINS } from '../../core/src/database/store.ts';

const CHILD = fileURLToPath(new URL('./store-child.ts', import.meta.url));

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'osq-store-'));
}

describe('backing store', () => {
  it('creates the --database_path directory (0700) with a private osq.sqlite in WAL mode', () => {
    const base = tempDir();
    try {
      const dir = path.join(base, 'nested', 'osquery.db');
      const store = BackingStore.open(dir);
      assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
      const file = path.join(dir, 'osq.sqlite');
      assert.equal(store.location, file);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(store.db.pragma('synchronous', { simple: true }), 2); // FULL
      store.close();
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  it('refuses a --database_path that is a file', () => {
    const base = tempDir();
    try {
      const file = path.join(base, 'plain');
      fs.writeFileSync(file, 'not a directory');
      assert.throws(() => BackingStore.open(file));
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  it('has osquery’s domains, each its own key space', () => {
    assert.ok(DOMAINS.includes('configurations') && DOMAINS.includes('queries') && DOMAINS.includes('logs'));
    const store = BackingStore.memory();
    store.put('queries', 'users', '[]');
    store.put('configurations', 'users', 'other');
    assert.equal(store.get('queries', 'users'), '[]');
    assert.equal(store.get('configurations', 'users'), 'other');
    assert.equal(store.get('events', 'users'), undefined);
    store.put('queries', 'users', '[1]');
    assert.equal(store.get('queries', 'users'), '[1]');
    store.delete('queries', 'users');
    assert.equal(store.get('queries', 'users'), undefined);
    assert.equal(store.get('configurations', 'users'), 'other');
  });

  it('scans a prefix in byte order, with no wildcard meaning for % or _', () => {
    const store = BackingStore.memory();
    for (const k of ['query.b', 'query.a', 'query_x', 'query%y', 'query.é', 'query.Z', 'querz', 'quer']) {
      store.put('queries', k, k.toUpperCase());
    }
    store.put('logs', 'query.c', 'elsewhere');
    assert.deepEqual(store.keys('queries', 'query.'), ['query.Z', 'query.a', 'query.b', 'query.é']);
    assert.deepEqual(store.scan('queries', 'query%'), [{ key: 'query%y', value: 'QUERY%Y' }]);
    assert.deepEqual(store.keys('queries', 'query_'), ['query_x']);
    assert.equal(store.keys('queries').length, 8);
    assert.deepEqual(store.keys('queries', 'nothing'), []);
  });

  it('transactions are all or nothing, and nest', () => {
    const store = BackingStore.memory();
    store.put('configurations', 'a', '1');
    assert.throws(
      () =>
        store.transaction(() => {
          store.put('configurations', 'a', '2');
          store.put('configurations', 'b', '2');
          throw new Error('boom');
        }),
      /boom/,
    );
    assert.equal(store.get('configurations', 'a'), '1');
    assert.equal(store.get('configurations', 'b'), undefined);
    const v = store.transaction(() => {
      store.put('configurations', 'a', '3');
      try {
        store.transaction(() => {
          store.put('configurations', 'c', 'inner');
          throw new Error('inner');
        });
      } catch {}
      return store.get('configurations', 'a');
    });
    assert.equal(v, '3');
    assert.equal(store.get('configurations', 'c'), undefined);
  });

  it('keeps data across close and reopen', () => {
    const dir = tempDir();
    try {
      let store = BackingStore.open(dir);
      store.put('configurations', 'nodeKey', 'abc');
      store.close();
      store = BackingStore.open(dir);
      assert.equal(store.get('configurations', 'nodeKey'), 'abc');
      store.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loses no committed transaction to kill -9', async () => {
    const dir = tempDir();
    try {
      for (let round = 0; round < 5; round++) {
        const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        let reported = 0;
        await new Promise<void>((resolve) => {
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            const done = out.split('\n').slice(0, -1);
            reported = Number(done[done.length - 1] ?? 0);
            // Let it run a little past the first commits, then kill it mid-loop.
            if (done.length > 20 + round * 37) {
              child.kill('SIGKILL');
              resolve();
            }
          });
        });
        await new Promise((resolve) => child.once('exit', resolve));
        const store = BackingStore.open(dir);
        const n = Number(store.get('configurations', 'n'));
        // Every commit the child reported is there; at most the one in flight was lost.
        assert.ok(n >= reported, `round ${round}: stored ${n} < reported ${reported}`);
        for (let k = 1; k <= n; k++) assert.equal(store.get('queries', `k${k}`), 'x'.repeat(k % 500));
        assert.equal(store.get('queries', `k${n + 1}`), undefined);
        store.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
