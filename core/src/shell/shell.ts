// One shell session: the engine, the output settings, and running SQL the way
// osqueryi does (each statement of a chunk in turn, pretty/JSON output gathered
// into one table per chunk, stop at the first failing statement).

import { splitStatements } from '../engine/statements.js';
import type { SqlEngine } from '../engine/types.js';
import {
  formatBatch,
  formatRows,
  PrettyBatch,
  type PrintSettings,
  type RealToText,
  toTextResult,
} from './printer.js';

export interface ShellIO {
  /** Results (stdout, or the --output file). */
  out(text: string): void;
  /** Errors and help (stderr). */
  err(text: string): void;
}

export interface ShellOptions {
  interactive: boolean;
  realText: RealToText;
}

export class Shell {
  echo = false;
  bail = false;
  timer = false;

  /** Set by `.connect`: queries go to another osquery's extension socket. */
  private remote: { socket: string; engine: SqlEngine } | undefined;

  constructor(
    private readonly local: SqlEngine,
    readonly io: ShellIO,
    readonly settings: PrintSettings,
    readonly options: ShellOptions,
  ) {}

  /** The engine statements go to: the remote one while connected, else this process's. */
  get engine(): SqlEngine {
    return this.remote?.engine ?? this.local;
  }

  /** The socket of the `.connect` session, if any. */
  get connectedTo(): string | undefined {
    return this.remote?.socket;
  }

  async connect(socket: string, engine: SqlEngine): Promise<void> {
    await this.disconnect();
    this.remote = { socket, engine };
  }

  /** Leave the `.connect` session; false when there was none. */
  async disconnect(): Promise<boolean> {
    const r = this.remote;
    this.remote = undefined;
    if (r) await r.engine.close();
    return r !== undefined;
  }

  get interactive(): boolean {
    return this.options.interactive;
  }

  /**
   * Run a chunk of SQL (one or more statements). Prints results; returns the
   * error message of the statement that failed, or null.
   */
  async runSql(chunk: string): Promise<string | null> {
    const started = this.timer ? startTimer() : null;
    const pretty = this.settings.mode === 'pretty';
    const batch = new PrettyBatch();
    let error: string | null = null;
    for (const stmt of splitStatements(chunk)) {
      if (this.echo) this.io.out(`${stmt}\n`);
      try {
        const res = toTextResult(await this.engine.query(stmt), this.options.realText);
        if (pretty) batch.add(res, this.settings.nullvalue);
        else this.io.out(formatRows(res, this.settings));
      } catch (e) {
        error = errorMessage(e);
        break;
      }
    }
    if (pretty) this.io.out(formatBatch(batch, this.settings));
    if (started) this.io.out(stopTimer(started));
    return error;
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

interface TimerStart {
  wall: bigint;
  cpu: NodeJS.CpuUsage;
}

function startTimer(): TimerStart {
  return { wall: process.hrtime.bigint(), cpu: process.cpuUsage() };
}

/** `.timer on` output, in sqlite's words and precision. */
function stopTimer(t: TimerStart): string {
  const real = Number(process.hrtime.bigint() - t.wall) / 1e9;
  const cpu = process.cpuUsage(t.cpu);
  return `Run Time: real ${real.toFixed(3)} user ${(cpu.user / 1e6).toFixed(6)} sys ${(cpu.system / 1e6).toFixed(6)}\n`;
}
