// The durable outbox: per-logger delivery, acks, the --buffered_log_max bound and
// persistence across reopening the store.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BackingStore } from '../../core/src/database/store.ts';
import { Outbox, type OutboxLine } from '../../core/src/results/outbox.ts';

const r = (text: string): OutboxLine => ({ kind: 'result', text });

describe('outbox', () => {
  it('hands lines to each logger oldest first, limited by count and bytes', () => {
    const outbox = new Outbox(BackingStore.memory());
    outbox.enqueue([r('one'), r('two')], ['fs', 'tls']);
    outbox.enqueue([{ kind: 'status', text: 'three' }], ['tls']);
    assert.deepEqual(
      outbox.pending('tls', 10).map((l) => [l.kind, l.text]),
      [
        ['result', 'one'],
        ['result', 'two'],
        ['status', 'three'],
      ],
    );
    assert.deepEqual(
      outbox.pending('fs', 10).map((l) => l.text),
      ['one', 'two'],
    );
    assert.deepEqual(
      outbox.pending('tls', 2).map((l) => l.text),
      ['one', 'two'],
    );
    // 3 + 3 bytes fit in 6, the third line would not.
    assert.deepEqual(
      outbox.pending('tls', 10, 6).map((l) => l.text),
      ['one', 'two'],
    );
    // The first line is always handed out, even when larger than maxBytes.
    assert.deepEqual(
      outbox.pending('tls', 10, 1).map((l) => l.text),
      ['one'],
    );
    assert.deepEqual(outbox.pending('nobody', 10), []);
  });

  it('deletes a line once every logger it was queued for acked it', () => {
    const store = BackingStore.memory();
    const outbox = new Outbox(store);
    const { ids } = outbox.enqueue([r('a'), r('é€')], ['fs', 'tls']);
    assert.equal(outbox.size(), 2);
    assert.deepEqual(outbox.stats(), [
      { logger: 'fs', lines: 2, bytes: 6 },
      { logger: 'tls', lines: 2, bytes: 6 },
    ]);
    outbox.ack('fs', ids);
    outbox.ack('fs', ids); // a repeated ack changes nothing
    outbox.ack('tls', [999]); // unknown ids are ignored
    assert.deepEqual(outbox.pending('fs', 10), []);
    assert.equal(outbox.pending('tls', 10).length, 2);
    assert.equal(outbox.size(), 2);
    assert.deepEqual(outbox.stats(), [
      { logger: 'fs', lines: 0, bytes: 0 },
      { logger: 'tls', lines: 2, bytes: 6 },
    ]);
    outbox.ack('tls', [ids[0] as number]);
    assert.equal(outbox.size(), 1);
    outbox.ack('tls', [ids[1] as number]);
    assert.equal(outbox.size(), 0);
    assert.equal(store.db.prepare('SELECT count(*) FROM outbox_lines').pluck().get(), 0);
  });

  it('drops the oldest lines beyond maxLines and says how many', () => {
    const outbox = new Outbox(BackingStore.memory(), { maxLines: 3 });
    assert.equal(outbox.enqueue([r('1'), r('2')], ['fs', 'tls']).dropped, 0);
    outbox.ack(
      'fs',
      outbox.pending('fs', 1).map((l) => l.id),
    ); // fs has delivered line 1
    assert.equal(outbox.enqueue([r('3'), r('4'), r('5')], ['fs', 'tls']).dropped, 2);
    assert.equal(outbox.size(), 3);
    assert.deepEqual(
      outbox.pending('tls', 10).map((l) => l.text),
      ['3', '4', '5'],
    );
    assert.deepEqual(
      outbox.pending('fs', 10).map((l) => l.text),
      ['3', '4', '5'],
    );
    assert.deepEqual(outbox.stats(), [
      { logger: 'fs', lines: 3, bytes: 3 },
      { logger: 'tls', lines: 3, bytes: 3 },
    ]);
    const unlimited = new Outbox(BackingStore.memory(), { maxLines: 0 });
    for (let i = 0; i < 5; i++) assert.equal(unlimited.enqueue([r(`${i}`)], ['fs']).dropped, 0);
    assert.equal(unlimited.size(), 5);
  });

  it('defaults to osquery’s --buffered_log_max of 1 000 000', () => {
    assert.equal(new Outbox(BackingStore.memory()).maxLines, 1_000_000);
  });

  it('queues nothing when the surrounding transaction rolls back', () => {
    const store = BackingStore.memory();
    const outbox = new Outbox(store);
    assert.throws(() =>
      store.transaction(() => {
        outbox.enqueue([r('x')], ['fs']);
        throw new Error('abort');
      }),
    );
    assert.equal(outbox.size(), 0);
    assert.deepEqual(outbox.pending('fs', 10), []);
    assert.deepEqual(outbox.stats(), []);
  });

  it('keeps lines and increasing ids across reopening the store', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'osq-outbox-'));
    try {
      let store = BackingStore.open(dir);
      let outbox = new Outbox(store);
      const first = outbox.enqueue([r('a'), r('b')], ['fs']).ids;
      outbox.ack('fs', [first[0] as number]);
      store.close();
      store = BackingStore.open(dir);
      outbox = new Outbox(store);
      assert.deepEqual(
        outbox.pending('fs', 10).map((l) => [l.id, l.text]),
        [[first[1], 'b']],
      );
      outbox.ack('fs', [first[1] as number]);
      // Ids are never reused, even after the queue emptied.
      const next = outbox.enqueue([r('c')], ['fs']).ids[0] as number;
      assert.ok(next > (first[1] as number));
      store.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
