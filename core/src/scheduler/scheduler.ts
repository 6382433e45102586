// The scheduler, as osquery's (docs/daemon.md#the-scheduler): a tick counter that starts
// at the Unix time and advances once a second; each query runs on ticks where
// `tick % splayed_interval == 0` (and on the first pass with startup_priority); queries
// run one after another. The splayed interval is drawn once per interval value and
// kept in the store as `interval.<name>` = "<interval>:<splayed>".
import type { ScheduledQuery } from '../config/packs.js';

/** What the scheduler keeps between runs (the backing store's configurations domain). */
export interface SchedulerStore {
  get(key: string): string | undefined;
  put(key: string, value: string): void;
  delete(key: string): void;
}

/** Per-query statistics for osquery_schedule. */
export interface QueryStats {
  executions: number;
  lastExecuted: number;
  outputSize: number;
  wallTimeMs: number;
  lastWallTimeMs: number;
  userTime: number;
  lastUserTime: number;
  systemTime: number;
  lastSystemTime: number;
  averageMemory: number;
  lastMemory: number;
}

export interface SchedulerHooks {
  /** Run one scheduled query and hand its results on; resolves to the bytes logged. */
  execute(query: ScheduledQuery): Promise<number>;
  /** Whether the query is denylisted right now. */
  denylisted(query: ScheduledQuery): boolean;
  /** Called every tick before queries (interval decorators, status relay, ...). */
  onTick?(tick: number): Promise<void> | void;
  /** Status messages. */
  log(level: 'info' | 'warning' | 'error', message: string): void;
}

export interface SchedulerOptions {
  splayPercent: number;
  maxDriftSeconds: number;
  /** Stop after this many seconds (--schedule_timeout; 0 = never). */
  timeoutSeconds: number;
  /** Time and sleeping (default: the system clock); tests pass one they control. */
  clock?: SchedulerClock;
  /** Uniform in [0, 1) for the splay (default Math.random). */
  random?: () => number;
}

/** What the scheduler needs of time. */
export interface SchedulerClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const systemClock: SchedulerClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
    }),
};

/** A uniform integer in [max(1, I - floor(I*p)), I + floor(I*p)]. */
export function splayInterval(interval: number, percent: number, random = Math.random): number {
  // osquery resets a splay of 1% or less to 10%: splay cannot be disabled.
  const p = (percent <= 1 ? 10 : percent) / 100;
  const d = Math.floor(interval * p);
  const lo = Math.max(1, interval - d);
  const hi = interval + d;
  return lo + Math.floor(random() * (hi - lo + 1));
}

export function emptyStats(): QueryStats {
  return {
    executions: 0,
    lastExecuted: 0,
    outputSize: 0,
    wallTimeMs: 0,
    lastWallTimeMs: 0,
    userTime: 0,
    lastUserTime: 0,
    systemTime: 0,
    lastSystemTime: 0,
    averageMemory: 0,
    lastMemory: 0,
  };
}

export class Scheduler {
  private queries: ScheduledQuery[] = [];
  private readonly splayed = new Map<string, number>();
  readonly stats = new Map<string, QueryStats>();
  private running = false;
  private stopRequested = false;
  private readonly stopped = new AbortController();
  private firstPass = true;
  private readonly clock: SchedulerClock;

  constructor(
    private readonly store: SchedulerStore,
    private readonly hooks: SchedulerHooks,
    private readonly opts: SchedulerOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
  }

  /** Replace the schedule (a config refresh). Statistics of queries that stay are kept. */
  setSchedule(queries: ScheduledQuery[]): void {
    this.queries = queries;
    this.splayed.clear();
    for (const q of queries)
      if (!this.stats.has(q.scheduledName)) this.stats.set(q.scheduledName, emptyStats());
  }

  get schedule(): readonly ScheduledQuery[] {
    return this.queries;
  }

  /** The splayed interval of a query, drawn once per interval value and persisted. */
  splayedInterval(q: ScheduledQuery): number {
    const cached = this.splayed.get(q.scheduledName);
    if (cached !== undefined) return cached;
    const key = `interval.${q.scheduledName}`;
    const [stored, value] = (this.store.get(key) ?? '').split(':');
    let splayed = Number(value);
    if (Number(stored) !== q.interval || !Number.isInteger(splayed) || splayed < 1) {
      splayed = splayInterval(q.interval, this.opts.splayPercent, this.opts.random);
      this.store.put(key, `${q.interval}:${splayed}`);
    }
    this.splayed.set(q.scheduledName, splayed);
    return splayed;
  }

  /** Run the loop until stop(). */
  async run(): Promise<void> {
    this.running = true;
    const started = Math.floor(this.clock.now() / 1000);
    let tick = started;
    let drift = 0;
    while (!this.stopRequested) {
      const loopStart = this.clock.now();
      await this.hooks.onTick?.(tick);
      for (const q of this.queries) {
        if (this.stopRequested) break;
        const due =
          tick % this.splayedInterval(q) === 0 || (this.firstPass && q.startupPriority !== undefined);
        if (!due) continue;
        if (this.hooks.denylisted(q)) continue;
        await this.runOne(q);
      }
      this.firstPass = false;
      if (this.opts.timeoutSeconds > 0 && tick - started >= this.opts.timeoutSeconds) break;
      // Sleep the rest of the second; overruns accumulate as drift up to the maximum.
      const spent = this.clock.now() - loopStart;
      if (spent < 1000) {
        const catchUp = Math.min(drift, 1000 - spent);
        drift -= catchUp;
        await this.clock.sleep(1000 - spent - catchUp, this.stopped.signal);
      } else {
        drift += spent - 1000;
        if (drift > this.opts.maxDriftSeconds * 1000) drift = 0;
      }
      tick++;
    }
    this.running = false;
  }

  private async runOne(q: ScheduledQuery): Promise<void> {
    const s = this.stats.get(q.scheduledName) ?? emptyStats();
    this.stats.set(q.scheduledName, s);
    const t0 = this.clock.now();
    const cpu0 = process.cpuUsage();
    try {
      s.outputSize += await this.hooks.execute(q);
    } catch (e) {
      this.hooks.log('error', `Error executing scheduled query ${q.scheduledName}: ${(e as Error).message}`);
    }
    const cpu = process.cpuUsage(cpu0);
    s.executions++;
    const t1 = this.clock.now();
    s.lastExecuted = Math.floor(t1 / 1000);
    s.lastWallTimeMs = t1 - t0;
    s.wallTimeMs += s.lastWallTimeMs;
    s.lastUserTime = Math.round(cpu.user / 1000);
    s.userTime += s.lastUserTime;
    s.lastSystemTime = Math.round(cpu.system / 1000);
    s.systemTime += s.lastSystemTime;
    s.lastMemory = process.memoryUsage().rss;
    s.averageMemory = Math.round((s.averageMemory * (s.executions - 1) + s.lastMemory) / s.executions);
  }

  /** Stop after the query that is running, if any. */
  stop(): void {
    this.stopRequested = true;
    this.stopped.abort();
  }

  get isRunning(): boolean {
    return this.running;
  }
}
