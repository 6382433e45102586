// The `stdout` logger (osquery plugins/logger/stdout.cpp): every result or snapshot line, then a
// newline, on stdout; status records as `severity=<n> location=<file>:<line> message=<text>`.
// It wants status logs, and its init stops glog's stderr output (osquery does the same so the
// two streams do not mix).
import type { LoggerFeatures, LoggerPlugin, StatusRecord } from './plugin.js';
import { type StatusLogger, statusLog } from './status.js';

/** The text the stdout and syslog loggers use for one status record. */
export function statusRecordText(r: StatusRecord): string {
  return `severity=${r.severity} location=${r.file}:${r.line} message=${r.message}`;
}

export interface StdoutLoggerOptions {
  /** Default: process.stdout. */
  out?: NodeJS.WritableStream;
  statusLog?: StatusLogger;
}

export class StdoutLogger implements LoggerPlugin {
  readonly name = 'stdout';
  private readonly out: NodeJS.WritableStream;
  private readonly status: StatusLogger;
  private last: Promise<void> = Promise.resolve();

  constructor(opts: StdoutLoggerOptions = {}) {
    this.out = opts.out ?? process.stdout;
    this.status = opts.statusLog ?? statusLog;
  }

  features(): LoggerFeatures {
    return { status: true, event: false };
  }

  async init(): Promise<void> {
    this.status.stopStderr();
  }

  logResult(line: string): Promise<void> {
    return this.write(`${line}\n`);
  }

  logSnapshot(line: string): Promise<void> {
    return this.write(`${line}\n`);
  }

  logStatus(records: StatusRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return this.write(records.map((r) => `${statusRecordText(r)}\n`).join(''));
  }

  /** Resolves once every write so far has been handed to the kernel. */
  flush(): Promise<void> {
    return this.last;
  }

  close(): Promise<void> {
    return this.flush();
  }

  /** Resolves when the stream has handed the text to the OS (write callback). */
  private write(text: string): Promise<void> {
    const p = new Promise<void>((resolve, reject) => {
      this.out.write(text, (err?: Error | null) => (err ? reject(err) : resolve()));
    });
    this.last = p.catch(() => undefined);
    return p;
  }
}
