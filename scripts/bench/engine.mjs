#!/usr/bin/env node
// Engine figures: rows/s of count(*) over a 1M-row generated table, SELECT * of 100k
// rows to JS, and the per-call cost of a join-driven generator (once per outer row).
// The peer is the same work on a plain SQLite table in the same better-sqlite3.
import Database from 'better-sqlite3';
import { Connection } from '../../core/dist/engine/connection.js';
import { bigint, defineTable, Op, text } from '../../core/dist/tables/framework.js';
import { report, timeIt } from './lib.mjs';

const N = 1_000_000;
const big = defineTable({
  name: 'bench_rows',
  columns: { id: bigint({ index: true }), name: text() },
  *generate(ctx) {
    const ids = ctx.integerEquals('id');
    if (ids.length) {
      for (const id of ids) yield { id, name: `n${id}` };
      return;
    }
    // `id < k` bounds the scan, so SELECT * of 100k rows generates 100k rows.
    const below = ctx.valuesFor('id', Op.LT).map(Number);
    const n = below.length ? Math.min(N, ...below) : N;
    for (let i = 0; i < n; i++) yield { id: i, name: 'x' };
  },
});
const conn = new Connection([big]);
const plain = new Database(':memory:');
plain.exec('CREATE TABLE bench_rows(id INTEGER, name TEXT)');
const ins = plain.prepare('INSERT INTO bench_rows VALUES (?, ?)');
plain.transaction(() => {
  for (let i = 0; i < N; i++) ins.run(i, 'x');
})();

const opts = { runs: 5, warm: 1 };
const ours = await timeIt(() => conn.query('SELECT count(*) FROM bench_rows'), opts);
// count(name) makes the plain table read every row too (count(*) has a shortcut there).
const peer = await timeIt(() => plain.prepare('SELECT count(name) FROM bench_rows').get(), opts);
report('count(*) over 1M generated rows', ours, 'plain table scan', peer);
console.log(`${''.padEnd(34)} ${(N / (ours / 1000) / 1e6).toFixed(2)} M rows/s through the vtab`);

const sel = await timeIt(() => conn.query('SELECT * FROM bench_rows WHERE id < 100000'), opts);
const selPeer = await timeIt(
  () => plain.prepare('SELECT * FROM bench_rows WHERE id < 100000').raw().all(),
  opts,
);
report('SELECT * of 100k rows to JS', sel, 'plain table', selPeer);

plain.exec(
  'CREATE TEMP TABLE outer_ids AS WITH RECURSIVE s(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM s WHERE id < 10000) SELECT id FROM s',
);
conn.query(
  'CREATE TEMP TABLE outer_ids AS WITH RECURSIVE s(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM s WHERE id < 10000) SELECT id FROM s',
);
const join = await timeIt(
  () => conn.query('SELECT count(*) FROM outer_ids o JOIN bench_rows b ON b.id = o.id'),
  opts,
);
console.log(`join-driven generator: ${((join / 10000) * 1000).toFixed(2)} us per outer row (10,000 calls)`);
