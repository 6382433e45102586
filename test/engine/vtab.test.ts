// The native vtab module through a real better-sqlite3 connection: which constraints
// reach generators, with which op codes, how often, and what SQLite does with rows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Connection } from '@osq/core/engine/connection';
import { bigint, defineTable, integer, Op, type QueryContext, text } from '@osq/core/tables/framework';

/** A table of n rows (id, name, tag) that records every context it was called with. */
function recordingTable(name: string, n: number, extra: Partial<Parameters<typeof defineTable>[0]> = {}) {
  const calls: QueryContext[] = [];
  const table = defineTable({
    name,
    columns: {
      id: bigint({ index: true }),
      name: text(),
      tag: text({ hidden: true }),
      score: integer(),
    },
    generate(ctx) {
      calls.push(ctx);
      const rows = [];
      for (let i = 1; i <= n; i++)
        rows.push({ id: i, name: `row${i}`, tag: i % 2 ? 'odd' : 'even', score: i * 10 });
      return rows;
    },
    ...extra,
  });
  return { table, calls };
}

function constraintsOf(ctx: QueryContext | undefined): Record<string, [number, unknown][]> {
  assert.ok(ctx, 'generator was called');
  // Sorted by op: SQLite hands constraints over in an order of its own.
  return Object.fromEntries(
    [...ctx.constraints].map(([k, v]) => [
      k,
      v.map((c): [number, unknown] => [c.op, c.expr]).sort((a, b) => a[0] - b[0]),
    ]),
  );
}

describe('vtab module', () => {
  it('passes = with op 2 and lets SQLite re-check rows', () => {
    const { table, calls } = recordingTable('t_eq', 5);
    const db = new Connection([table]);
    const r = db.query('SELECT id, name FROM t_eq WHERE id = 3');
    assert.deepEqual(r.rows, [[3, 'row3']]);
    assert.deepEqual(constraintsOf(calls.at(-1)), { id: [[Op.EQ, 3]] });
    db.close();
  });

  it('passes every osquery op on any column, dropping range ops on TEXT columns', () => {
    const { table, calls } = recordingTable('t_ops', 5);
    const db = new Connection([table]);
    db.query("SELECT * FROM t_ops WHERE score > 10 AND score <= 40 AND name LIKE 'row%' AND name GLOB 'r*'");
    assert.deepEqual(constraintsOf(calls.at(-1)), {
      score: [
        [Op.GT, 10],
        [Op.LE, 40],
      ],
      name: [
        [Op.LIKE, 'row%'],
        [Op.GLOB, 'r*'],
      ],
    });
    calls.length = 0;
    const r = db.query("SELECT id FROM t_ops WHERE name >= 'row3' AND score < 30 ORDER BY id");
    assert.deepEqual(constraintsOf(calls.at(-1)), { score: [[Op.LT, 30]] });
    assert.deepEqual(r.rows, []); // row1 < 'row3'; rows 3.. have score >= 30
    db.close();
  });

  it('delivers an IN list in one scan', () => {
    const { table, calls } = recordingTable('t_in', 5);
    const db = new Connection([table]);
    const r = db.query('SELECT id FROM t_in WHERE id IN (1, 4, 9) ORDER BY id');
    assert.deepEqual(r.rows, [[1], [4]]);
    assert.equal(calls.length, 1);
    assert.deepEqual(
      constraintsOf(calls[0])
        .id?.map(([op, v]) => [op, v])
        .sort(),
      [
        [Op.EQ, 1],
        [Op.EQ, 4],
        [Op.EQ, 9],
      ],
    );
    db.close();
  });

  it('calls the inner generator once per outer row with the join value', () => {
    const outer = recordingTable('t_outer', 3);
    const inner = recordingTable('t_inner', 3);
    const db = new Connection([outer.table, inner.table]);
    const r = db.query('SELECT o.id, i.name FROM t_outer o JOIN t_inner i ON i.id = o.id ORDER BY o.id');
    assert.deepEqual(r.rows, [
      [1, 'row1'],
      [2, 'row2'],
      [3, 'row3'],
    ]);
    const values = inner.calls.map((c) => constraintsOf(c).id?.[0]?.[1]);
    assert.deepEqual(values, [1, 2, 3]);
    db.close();
  });

  it('tells generators which columns the query reads', () => {
    const { table, calls } = recordingTable('t_used', 2);
    const db = new Connection([table]);
    db.query('SELECT name FROM t_used');
    assert.deepEqual([...(calls.at(-1)?.colsUsed ?? [])], ['name']);
    db.query('SELECT * FROM t_used');
    assert.deepEqual([...(calls.at(-1)?.colsUsed ?? [])].sort(), ['id', 'name', 'score']);
    db.close();
  });

  it('keeps hidden columns out of SELECT * but selectable by name', () => {
    const { table } = recordingTable('t_hidden', 2);
    const db = new Connection([table]);
    assert.deepEqual(db.query('SELECT * FROM t_hidden LIMIT 1').columns, ['id', 'name', 'score']);
    assert.deepEqual(db.query('SELECT tag FROM t_hidden').rows, [['odd'], ['even']]);
    db.close();
  });

  describe('required columns', () => {
    const files = (name: string) => {
      const calls: QueryContext[] = [];
      const table = defineTable({
        name,
        columns: { path: text({ required: true }), directory: text({ required: true }), size: bigint() },
        generate(ctx) {
          calls.push(ctx);
          return ctx.equals('path').map((p) => ({ path: p, directory: '/', size: p.length }));
        },
      });
      return { table, calls };
    };

    it('fails a scan without a constraint, naming the table and columns', () => {
      const { table } = files('t_req');
      const db = new Connection([table]);
      assert.throws(
        () => db.query('SELECT * FROM t_req'),
        /Table t_req was queried without a required column in the WHERE clause \(constrain path or directory\)/,
      );
      db.close();
    });

    it('accepts LIKE and = on a required column, and OR of both', () => {
      const { table, calls } = files('t_req2');
      const db = new Connection([table]);
      assert.deepEqual(db.query("SELECT path, size FROM t_req2 WHERE path = '/etc'").rows, [['/etc', 4]]);
      db.query("SELECT * FROM t_req2 WHERE path LIKE '/etc/%'");
      assert.deepEqual(constraintsOf(calls.at(-1)), { path: [[Op.LIKE, '/etc/%']] });
      const r = db.query("SELECT path FROM t_req2 WHERE path = '/a' OR path LIKE '/b%'");
      assert.deepEqual(r.rows, [['/a']]);
      db.close();
    });

    it('orders a join so the required column is bound by the outer table', () => {
      const outer = recordingTable('t_req_outer', 2);
      const { table, calls } = files('t_req_inner');
      const db = new Connection([outer.table, table]);
      const r = db.query(
        'SELECT o.name, f.size FROM t_req_inner f JOIN t_req_outer o ON f.path = o.name ORDER BY 1',
      );
      assert.deepEqual(r.rows, [
        ['row1', 4],
        ['row2', 4],
      ]);
      assert.equal(calls.length, 2);
      db.close();
    });
  });

  it('turns a generator exception into the query error', () => {
    const table = defineTable({
      name: 't_throws',
      columns: { a: text() },
      generate() {
        throw new Error('cannot read /nonexistent: ENOENT');
      },
    });
    const db = new Connection([table]);
    assert.throws(() => db.query('SELECT * FROM t_throws'), /cannot read \/nonexistent: ENOENT/);
    // The connection stays usable.
    assert.deepEqual(db.query('SELECT 1 AS x').rows, [[1]]);
    db.close();
  });

  it('casts values to the declared column types as osquery does', () => {
    const table = defineTable({
      name: 't_types',
      columns: { i: integer(), b: bigint(), s: text(), d: text() },
      generate: () => [{ i: '42', b: 'not a number', s: 7, d: undefined }],
    });
    const db = new Connection([table]);
    const r = db.query('SELECT i, typeof(i), b, s, typeof(s), d FROM t_types');
    assert.deepEqual(r.rows, [[42, 'integer', null, '7', 'text', null]]);
    db.close();
  });

  it('refuses writes to tables and denies ATTACH and unsafe PRAGMAs', () => {
    const { table } = recordingTable('t_ro', 1);
    const db = new Connection([table]);
    assert.throws(() => db.query('DELETE FROM t_ro'), /table t_ro is read-only/);
    assert.throws(() => db.query('INSERT INTO t_ro (id) VALUES (1)'), /read-only/);
    assert.throws(() => db.query("ATTACH DATABASE '/tmp/osq-attach.db' AS x"), /not authorized/);
    assert.throws(() => db.query('PRAGMA writable_schema = 1'), /not authorized/);
    assert.equal(db.query('PRAGMA table_info(t_ro)').rows.length, 3); // hidden `tag` is left out
    assert.equal(db.query('PRAGMA table_xinfo(t_ro)').rows.length, 4);
    db.close();
  });

  it('accepts double-quoted string literals as osquery does', () => {
    const { table } = recordingTable('t_dqs', 3);
    const db = new Connection([table]);
    assert.deepEqual(db.query('SELECT id FROM t_dqs WHERE name = "row2"').rows, [[2]]);
    assert.deepEqual(db.query('SELECT id FROM t_dqs WHERE name <> "" ORDER BY id').rows.length, 3);
    db.close();
  });

  it('supports views, temporary tables, CTEs, window and json functions', () => {
    const { table } = recordingTable('t_sql', 4);
    const db = new Connection([table]);
    db.query('CREATE TEMP TABLE keep AS SELECT id FROM t_sql WHERE id > 2');
    assert.deepEqual(db.query('SELECT * FROM keep ORDER BY id').rows, [[3], [4]]);
    db.query('CREATE VIEW evens AS SELECT id FROM t_sql WHERE tag = "even"');
    assert.deepEqual(db.query('SELECT * FROM evens ORDER BY id').rows, [[2], [4]]);
    const cte = db.query(
      'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 4) SELECT sum(x) FROM c',
    );
    assert.deepEqual(cte.rows, [[10]]);
    const w = db.query('SELECT id, sum(score) OVER (ORDER BY id) FROM t_sql ORDER BY id LIMIT 2');
    assert.deepEqual(w.rows, [
      [1, 10],
      [2, 30],
    ]);
    assert.deepEqual(db.query("SELECT json_extract('{\"a\":[1,2]}', '$.a[1]')").rows, [[2]]);
    db.close();
  });
});
