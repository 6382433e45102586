// The `syslog` logger (osquery plugins/logger/syslog_logger.cpp).
//
// osquery calls syslog(3) after openlog(<process name>, LOG_PID|LOG_CONS, facility):
// - result and snapshot lines at LOG_INFO, prefixed `@cee:` with --logger_syslog_prepend_cee;
// - status records as `severity=<n> location=<file>:<line> message=<text>` at LOG_NOTICE
//   (INFO), LOG_WARNING, LOG_ERR, LOG_CRIT (FATAL);
// - facility = --logger_syslog_facility (0..23, out of range → 19 = LOCAL3).
//
// Node has no syslog(3) and its dgram module cannot send to a Unix datagram socket, so each
// batch of lines is handed to util-linux's logger(1) (Debian package `bsdutils`, essential):
//   logger --prio-prefix -t <name> --id=<pid> -u <socket> --socket-errors=on -S <max>
// with one `<PRI>message` line per message on stdin. logger(1) writes the same local datagram
// glibc does (`<PRI>Mmm dd hh:mm:ss name[pid]: message`) to /dev/log (hidden flag
// --logger_syslog_socket for tests). A batch resolves when logger exits 0, i.e. every datagram
// was accepted by the socket; a missing socket or other failure rejects (retry later).
// Messages longer than a datagram can carry are split by logger(1) into several messages.
// Embedded newlines would split a message too: they are sent as spaces.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { flags } from '../flags/index.js';
import type { LoggerFeatures, LoggerPlugin, ProcessName, StatusRecord } from './plugin.js';
import { findExecutable } from './rotate.js';
import { statusRecordText } from './stdout.js';

const LOG_CRIT = 2;
const LOG_ERR = 3;
const LOG_WARNING = 4;
const LOG_NOTICE = 5;
const LOG_INFO = 6;
/** Syslog priority per status severity (INFO, WARNING, ERROR, FATAL). */
const STATUS_PRIORITY = [LOG_NOTICE, LOG_WARNING, LOG_ERR, LOG_CRIT] as const;
const DEFAULT_FACILITY = 19; // LOG_LOCAL3 >> 3

export interface SyslogLoggerOptions {
  /** --logger_syslog_facility */
  facility: number;
  /** --logger_syslog_prepend_cee */
  prependCee: boolean;
  /** Unix datagram socket of the syslog daemon (default /dev/log). */
  socket: string;
  /** logger(1) executable (default: found on PATH). */
  loggerBinary?: string | null;
  /** PID written in the message header (default: this process). */
  pid?: number;
  /** Largest message sent in one datagram (default: the kernel's socket buffer minus headroom). */
  maxMessageBytes?: number;
}

export function syslogOptionsFromFlags(): SyslogLoggerOptions {
  return {
    facility: flags.logger_syslog_facility,
    prependCee: flags.logger_syslog_prepend_cee,
    socket: flags.logger_syslog_socket,
  };
}

/** A Unix datagram can carry about the socket send buffer (net.core.wmem_default). */
function defaultMaxMessageBytes(): number {
  try {
    const wmem = Number(fs.readFileSync('/proc/sys/net/core/wmem_default', 'utf8').trim());
    if (Number.isFinite(wmem) && wmem > 4096) return wmem - 1024;
  } catch {
    // Not Linux or no procfs.
  }
  return 8192;
}

interface Pending {
  lines: string[];
  resolve: () => void;
  reject: (e: Error) => void;
}

export class SyslogLogger implements LoggerPlugin {
  readonly name = 'syslog';
  private readonly facility: number;
  private readonly binary: string | null;
  private readonly maxBytes: number;
  private tag = 'osqueryd';
  private queue: Pending[] = [];
  private worker: Promise<void> | null = null;

  constructor(private readonly opts: SyslogLoggerOptions) {
    this.facility = opts.facility >= 0 && opts.facility <= 23 ? opts.facility : DEFAULT_FACILITY;
    this.binary = opts.loggerBinary === undefined ? findExecutable('logger') : opts.loggerBinary;
    this.maxBytes = opts.maxMessageBytes ?? defaultMaxMessageBytes();
  }

  features(): LoggerFeatures {
    return { status: true, event: false };
  }

  async init(processName: ProcessName): Promise<void> {
    this.tag = processName;
    if (!this.binary)
      throw new Error('syslog logger: logger(1) from util-linux (package bsdutils) is not installed');
  }

  logResult(line: string): Promise<void> {
    return this.send([this.line(LOG_INFO, (this.opts.prependCee ? '@cee:' : '') + line)]);
  }

  logSnapshot(line: string): Promise<void> {
    return this.logResult(line);
  }

  logStatus(records: StatusRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return this.send(records.map((r) => this.line(STATUS_PRIORITY[r.severity], statusRecordText(r))));
  }

  async flush(): Promise<void> {
    while (this.worker) await this.worker;
  }

  close(): Promise<void> {
    return this.flush();
  }

  /** `<PRI>text` for logger --prio-prefix, on a single line. */
  private line(priority: number, text: string): string {
    return `<${this.facility * 8 + priority}>${text.replace(/\r?\n/g, ' ')}`;
  }

  /** Queue lines; everything queued while one logger(1) runs goes out in the next one. */
  private send(lines: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ lines, resolve, reject });
      this.worker ??= this.runDrain();
    });
  }

  /** Drain, then look again (see DurableFile.runDrain: the same window exists here). */
  private async runDrain(): Promise<void> {
    try {
      await this.drain();
    } finally {
      this.worker = this.queue.length > 0 ? this.runDrain() : null;
    }
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      const error = await this.runLogger(batch.flatMap((p) => p.lines));
      for (const p of batch) {
        if (error) p.reject(error);
        else p.resolve();
      }
    }
  }

  private runLogger(lines: string[]): Promise<Error | null> {
    if (!this.binary) return Promise.resolve(new Error('syslog logger: logger(1) is not installed'));
    const args = [
      '--prio-prefix',
      '-t',
      this.tag,
      `--id=${this.opts.pid ?? process.pid}`,
      '-u',
      this.opts.socket,
      '--socket-errors=on',
      '-S',
      String(this.maxBytes),
    ];
    return new Promise((resolve) => {
      const child = spawn(this.binary as string, args, { stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      child.on('error', (e) => resolve(e));
      child.on('close', (code) =>
        resolve(code === 0 ? null : new Error(`syslog logger: logger exited ${code}: ${stderr.trim()}`)),
      );
      child.stdin.on('error', () => undefined); // reported through the exit status
      child.stdin.end(`${lines.join('\n')}\n`);
    });
  }
}
