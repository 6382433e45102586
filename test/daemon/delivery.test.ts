// osqd's delivery of outbox lines to a real filesystem logger: lines queued while an
// earlier one is being written all arrive, in order, and are acknowledged.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Delivery } from '@osq/core/daemon/delivery';
import { BackingStore } from '@osq/core/database/store';
import { FilesystemLogger } from '@osq/core/logger/filesystem';
import { Outbox } from '@osq/core/results/outbox';
import { until } from '../helpers/wait.ts';

describe('delivery', () => {
  it('delivers lines queued while the previous one is being written (no stall)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'osq-delivery-'));
    const logger = new FilesystemLogger({
      path: dir,
      mode: 0o640,
      rotate: false,
      rotateSize: 0,
      rotateMaxFiles: 25,
    });
    await logger.init('osqueryd');
    const outbox = new Outbox(BackingStore.memory());
    const delivery = new Delivery(outbox, [logger], (m) => assert.fail(m));
    // Two scheduled queries in one tick queue a line each, kicking delivery each time.
    for (let tick = 0; tick < 5; tick++) {
      outbox.enqueue([{ kind: 'snapshot', text: `a${tick}` }], ['filesystem']);
      delivery.kick();
      outbox.enqueue([{ kind: 'snapshot', text: `b${tick}` }], ['filesystem']);
      delivery.kick();
      await new Promise((r) => setTimeout(r, 20));
    }
    await until('every line acknowledged', () => outbox.pending('filesystem', 100).length === 0, 5000);
    const lines = readFileSync(join(dir, 'osqueryd.snapshots.log'), 'utf8').split('\n').filter(Boolean);
    assert.deepEqual(lines, ['a0', 'b0', 'a1', 'b1', 'a2', 'b2', 'a3', 'b3', 'a4', 'b4']);
    await logger.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
