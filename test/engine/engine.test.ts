// The engine as the shell and daemon use it: inline and on a worker thread.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openEngine } from '@osq/core/engine/engine';

describe('engine', () => {
  for (const thread of ['inline', 'worker'] as const) {
    it(`${thread}: runs queries against core tables and reports errors`, async () => {
      const engine = await openEngine({ thread });
      try {
        const r = await engine.query('SELECT pid FROM processes WHERE pid = 1');
        assert.deepEqual(r.columns, ['pid']);
        assert.deepEqual(r.types, ['BIGINT']);
        assert.deepEqual(r.rows, [[1]]);
        await assert.rejects(engine.query('SELEC 1'), /syntax error/);
        await assert.rejects(engine.query('SELECT * FROM no_such_table'), /no such table: no_such_table/);
        // Still serving after errors.
        assert.deepEqual((await engine.query('SELECT 2 AS two')).rows, [[2]]);
        assert.deepEqual(await engine.columns('SELECT pid, name FROM processes'), [
          { name: 'pid', type: 'BIGINT' },
          { name: 'name', type: 'TEXT' },
        ]);
      } finally {
        await engine.close();
      }
    });
  }

  it('worker: the calling thread stays responsive while a query runs', async () => {
    const engine = await openEngine({ thread: 'worker' });
    try {
      await engine.query('SELECT 1'); // worker started
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const started = Date.now();
      // A CPU-bound query of a few hundred milliseconds.
      await engine.query(
        'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT count(*) FROM c',
      );
      clearInterval(timer);
      const elapsed = Date.now() - started;
      assert.ok(elapsed > 50, `query took ${elapsed} ms; too short to tell`);
      assert.ok(ticks >= Math.floor(elapsed / 5 / 4), `only ${ticks} timer ticks in ${elapsed} ms`);
    } finally {
      await engine.close();
    }
  });

  it('lists tables with osqueryi-style schema text', async () => {
    const engine = await openEngine({ thread: 'inline' });
    const processes = engine.tables().find((t) => t.name === 'processes');
    assert.ok(processes);
    assert.match(processes.schema, /^CREATE TABLE processes\(`pid` BIGINT, `name` TEXT, /);
    assert.match(processes.schema, /PRIMARY KEY \(`pid`\)\) WITHOUT ROWID;$/);
    await engine.close();
  });
});

describe('worker pool', () => {
  it('runs queries in parallel on several workers, bounded by maxWorkers', async () => {
    const engine = await openEngine({ thread: 'worker', maxWorkers: 2 });
    try {
      const slow =
        'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1500000) SELECT count(*) FROM c';
      const t0 = Date.now();
      await engine.query(slow);
      const one = Date.now() - t0;
      const t1 = Date.now();
      const results = await Promise.all([engine.query(slow), engine.query(slow), engine.query('SELECT 3')]);
      const three = Date.now() - t1;
      assert.deepEqual(
        results.map((r) => r.rows[0]?.[0]),
        [1500000, 1500000, 3],
      );
      // Two slow queries on two workers take about as long as one, not twice as long
      // (generous bound: CI machines have 2 cores and other tests run beside this one).
      assert.ok(three < one * 1.9 + 200, `parallel ${three} ms vs single ${one} ms`);
    } finally {
      await engine.close();
    }
  });
});
