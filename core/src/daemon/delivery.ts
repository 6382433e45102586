// Hands queued result lines from the outbox to each logger, oldest first, and acks
// them once the logger has taken them. A logger that fails keeps its lines and is
// retried with exponential backoff (osq departs from osquery on purpose here:
// osqueryd exits when a result log fails; osqd keeps the lines and retries, so a slow
// or dead logger loses nothing). Each logger drains independently, so a slow one
// never holds the others back.
import type { LoggerPlugin } from '../logger/plugin.js';
import type { Outbox } from '../results/outbox.js';

const BATCH_LINES = 500;
const BATCH_BYTES = 4 * 1024 * 1024;
const IN_FLIGHT = 64;
const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 30_000;

class Lane {
  private busy = false;
  private backoffMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(
    private readonly outbox: Outbox,
    readonly plugin: LoggerPlugin,
    private readonly warn: (m: string) => void,
  ) {}

  /** Deliver everything pending now (unless waiting out a backoff). */
  kick(): void {
    if (this.busy || this.timer) return;
    void this.drain();
  }

  private async drain(): Promise<void> {
    this.busy = true;
    try {
      for (;;) {
        const batch = this.outbox.pending(this.plugin.name, BATCH_LINES, BATCH_BYTES);
        if (batch.length === 0) break;
        // Up to IN_FLIGHT lines at once: loggers keep the order of calls, and a remote
        // logger (an extension) would otherwise cost a round trip per line.
        const done: number[] = [];
        let failure: unknown;
        let next = 0;
        const worker = async () => {
          while (failure === undefined && next < batch.length) {
            const line = batch[next++] as (typeof batch)[number];
            try {
              if (line.kind === 'snapshot') await this.plugin.logSnapshot(line.text);
              else await this.plugin.logResult(line.text);
              done.push(line.id);
            } catch (e) {
              failure ??= e;
            }
          }
        };
        await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, batch.length) }, worker));
        // Ack what went through even when another line of the batch failed.
        this.outbox.ack(this.plugin.name, done);
        if (failure !== undefined) throw failure;
        this.backoffMs = 0;
        if (this.failures > 0) this.warn(`Logger ${this.plugin.name} is delivering again`);
        this.failures = 0;
      }
    } catch (e) {
      this.failures++;
      this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs ? this.backoffMs * 2 : MIN_BACKOFF_MS);
      if (this.failures === 1 || this.failures % 10 === 0) {
        this.warn(
          `Logger ${this.plugin.name} failed (${(e as Error).message}); lines stay queued, retrying in ${this.backoffMs} ms`,
        );
      }
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.kick();
      }, this.backoffMs);
      this.timer.unref();
    } finally {
      this.busy = false;
    }
  }

  /** Resolve when nothing is pending for this logger, or `deadline` passes. */
  async settle(deadline: number): Promise<boolean> {
    while (Date.now() < deadline) {
      if (!this.busy && this.outbox.pending(this.plugin.name, 1).length === 0) return true;
      if (!this.busy && !this.timer) this.kick();
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

export class Delivery {
  private readonly lanes: Lane[];

  constructor(outbox: Outbox, plugins: LoggerPlugin[], warn: (m: string) => void) {
    this.lanes = plugins.map((p) => new Lane(outbox, p, warn));
  }

  /** New lines were queued: start delivering. */
  kick(): void {
    for (const l of this.lanes) l.kick();
  }

  /** On shutdown: try to deliver what is queued until the deadline; the rest stays queued. */
  async flush(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const done = await Promise.all(this.lanes.map((l) => l.settle(deadline)));
    for (const l of this.lanes) l.stop();
    return done.every(Boolean);
  }
}
