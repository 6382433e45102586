// osquery's watcher (docs/daemon.md#the-watchdog): the daemon's first process only
// supervises. It runs the worker (the same program, OSQUERY_WORKER=<watcher pid>),
// samples its CPU and memory every 3 s from /proc, stops it when it stays over the
// limits, and restarts it with osquery's backoff. A worker stopped for a limit leaves
// `executing_query` in the store, so the next worker denylists that query.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { flags } from '../flags/index.js';
import { statusLog } from '../logger/status.js';

const CHECK_MS = 3000;
/** Signal that tells the worker it hit a limit (Node keeps SIGUSR1 for its inspector). */
export const LIMIT_SIGNAL = 'SIGUSR2';

interface Limits {
  memoryMb: number;
  cpuPercent: number;
  latencySeconds: number;
  respawnLimit: number;
  respawnDelay: number;
}

/** osquery's watchdog profiles, with the flag overrides applied. */
export function watchdogLimits(): Limits {
  const level = flags.watchdog_level;
  const base =
    level === 1
      ? { memoryMb: 100, cpuPercent: 5, latencySeconds: 6, respawnLimit: 4, respawnDelay: 5 }
      : level === -1
        ? { memoryMb: 10000, cpuPercent: 100, latencySeconds: 1000, respawnLimit: 1000, respawnDelay: 1 }
        : { memoryMb: 200, cpuPercent: 10, latencySeconds: 12, respawnLimit: 4, respawnDelay: 5 };
  if (flags.watchdog_memory_limit > 0) base.memoryMb = flags.watchdog_memory_limit;
  if (flags.watchdog_utilization_limit > 0) base.cpuPercent = flags.watchdog_utilization_limit;
  if (flags.watchdog_latency_limit > 0) base.latencySeconds = flags.watchdog_latency_limit;
  return base;
}

const CLK_TCK = 100; // Linux's USER_HZ on every architecture Node supports

/** CPU time (ms) and resident size (bytes) of a process, from /proc. */
export function sampleProcess(pid: number): { cpuMs: number; rssBytes: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return { cpuMs: (ticks * 1000) / CLK_TCK, rssBytes: Number(rss?.[1] ?? 0) * 1024 };
  } catch {
    return null;
  }
}

export class Watchdog {
  private worker: ChildProcess | undefined;
  private stopping = false;
  private restarts = 0;
  private lastStart = 0;
  private exitCode = 0;
  private finished: () => void = () => {};

  constructor(
    private readonly entry: string,
    private readonly argv: string[],
  ) {}

  /** Run workers until stop() or too many restarts; resolves to the exit code. */
  run(): Promise<number> {
    return new Promise((resolve) => {
      this.finished = () => resolve(this.exitCode);
      this.start();
    });
  }

  private start(): void {
    this.lastStart = Date.now();
    const child = spawn(process.execPath, [this.entry, ...this.argv], {
      env: { ...process.env, OSQUERY_WORKER: String(process.pid) },
      stdio: 'inherit',
    });
    this.worker = child;
    const limits = watchdogLimits();
    const hwThreads = Math.max(1, cpus().length);
    let firstRss: number | undefined;
    let lastCpu: number | undefined;
    let overCpu = 0;
    const timer = setInterval(() => {
      const pid = child.pid;
      if (pid === undefined) return;
      const s = sampleProcess(pid);
      if (!s) return;
      firstRss ??= s.rssBytes;
      const cpuDelta = lastCpu === undefined ? 0 : s.cpuMs - lastCpu;
      lastCpu = s.cpuMs;
      if (flags.enable_watchdog_debug) {
        statusLog.info(
          `osqd worker (${pid}) used ${cpuDelta} ms CPU and ${Math.round(s.rssBytes / 1048576)} MiB`,
        );
      }
      if (Date.now() - this.lastStart < flags.watchdog_delay * 1000) return;
      // CPU: over the limit for `latency` seconds in a row. Memory: growth over the first sample.
      overCpu = cpuDelta > (limits.cpuPercent * CHECK_MS * hwThreads) / 100 ? overCpu + 1 : 0;
      const memOver = s.rssBytes - firstRss > limits.memoryMb * 1024 * 1024;
      if (memOver || overCpu * (CHECK_MS / 1000) >= limits.latencySeconds) {
        statusLog.warning(
          memOver
            ? `osqd worker (${pid}) system performance limits exceeded: memory ${Math.round(s.rssBytes / 1048576)} MiB`
            : `osqd worker (${pid}) system performance limits exceeded: CPU over ${limits.cpuPercent}% for ${limits.latencySeconds} s`,
        );
        clearInterval(timer);
        this.stopWorker(child, true);
      }
    }, CHECK_MS);
    timer.unref();
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      this.worker = undefined;
      if (this.stopping) {
        this.finished();
        return;
      }
      if (code === 78) {
        statusLog.error('osqd worker failed catastrophically (exit 78): stopping');
        this.exitCode = 78;
        this.finished();
        return;
      }
      statusLog.warning(`osqd worker (${child.pid}) exited (${code ?? signal}): restarting`);
      this.respawn(limits);
    });
  }

  private respawn(limits: Limits): void {
    if (Date.now() - this.lastStart < 4000) this.restarts++;
    else this.restarts = 0;
    if (this.restarts >= limits.respawnLimit) {
      statusLog.error('osqd worker respawning too quickly: Too many worker restarts');
      this.exitCode = 1;
      this.finished();
      return;
    }
    const delay =
      this.restarts > 0 ? Math.min(flags.watchdog_max_delay, limits.respawnDelay + 2 ** this.restarts) : 0;
    setTimeout(() => this.start(), delay * 1000);
  }

  /** Graceful, then forced: osquery's SIGUSR1/SIGTERM/SIGKILL sequence. */
  private stopWorker(child: ChildProcess, limitHit: boolean): void {
    child.kill(limitHit ? LIMIT_SIGNAL : 'SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), flags.watchdog_forced_shutdown_delay * 1000);
    t.unref();
    child.once('exit', () => clearTimeout(t));
  }

  /** Forward a signal to the worker (SIGHUP reloads its config). */
  forward(signal: NodeJS.Signals): void {
    this.worker?.kill(signal);
  }

  stop(): void {
    this.stopping = true;
    if (this.worker) this.stopWorker(this.worker, false);
    else this.finished();
  }
}
