// The scheduler (core/src/scheduler/scheduler.ts) with a clock the test controls: splay
// bounds and persistence, which ticks run which query, startup_priority, denylisting,
// drift and its forgiveness, --schedule_timeout and stop(). Expected ticks and sleeps are
// worked out by hand from osquery's rules (docs/daemon.md#the-scheduler), not taken from
// the code. One test uses the real clock, to show stop() cuts a sleep short.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScheduledQuery } from '@osq/core/config/packs';
import {
  Scheduler,
  type SchedulerClock,
  type SchedulerHooks,
  type SchedulerStore,
  splayInterval,
} from '@osq/core/scheduler/scheduler';

/** A clock whose time moves only when the scheduler sleeps or a query "takes" time. */
class FakeClock implements SchedulerClock {
  readonly sleeps: number[] = [];
  onSleep: () => void = () => {};
  constructor(public ms: number) {}
  now(): number {
    return this.ms;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.ms += ms;
    this.onSleep();
  }
}

class MapStore implements SchedulerStore {
  readonly map = new Map<string, string>();
  get(key: string): string | undefined {
    return this.map.get(key);
  }
  put(key: string, value: string): void {
    this.map.set(key, value);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
}

function query(name: string, interval: number, extra: Partial<ScheduledQuery> = {}): ScheduledQuery {
  return {
    name,
    scheduledName: name,
    pack: 'main',
    source: '/etc/osquery/osquery.conf',
    query: `SELECT '${name}'`,
    interval,
    snapshot: false,
    removed: true,
    denylist: true,
    oncall: 'unknown',
    ...extra,
  };
}

/** 2001-09-09T01:46:30Z: a multiple of 2, 3 and 5, so those intervals all run at tick +0. */
const START_S = 999_999_990;

interface Harness {
  scheduler: Scheduler;
  clock: FakeClock;
  store: MapStore;
  /** [tick, query name] for every execution, in order. */
  runs: [number, string][];
  ticks: number[];
  /** The fake clock (ms after the start) when each tick began. */
  tickTimes: number[];
  logs: string[];
}

/**
 * A scheduler over `queries` that stops itself in the sleep after `lastTick` ran. `cost`
 * says how many ms a query's execution takes on the fake clock.
 */
function harness(
  queries: ScheduledQuery[],
  opts: {
    lastTick?: number;
    cost?: (name: string, tick: number) => number;
    denylisted?: (name: string) => boolean;
    fail?: (name: string) => boolean;
    splayPercent?: number;
    maxDriftSeconds?: number;
    timeoutSeconds?: number;
    startMs?: number;
  } = {},
): Harness {
  const clock = new FakeClock(opts.startMs ?? START_S * 1000);
  const store = new MapStore();
  // Splay fixed by the store, so tick arithmetic is exact: "<interval>:<interval>".
  for (const q of queries) store.put(`interval.${q.scheduledName}`, `${q.interval}:${q.interval}`);
  const runs: [number, string][] = [];
  const ticks: number[] = [];
  const tickTimes: number[] = [];
  const logs: string[] = [];
  let tick = 0;
  let scheduler: Scheduler | undefined;
  const hooks: SchedulerHooks = {
    execute: async (q) => {
      runs.push([tick, q.scheduledName]);
      clock.ms += opts.cost?.(q.scheduledName, tick) ?? 0;
      if (opts.fail?.(q.scheduledName)) throw new Error('no such table: nope');
      return 10;
    },
    denylisted: (q) => opts.denylisted?.(q.scheduledName) ?? false,
    onTick: (t) => {
      tick = t;
      ticks.push(t);
      tickTimes.push(clock.ms - (opts.startMs ?? START_S * 1000));
    },
    log: (level, message) => logs.push(`${level}: ${message}`),
  };
  scheduler = new Scheduler(store, hooks, {
    splayPercent: opts.splayPercent ?? 10,
    maxDriftSeconds: opts.maxDriftSeconds ?? 60,
    timeoutSeconds: opts.timeoutSeconds ?? 0,
    clock,
  });
  scheduler.setSchedule(queries);
  clock.onSleep = () => {
    if (opts.lastTick !== undefined && tick >= opts.lastTick) scheduler?.stop();
  };
  return { scheduler, clock, store, runs, ticks, tickTimes, logs };
}

const ticksOf = (h: Harness, name: string) => h.runs.filter(([, n]) => n === name).map(([t]) => t);

describe('splayInterval', () => {
  it('draws from [I - floor(I*p), I + floor(I*p)]: both ends reachable', () => {
    assert.equal(
      splayInterval(100, 10, () => 0),
      90,
    );
    assert.equal(
      splayInterval(100, 10, () => 0.999999),
      110,
    );
    assert.equal(
      splayInterval(10, 50, () => 0),
      5,
    );
    assert.equal(
      splayInterval(10, 50, () => 0.999999),
      15,
    );
    const seen = new Set<number>();
    for (let i = 0; i < 5000; i++) {
      const v = splayInterval(60, 10);
      assert.ok(Number.isInteger(v) && v >= 54 && v <= 66, `splayed ${v}`);
      seen.add(v);
    }
    assert.equal(seen.size, 13, 'every value 54..66 is drawn');
  });

  it('resets a splay of 1% or less to 10%, as osquery does (splay cannot be disabled)', () => {
    for (const p of [1, 0.5, 0, -5]) {
      assert.equal(
        splayInterval(100, p, () => 0),
        90,
        `percent ${p}`,
      );
      assert.equal(
        splayInterval(100, p, () => 0.999999),
        110,
        `percent ${p}`,
      );
    }
    assert.equal(
      splayInterval(100, 2, () => 0),
      98,
      'a splay of 2% is kept',
    );
  });

  it('never goes below 1 second, and small intervals have no room to splay', () => {
    assert.equal(
      splayInterval(1, 100, () => 0),
      1,
    );
    assert.equal(
      splayInterval(1, 100, () => 0.999999),
      2,
    );
    assert.equal(
      splayInterval(9, 10, () => 0),
      9,
    );
    assert.equal(
      splayInterval(9, 10, () => 0.999999),
      9,
    );
  });
});

describe('Scheduler: splayed intervals in the store', () => {
  it('draws once, stores "<interval>:<splayed>" as interval.<name>, and reuses it', () => {
    const store = new MapStore();
    const hooks: SchedulerHooks = { execute: async () => 0, denylisted: () => false, log: () => {} };
    const opts = { splayPercent: 10, maxDriftSeconds: 60, timeoutSeconds: 0 };
    const a = new Scheduler(store, hooks, { ...opts, random: () => 0 });
    const q = query('users', 100);
    a.setSchedule([q]);
    assert.equal(a.splayedInterval(q), 90);
    assert.equal(store.get('interval.users'), '100:90');
    // A later process (another random draw) keeps what the store holds.
    const b = new Scheduler(store, hooks, { ...opts, random: () => 0.999999 });
    b.setSchedule([q]);
    assert.equal(b.splayedInterval(q), 90);
    // A changed interval is drawn again.
    const changed = query('users', 200);
    b.setSchedule([changed]);
    assert.equal(b.splayedInterval(changed), 220);
    assert.equal(store.get('interval.users'), '200:220');
  });

  it('draws again when the stored value is unreadable', () => {
    const store = new MapStore();
    const hooks: SchedulerHooks = { execute: async () => 0, denylisted: () => false, log: () => {} };
    for (const garbage of ['100:', '100:abc', '100:0', '100:-3', 'x']) {
      store.put('interval.q', garbage);
      const s = new Scheduler(store, hooks, {
        splayPercent: 10,
        maxDriftSeconds: 60,
        timeoutSeconds: 0,
        random: () => 0,
      });
      const q = query('q', 100);
      s.setSchedule([q]);
      assert.equal(s.splayedInterval(q), 90, garbage);
      assert.equal(store.get('interval.q'), '100:90');
    }
  });
});

describe('Scheduler: ticks', () => {
  it('runs each query on ticks where tick % splayed_interval == 0, one after another', async () => {
    const h = harness([query('two', 2), query('three', 3), query('five', 5)], { lastTick: START_S + 12 });
    await h.scheduler.run();
    const t = (n: number) => START_S + n;
    assert.deepEqual(
      h.ticks,
      Array.from({ length: 13 }, (_, i) => t(i)),
    );
    assert.deepEqual(ticksOf(h, 'two'), [0, 2, 4, 6, 8, 10, 12].map(t));
    assert.deepEqual(ticksOf(h, 'three'), [0, 3, 6, 9, 12].map(t));
    assert.deepEqual(ticksOf(h, 'five'), [0, 5, 10].map(t));
    // On a shared tick the queries run in schedule order.
    assert.deepEqual(
      h.runs.filter(([tick]) => tick === t(6)).map(([, n]) => n),
      ['two', 'three'],
    );
    assert.equal(h.scheduler.isRunning, false);
  });

  it('starts counting at the Unix time, so splay decides the phase', async () => {
    // Start at an odd second: an interval-2 query first runs one tick later.
    const h = harness([query('two', 2)], { startMs: (START_S + 1) * 1000 + 250, lastTick: START_S + 6 });
    await h.scheduler.run();
    assert.equal(h.ticks[0], START_S + 1);
    assert.deepEqual(ticksOf(h, 'two'), [START_S + 2, START_S + 4, START_S + 6]);
  });

  it('runs startup_priority queries in the first pass too', async () => {
    const h = harness([query('hourly', 3600, { startupPriority: 1 }), query('daily', 86400)], {
      startMs: (START_S + 7) * 1000,
      lastTick: START_S + 10,
    });
    await h.scheduler.run();
    assert.deepEqual(ticksOf(h, 'hourly'), [START_S + 7]);
    assert.deepEqual(ticksOf(h, 'daily'), []);
  });

  it('skips denylisted queries and keeps no statistics for them', async () => {
    const h = harness([query('ok', 1), query('bad', 1)], {
      lastTick: START_S + 3,
      denylisted: (n) => n === 'bad',
    });
    await h.scheduler.run();
    assert.equal(ticksOf(h, 'ok').length, 4);
    assert.deepEqual(ticksOf(h, 'bad'), []);
    assert.equal(h.scheduler.stats.get('bad')?.executions, 0);
  });

  it('logs a failing query with osquery text and goes on', async () => {
    const h = harness([query('broken', 1), query('fine', 1)], {
      lastTick: START_S + 1,
      fail: (n) => n === 'broken',
    });
    await h.scheduler.run();
    assert.deepEqual(h.logs, [
      'error: Error executing scheduled query broken: no such table: nope',
      'error: Error executing scheduled query broken: no such table: nope',
    ]);
    assert.equal(ticksOf(h, 'fine').length, 2);
    assert.equal(h.scheduler.stats.get('broken')?.executions, 2);
  });

  it('keeps statistics per query: executions, last run, output and wall time', async () => {
    const h = harness([query('q', 2)], { lastTick: START_S + 4, cost: () => 300 });
    await h.scheduler.run();
    const s = h.scheduler.stats.get('q');
    assert.ok(s);
    assert.equal(s.executions, 3);
    assert.equal(s.outputSize, 30);
    assert.equal(s.lastWallTimeMs, 300);
    assert.equal(s.wallTimeMs, 900);
    // The third run started at tick +4, i.e. 4 s after the start on this clock.
    assert.equal(s.lastExecuted, START_S + 4);
  });

  it('keeps the statistics of queries that stay in a new schedule', async () => {
    const h = harness([query('stays', 1), query('goes', 1)], { lastTick: START_S + 1 });
    await h.scheduler.run();
    h.scheduler.setSchedule([query('stays', 1), query('new', 1)]);
    assert.equal(h.scheduler.stats.get('stays')?.executions, 2);
    assert.equal(h.scheduler.stats.get('new')?.executions, 0);
    assert.deepEqual(
      h.scheduler.schedule.map((q) => q.scheduledName),
      ['stays', 'new'],
    );
  });
});

describe('Scheduler: one-second loops and drift', () => {
  it('sleeps the rest of each second', async () => {
    const h = harness([query('q', 1)], { lastTick: START_S + 3, cost: () => 300 });
    await h.scheduler.run();
    assert.deepEqual(h.clock.sleeps, [700, 700, 700, 700]);
    assert.deepEqual(h.tickTimes, [0, 1000, 2000, 3000]);
  });

  it('catches up an overrun by sleeping less in the next loops', async () => {
    // Tick +1 takes 2.5 s: 1.5 s of drift, made up over the next two loops (no sleep
    // after the overrun, then 0 ms, then 500 ms).
    const h = harness([query('q', 1)], {
      lastTick: START_S + 6,
      cost: (_n, tick) => (tick === START_S + 1 ? 2500 : 0),
    });
    await h.scheduler.run();
    assert.deepEqual(h.clock.sleeps, [1000, 0, 500, 1000, 1000, 1000]);
    // Back in step from tick +4 on.
    assert.deepEqual(h.tickTimes, [0, 1000, 3500, 3500, 4000, 5000, 6000]);
  });

  it('forgives drift beyond --schedule_max_drift instead of rushing ticks', async () => {
    // 3.5 s spent with a maximum drift of 1 s: the 2.5 s overrun is dropped.
    const h = harness([query('q', 1)], {
      lastTick: START_S + 4,
      maxDriftSeconds: 1,
      cost: (_n, tick) => (tick === START_S + 1 ? 3500 : 0),
    });
    await h.scheduler.run();
    assert.deepEqual(h.clock.sleeps, [1000, 1000, 1000, 1000]);
    // Every later tick stays 2.5 s late.
    assert.deepEqual(h.tickTimes, [0, 1000, 4500, 5500, 6500]);
  });

  it('stops by itself after --schedule_timeout seconds', async () => {
    const h = harness([query('q', 1)], { timeoutSeconds: 5 });
    await h.scheduler.run();
    assert.equal(h.ticks.length, 6, 'ticks +0 .. +5');
    assert.equal(h.ticks.at(-1), START_S + 5);
  });

  it('stop() cuts a sleep short on the real clock', async () => {
    const hooks: SchedulerHooks = { execute: async () => 0, denylisted: () => false, log: () => {} };
    const s = new Scheduler(new MapStore(), hooks, {
      splayPercent: 10,
      maxDriftSeconds: 60,
      timeoutSeconds: 0,
    });
    s.setSchedule([]);
    const done = s.run();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(s.isRunning, true);
    const t0 = Date.now();
    s.stop();
    await done;
    assert.ok(Date.now() - t0 < 500, `stopped in ${Date.now() - t0} ms`);
    assert.equal(s.isRunning, false);
  });
});
