// The differential engine (docs/results-and-logging.md#the-differential-engine), run against a real backing
// store. Expected lines and counters are written by hand from that page.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BackingStore } from '../../core/src/database/store.ts';
import {
  type ApplyOptions,
  applyResults,
  type ScheduledQueryInfo,
} from '../../core/src/results/differential.ts';
import { Outbox } from '../../core/src/results/outbox.ts';
import type { ResultSet } from '../../core/src/results/rows.ts';

const T = 1786052772;
const CAL = 'Thu Aug  6 21:46:12 2026 UTC';
const head = (counter: number, epoch = 0) =>
  `"name":"users","hostIdentifier":"h1","calendarTime":"${CAL}","unixTime":${T},"epoch":${epoch},"counter":${counter},"numerics":false`;

const batch: ApplyOptions = {
  epoch: 0,
  hostIdentifier: 'h1',
  decorations: {},
  eventFormat: false,
  snapshotEventFormat: false,
  numerics: false,
  decorationsTopLevel: false,
};
const events: ApplyOptions = { ...batch, eventFormat: true };

const users: ScheduledQueryInfo = {
  name: 'users',
  sql: 'SELECT uid, username FROM users',
  snapshot: false,
  removed: true,
  eventOptimized: false,
};

/** Rows of (uid, username). */
function rs(...rows: [number, string][]): ResultSet {
  return { columns: ['uid', 'username'], rows };
}

const texts = (r: { lines: { text: string }[] }) => r.lines.map((l) => l.text);

describe('differential results', () => {
  it('first run: every row added, counter 0; unchanged: nothing; change: added + removed, counter 1', () => {
    const store = BackingStore.memory();
    const first = applyResults(store, users, rs([0, 'root'], [1, 'daemon']), T, batch);
    assert.deepEqual(texts(first), [
      `{"diffResults":{"removed":[],"added":[{"uid":"0","username":"root"},{"uid":"1","username":"daemon"}]},${head(0)}}`,
    ]);
    assert.deepEqual(first.notes, ['Storing initial results for new scheduled query: users']);
    assert.equal(store.get('queries', 'userscounter'), '0');
    assert.equal(store.get('queries', 'usersepoch'), '0');
    assert.equal(store.get('queries', 'query.users'), users.sql);
    assert.equal(
      store.get('queries', 'users'),
      '[{"uid":0,"username":"root"},{"uid":1,"username":"daemon"}]',
    );

    // Same rows in another order: a multiset comparison finds no change.
    const same = applyResults(store, users, rs([1, 'daemon'], [0, 'root']), T, batch);
    assert.deepEqual(same.lines, []);
    assert.deepEqual(same.notes, []);
    assert.equal(store.get('queries', 'userscounter'), '0');

    const changed = applyResults(store, users, rs([0, 'root'], [2, 'bin']), T, events);
    assert.deepEqual(texts(changed), [
      `{${head(1)},"columns":{"uid":"1","username":"daemon"},"action":"removed"}`,
      `{${head(1)},"columns":{"uid":"2","username":"bin"},"action":"added"}`,
    ]);
    assert.equal(changed.counter, 1);
    assert.equal(store.get('queries', 'userscounter'), '1');
  });

  it('counts duplicate rows one by one', () => {
    const store = BackingStore.memory();
    applyResults(store, users, rs([0, 'a'], [0, 'a'], [1, 'b']), T, batch);
    const fewer = applyResults(store, users, rs([0, 'a'], [1, 'b']), T, batch);
    assert.deepEqual(texts(fewer), [
      `{"diffResults":{"removed":[{"uid":"0","username":"a"}],"added":[]},${head(1)}}`,
    ]);
    const more = applyResults(store, users, rs([0, 'a'], [0, 'a'], [1, 'b'], [0, 'a']), T, batch);
    assert.deepEqual(texts(more), [
      `{"diffResults":{"removed":[],"added":[{"uid":"0","username":"a"},{"uid":"0","username":"a"}]},${head(2)}}`,
    ]);
  });

  it('compares typed values: 1, 1.0 and "1" are different rows', () => {
    const store = BackingStore.memory();
    const q = { ...users, name: 'typed' };
    const one = (v: number | string, real: boolean): ResultSet => ({
      columns: ['v'],
      rows: [[v]],
      realColumns: [real],
    });
    applyResults(store, q, one(1, false), T, batch);
    assert.equal(applyResults(store, q, one(1, false), T, batch).lines.length, 0);
    assert.equal(applyResults(store, q, one(1, true), T, batch).counter, 1);
    assert.equal(applyResults(store, q, one('1', false), T, batch).counter, 2);
    assert.equal(store.get('queries', 'typed'), '[{"v":"1"}]');
  });

  it('lists removed rows in osquery multiset order (integers < doubles < text, text in byte order)', () => {
    const store = BackingStore.memory();
    const q = { ...users, name: 'order' };
    // Without realColumns, 7 reads as INTEGER and 2.5 as REAL.
    const before: ResultSet = { columns: ['a'], rows: [['b'], ['B'], [2.5], [7]] };
    applyResults(store, q, before, T, batch);
    const r = applyResults(store, q, { columns: ['a'], rows: [] }, T, events);
    assert.deepEqual(
      r.lines.map((l) => JSON.parse(l.text).columns.a),
      ['7', '2.5', 'B', 'b'],
    );
  });

  it('a new --schedule_epoch re-baselines: everything added again, counter back to 0', () => {
    const store = BackingStore.memory();
    applyResults(store, users, rs([0, 'root']), T, batch);
    applyResults(store, users, rs([0, 'root'], [1, 'x']), T, batch);
    const r = applyResults(store, users, rs([0, 'root'], [1, 'x']), T, { ...batch, epoch: 7 });
    assert.deepEqual(texts(r), [
      `{"diffResults":{"removed":[],"added":[{"uid":"0","username":"root"},{"uid":"1","username":"x"}]},${head(0, 7)}}`,
    ]);
    assert.deepEqual(r.notes, ['New Epoch 7 for scheduled query users']);
    assert.equal(store.get('queries', 'usersepoch'), '7');
    assert.equal(applyResults(store, users, rs([0, 'root']), T, { ...batch, epoch: 7 }).counter, 1);
  });

  it('a changed SQL text is noted and stored, the diff continues against the old rows', () => {
    const store = BackingStore.memory();
    applyResults(store, users, rs([0, 'root']), T, batch);
    const q = { ...users, sql: 'SELECT uid, username FROM users WHERE uid < 10' };
    const r = applyResults(store, q, rs([0, 'root'], [5, 'five']), T, batch);
    assert.deepEqual(r.notes, ['Scheduled query has been updated: users']);
    assert.deepEqual(texts(r), [
      `{"diffResults":{"removed":[],"added":[{"uid":"5","username":"five"}]},${head(1)}}`,
    ]);
    assert.equal(store.get('queries', 'query.users'), q.sql);
  });

  it('removed:false drops removed rows from the output (the counter still moves)', () => {
    const store = BackingStore.memory();
    const q = { ...users, removed: false };
    applyResults(store, q, rs([0, 'root'], [1, 'x']), T, batch);
    const onlyRemoved = applyResults(store, q, rs([0, 'root']), T, batch);
    assert.deepEqual(onlyRemoved.lines, []);
    assert.equal(store.get('queries', 'userscounter'), '1');
    const both = applyResults(store, q, rs([2, 'y']), T, batch);
    assert.deepEqual(texts(both), [
      `{"diffResults":{"removed":[],"added":[{"uid":"2","username":"y"}]},${head(2)}}`,
    ]);
  });

  it('an empty first run logs a batch line with empty arrays, and nothing in event format', () => {
    const store = BackingStore.memory();
    const r = applyResults(store, users, rs(), T, batch);
    assert.deepEqual(texts(r), [`{"diffResults":{"removed":[],"added":[]},${head(0)}}`]);
    assert.equal(applyResults(store, users, rs(), T, batch).lines.length, 0);

    const store2 = BackingStore.memory();
    const e = applyResults(store2, users, rs(), T, events);
    assert.deepEqual(e.lines, []);
    assert.equal(e.counter, 0);
    assert.equal(store2.get('queries', 'users'), '[]');
    assert.deepEqual(texts(applyResults(store2, users, rs([0, 'root']), T, events)), [
      `{${head(1)},"columns":{"uid":"0","username":"root"},"action":"added"}`,
    ]);
  });

  it('stores and logs escaped text, so the next run compares escaped with escaped', () => {
    const store = BackingStore.memory();
    const q = { ...users, name: 'esc' };
    const bad: ResultSet = { columns: ['v'], rows: [[Buffer.from([0x41, 0x0a, 0xff])]] };
    const r = applyResults(store, q, bad, T, batch);
    assert.match(r.lines[0]?.text as string, /"added":\[\{"v":"A\\\\x0A\\\\xFF"\}\]/);
    assert.equal(store.get('queries', 'esc'), '[{"v":"A\\\\x0A\\\\xFF"}]');
    assert.equal(applyResults(store, q, bad, T, batch).lines.length, 0);
  });

  it('event-optimised queries: every row added, counter starts at 1 and moves only with rows', () => {
    const store = BackingStore.memory();
    const q = { ...users, name: 'file_events_q', eventOptimized: true };
    const ev = (...paths: string[]): ResultSet => ({ columns: ['path'], rows: paths.map((p) => [p]) });
    const head1 = (c: number) => head(c).replace('"users"', '"file_events_q"');
    assert.deepEqual(texts(applyResults(store, q, ev('/a', '/b'), T, events)), [
      `{${head1(1)},"columns":{"path":"/a"},"action":"added"}`,
      `{${head1(1)},"columns":{"path":"/b"},"action":"added"}`,
    ]);
    assert.equal(store.get('queries', 'file_events_q'), '[]');
    assert.deepEqual(applyResults(store, q, ev(), T, events).lines, []);
    // The same row again is logged again: no diff for events.
    assert.deepEqual(texts(applyResults(store, q, ev('/a'), T, batch)), [
      `{"diffResults":{"removed":[],"added":[{"path":"/a"}]},${head1(2)}}`,
    ]);
    assert.equal(applyResults(store, q, ev('/c'), T, { ...events, epoch: 1 }).counter, 1);
    // osquery's Query::getQueryCounter: a query whose first run returned nothing has
    // no stored counter, so its first rows later get stored counter "+1" from 0 = 0.
    const q2 = { ...q, name: 'process_events_q' };
    assert.deepEqual(applyResults(store, q2, ev(), T, events).lines, []);
    assert.equal(applyResults(store, q2, ev('/x'), T, events).counter, 0);
  });

  it('snapshot queries: no state, no escaping, counter 0', () => {
    const store = BackingStore.memory();
    const q = { ...users, name: 'mounts', snapshot: true };
    const r = applyResults(store, q, { columns: ['v'], rows: [['a\x01']] }, T, batch);
    assert.deepEqual(texts(r), [
      `{"snapshot":[{"v":"a\\u0001"}],"action":"snapshot",${head(0).replace('"users"', '"mounts"')}}`,
    ]);
    assert.equal(r.lines[0]?.kind, 'snapshot');
    assert.equal(applyResults(store, q, { columns: ['v'], rows: [['a\x01']] }, T, batch).lines.length, 1);
    assert.deepEqual(store.scan('queries'), []);
    assert.deepEqual(
      applyResults(store, q, { columns: ['v'], rows: [] }, T, { ...batch, snapshotEventFormat: true }).lines,
      [],
    );
  });

  it('decorations and host identifier from the options', () => {
    const store = BackingStore.memory();
    const r = applyResults(store, users, rs([0, 'root']), T, {
      ...events,
      hostIdentifier: 'web1',
      decorations: { b: '2', a: '1' },
    });
    assert.deepEqual(texts(r), [
      `{"name":"users","hostIdentifier":"web1","calendarTime":"${CAL}","unixTime":${T},"epoch":0,"counter":0,"numerics":false,"decorations":{"a":"1","b":"2"},"columns":{"uid":"0","username":"root"},"action":"added"}`,
    ]);
  });
});

describe('differential results and the outbox', () => {
  it('queues the lines for every logger in the same transaction', () => {
    const store = BackingStore.memory();
    const outbox = new Outbox(store);
    const opts = { ...events, outbox, loggers: ['filesystem', 'tls'] };
    applyResults(store, users, rs([0, 'root'], [1, 'x']), T, opts);
    applyResults(store, { ...users, name: 'mounts', snapshot: true }, rs([0, '/']), T, opts);
    const fs = outbox.pending('filesystem', 100);
    assert.deepEqual(
      fs.map((l) => l.kind),
      ['result', 'result', 'snapshot'],
    );
    assert.deepEqual(outbox.pending('tls', 100), fs);
  });

  it('a failure while queueing rolls the whole run back (rows, counter, epoch)', () => {
    const store = BackingStore.memory();
    const outbox = new Outbox(store);
    const opts = { ...batch, outbox, loggers: ['filesystem'] };
    applyResults(store, users, rs([0, 'root']), T, opts);
    const broken = {
      enqueue() {
        throw new Error('disk full');
      },
    } as unknown as Outbox;
    assert.throws(
      () => applyResults(store, users, rs([1, 'x']), T, { ...opts, outbox: broken }),
      /disk full/,
    );
    assert.equal(store.get('queries', 'users'), '[{"uid":0,"username":"root"}]');
    assert.equal(store.get('queries', 'userscounter'), '0');
    // The retry sees the same change again.
    const r = applyResults(store, users, rs([1, 'x']), T, opts);
    assert.equal(r.counter, 1);
    assert.equal(r.added, 1);
    assert.equal(r.removed, 1);
    assert.equal(outbox.pending('filesystem', 10).length, 2);
  });

  it('throws on unreadable stored rows (the daemon exits 78)', () => {
    const store = BackingStore.memory();
    store.put('queries', 'users', '{not json');
    store.put('queries', 'usersepoch', '0');
    assert.throws(() => applyResults(store, users, rs(), T, batch), /invalid JSON/);
  });
});
