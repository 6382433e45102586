// The real osqd binary: two snapshot queries with intervals of 2 and 3 seconds (too short
// to splay: floor(I * 10%) is 0) run on the ticks their intervals say, and the daemon
// keeps each splayed interval in its backing store as osquery does
// (docs/daemon.md#the-scheduler).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BackingStore } from '@osq/core/database/store';
import { DaemonDir, sleep, stopDaemon } from '../daemon/helpers.ts';

/** The middle value: robust to one late tick on a loaded machine. */
function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

describe('osqd scheduler', () => {
  it('spaces each query by its interval and stores "<interval>:<splayed>"', async () => {
    const d = new DaemonDir();
    d.writeConfig({
      schedule: {
        every2: { query: 'SELECT 2 AS n', interval: 2, snapshot: true },
        every3: { query: 'SELECT 3 AS n', interval: 3, snapshot: true },
      },
    });
    const p = d.start(['--disable_watchdog', '--disable_extensions']);
    try {
      await sleep(10_000);
    } finally {
      assert.equal(await stopDaemon(p), 0, p.output());
    }
    const lines = d.lines('osqueryd.snapshots.log');
    const times = (name: string) => lines.filter((l) => l.name === name).map((l) => Number(l.unixTime));
    const gaps = (t: number[]) => t.slice(1).map((v, i) => v - (t[i] as number));
    const two = times('every2');
    const three = times('every3');
    assert.ok(two.length >= 3, `every2 ran ${two.length} times: ${p.output()}`);
    assert.ok(three.length >= 2, `every3 ran ${three.length} times`);
    assert.ok(two.length > three.length, `every2 ${two.length} runs, every3 ${three.length}`);
    assert.equal(median(gaps(two)), 2, `every2 at ${two}`);
    assert.equal(median(gaps(three)), 3, `every3 at ${three}`);
    for (const g of [...gaps(two), ...gaps(three)])
      assert.ok(g >= 1, `two runs in one second: ${two} / ${three}`);

    const store = BackingStore.open(d.db);
    try {
      assert.equal(store.get('configurations', 'interval.every2'), '2:2');
      assert.equal(store.get('configurations', 'interval.every3'), '3:3');
    } finally {
      store.close();
    }
  });
});
