// Status logs: osquery's glog messages (docs/results-and-logging.md#status-logs), written through pino.
//
// Usage anywhere in the daemon:
//   import { statusLog } from '../logger/status.js';
//   statusLog.info('Executing scheduled query x: ...');             // file:line of the caller
//   statusLog.warning('Cannot set unknown flag', { file: 'options.ts', line: 42 });
//   statusLog.verbose('...');                                        // VLOG(1): only with --verbose
//
// Where a message goes follows osquery's glog settings (logger.cpp `setVerboseLevel`):
// - below the minimum level (--logger_min_status; osqueryi: WARNING unless set; --verbose: INFO)
//   it is dropped everywhere;
// - until a logger claims the files (filesystem logger `init` → useFiles) every message goes to
//   stderr only (glog's logtostderr);
// - afterwards it goes to the glog files in --logger_path, and to stderr when its severity is
//   >= --logger_min_stderr or --verbose is on; --logger_stderr=false keeps stderr for FATAL;
// - every kept message is also buffered for logger plugins that want status logs; the daemon
//   drains the buffer every 3 scheduler ticks with relayStatusLogs().
//
// The pino logger is the entry point: its level implements the minimum level and its
// destination formats glog text and fans out to files, stderr and the plugin buffer.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { flags, isFlagSet } from '../flags/index.js';
import { formatGlogLine } from './glog.js';
import { GlogFiles } from './glog-files.js';
import type { LoggerPlugin, ProcessName, Severity, StatusRecord } from './plugin.js';

/** Where a message comes from; defaults to the caller's file basename and line. */
export interface SourceLocation {
  file?: string;
  line?: number;
}

/** osquery's verbosity flags, as configure() reads them. */
export interface StatusLevels {
  verbose: boolean;
  /** --logger_min_status */
  minStatus: number;
  /** Whether --logger_min_status was left at its default (osqueryi then uses WARNING). */
  minStatusDefault: boolean;
  /** --logger_min_stderr */
  minStderr: number;
  /** --logger_stderr */
  stderr: boolean;
  processName: ProcessName;
}

export interface StatusLoggerOptions {
  /** Clock in ms since the epoch, fraction = microseconds (tests inject a fixed one). */
  now?: () => number;
  /** Thread id printed in glog lines (default: the process id, the main thread's tid on Linux). */
  threadId?: number;
  /** Process id used in glog file names. */
  pid?: number;
  hostname?: string;
  processStartMs?: number;
  /** Where stderr text goes (default: fd 2, synchronously). */
  stderr?: (text: string) => void;
  /** Most records kept for plugins between two drains; the oldest are dropped beyond it. */
  bufferLimit?: number;
}

const PINO_METHOD = ['info', 'warn', 'error', 'fatal'] as const;
const PINO_LEVEL_FOR_MIN: readonly pino.Level[] = ['info', 'warn', 'error', 'fatal'];

/** What pino hands to the destination (our fields plus pino's own). */
interface PinoEntry {
  s: Severity;
  f: string;
  i: number;
  t: number;
  msg: string;
}

function defaultNow(): number {
  return performance.timeOrigin + performance.now();
}

const THIS_FILE = (() => {
  try {
    return path.basename(fileURLToPath(import.meta.url)).replace(/\.[jt]s$/, '');
  } catch {
    return 'status';
  }
})();

/** The first stack frame outside this module: osquery logs the C++ file basename and line. */
function callerLocation(): { file: string; line: number } {
  const stack = new Error().stack?.split('\n').slice(1) ?? [];
  for (const frame of stack) {
    const m = /(?:\(|at )(?:file:\/\/)?([^()\s]+):(\d+):\d+\)?$/.exec(frame.trim());
    if (!m) continue;
    const base = path.basename(m[1] ?? '');
    if (base.replace(/\.[jt]s$/, '') === THIS_FILE) continue;
    return { file: base, line: Number(m[2]) };
  }
  return { file: 'osqd', line: 0 };
}

export class StatusLogger {
  private readonly now: () => number;
  private readonly threadId: number;
  private readonly pid: number;
  private readonly hostname: string;
  private readonly processStartMs: number;
  private readonly writeStderr: (text: string) => void;
  private readonly bufferLimit: number;
  private readonly pino: pino.Logger;

  // glog's switches (osquery drives them through gflags).
  private minLevel = 0;
  private stderrThreshold = 3;
  private alsoToStderr = false;
  private toStderrOnly = true;
  private vlog = false;

  private files: GlogFiles | null = null;
  private buffer: StatusRecord[] = [];
  private buffering = true;

  constructor(opts: StatusLoggerOptions = {}) {
    this.now = opts.now ?? defaultNow;
    this.threadId = opts.threadId ?? process.pid;
    this.pid = opts.pid ?? process.pid;
    this.hostname = opts.hostname ?? os.hostname();
    this.processStartMs = opts.processStartMs ?? performance.timeOrigin;
    this.writeStderr =
      opts.stderr ??
      ((text) => {
        try {
          fs.writeSync(2, text);
        } catch {
          // stderr closed: nothing sensible to do.
        }
      });
    this.bufferLimit = opts.bufferLimit ?? 100_000;
    this.pino = pino(
      { base: null, timestamp: false, level: 'info' },
      { write: (json: string) => this.dispatch(JSON.parse(json) as PinoEntry) },
    );
  }

  info(message: string, at?: SourceLocation): void {
    this.log(0, message, at);
  }
  warning(message: string, at?: SourceLocation): void {
    this.log(1, message, at);
  }
  error(message: string, at?: SourceLocation): void {
    this.log(2, message, at);
  }
  /** FATAL is recorded like the others; the caller decides to exit. */
  fatal(message: string, at?: SourceLocation): void {
    this.log(3, message, at);
  }
  /** osquery's VLOG(1): an INFO line emitted only with --verbose. */
  verbose(message: string, at?: SourceLocation): void {
    if (!this.pino.isLevelEnabled('debug')) return;
    this.pino.debug(this.entry(0, at), message);
  }

  log(severity: Severity, message: string, at?: SourceLocation): void {
    const method = PINO_METHOD[severity];
    if (!this.pino.isLevelEnabled(method)) return;
    this.pino[method](this.entry(severity, at), message);
  }

  /**
   * Apply osquery's verbosity flags (default: read them from the flag store). Call after the
   * flags are parsed, and again when config options change them.
   */
  configure(levels: Partial<StatusLevels> = {}): void {
    const l: StatusLevels = {
      verbose: levels.verbose ?? flags.verbose,
      minStatus: levels.minStatus ?? flags.logger_min_status,
      minStatusDefault: levels.minStatusDefault ?? !isFlagSet('logger_min_status'),
      minStderr: levels.minStderr ?? flags.logger_min_stderr,
      stderr: levels.stderr ?? flags.logger_stderr,
      processName: levels.processName ?? 'osqueryd',
    };
    if (l.verbose) {
      this.minLevel = 0;
      this.alsoToStderr = true;
      this.vlog = true;
    } else {
      this.minLevel = l.minStatusDefault && l.processName === 'osqueryi' ? 1 : l.minStatus;
      this.stderrThreshold = l.minStderr;
      this.alsoToStderr = false;
      this.vlog = false;
    }
    if (!l.stderr) {
      this.stderrThreshold = 3;
      this.alsoToStderr = false;
    }
    this.pino.level = this.vlog ? 'debug' : (PINO_LEVEL_FOR_MIN[Math.max(0, this.minLevel)] ?? 'silent');
  }

  /**
   * Write status files in `dir` (the filesystem logger's init). When the directory is not
   * writable, status keeps going to stderr, as osquery does. Returns whether files are used.
   */
  useFiles(dir: string, processName: ProcessName): boolean {
    this.files?.close();
    this.files = null;
    try {
      fs.accessSync(dir, fs.constants.W_OK);
    } catch {
      this.toStderrOnly = true;
      return false;
    }
    this.files = new GlogFiles({
      dir,
      processName,
      pid: this.pid,
      hostname: this.hostname,
      processStartMs: this.processStartMs,
    });
    this.toStderrOnly = false;
    return true;
  }

  /** The stdout logger's init: glog stops writing to stderr. */
  stopStderr(): void {
    this.toStderrOnly = false;
    this.alsoToStderr = false;
    this.stderrThreshold = 5;
  }

  /** Keep records for plugins (on by default, so messages before logger init are relayed). */
  setBuffering(on: boolean): void {
    this.buffering = on;
    if (!on) this.buffer = [];
  }

  /** Take every record buffered since the last drain. */
  drain(): StatusRecord[] {
    const out = this.buffer;
    this.buffer = [];
    return out;
  }

  /** Close the status files (shutdown). */
  close(): void {
    this.files?.close();
    this.files = null;
  }

  private entry(severity: Severity, at?: SourceLocation): Omit<PinoEntry, 'msg'> {
    const where = at?.file !== undefined && at.line !== undefined ? null : callerLocation();
    return {
      s: severity,
      f: at?.file ?? where?.file ?? 'osqd',
      i: at?.line ?? where?.line ?? 0,
      t: this.now(),
    };
  }

  /** pino's destination: one parsed entry → buffer, glog files, stderr. */
  private dispatch(e: PinoEntry): void {
    const record: StatusRecord = { severity: e.s, file: e.f, line: e.i, message: e.msg, time: e.t };
    if (this.buffering) {
      this.buffer.push(record);
      if (this.buffer.length > this.bufferLimit) this.buffer.splice(0, this.buffer.length - this.bufferLimit);
    }
    const text = formatGlogLine(record, this.threadId);
    if (this.toStderrOnly) {
      this.writeStderr(text);
      return;
    }
    this.files?.write(record.severity, text, record.time);
    if (record.severity >= this.stderrThreshold || this.alsoToStderr) this.writeStderr(text);
  }
}

/** The process-wide status logger. */
export const statusLog = new StatusLogger();

/**
 * Hand buffered status records to every plugin that wants them (features().status), as the
 * daemon does every 3 scheduler ticks and other tools on each message. Failures are ignored:
 * osquery does not retry status logs.
 */
export async function relayStatusLogs(plugins: LoggerPlugin[], log: StatusLogger = statusLog): Promise<void> {
  const records = log.drain();
  if (records.length === 0) return;
  for (const plugin of plugins) {
    if (!plugin.features().status) continue;
    try {
      await plugin.logStatus(records);
    } catch {
      // Dropped, like osquery's relay.
    }
  }
}
