// Text layouts of osquery's status logs, as pure functions (no I/O):
// - the glog line written to the status files and stderr (docs/results-and-logging.md#glog-line),
// - glog's file names and 4-line file header (docs/results-and-logging.md#glog-files),
// - the JSON status record of buffered loggers (docs/results-and-logging.md#json-status-record),
// - the `log` array sent to extension loggers (docs/extensions.md#logger-plugin-calls).
// glog stamps lines and file names in LOCAL time (osquery never sets glog's log_utc_time);
// the JSON shapes use UTC (`calendarTime`, `unixTime`).
import { asctimeUtc } from '@osq/idl';
import type { Severity, StatusRecord } from './plugin.js';

/** glog's severity names, also the status file suffixes. */
export const SEVERITY_NAMES = ['INFO', 'WARNING', 'ERROR', 'FATAL'] as const;

function pad(n: number, width: number, fill = '0'): string {
  return String(n).padStart(width, fill);
}

/** Whole microseconds since the epoch (the record time carries them as a ms fraction). */
function splitMicros(timeMs: number): { seconds: number; micros: number } {
  const total = Math.round(timeMs * 1000);
  const seconds = Math.floor(total / 1e6);
  return { seconds, micros: total - seconds * 1e6 };
}

/**
 * One status line as osquery's glog prefix writes it, with its newline:
 * `I0806 21:46:12.123456  4242 scheduler.cpp:85] message`.
 * L = I/W/E/F, MMDD and time in local time, thread id right-aligned in 5 columns.
 */
export function formatGlogLine(record: StatusRecord, threadId: number): string {
  const { seconds, micros } = splitMicros(record.time);
  const d = new Date(seconds * 1000);
  const prefix =
    SEVERITY_NAMES[record.severity][0] +
    pad(d.getMonth() + 1, 2) +
    pad(d.getDate(), 2) +
    ' ' +
    `${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}.${pad(micros, 6)}` +
    ' ' +
    pad(threadId, 5, ' ') +
    ` ${record.file}:${record.line}]`;
  const text = `${prefix} ${record.message}`;
  // glog ends every entry with exactly one newline.
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** `YYYYMMDD-HHMMSS` in local time, as glog names its files. */
function fileStamp(timeMs: number): string {
  const d = new Date(Math.floor(timeMs));
  return (
    `${d.getFullYear()}${pad(d.getMonth() + 1, 2)}${pad(d.getDate(), 2)}-` +
    `${pad(d.getHours(), 2)}${pad(d.getMinutes(), 2)}${pad(d.getSeconds(), 2)}`
  );
}

/** `osqueryd.INFO.20260806-214612.4242` — the file a severity's lines go to. */
export function glogFileName(processName: string, severity: Severity, timeMs: number, pid: number): string {
  return `${processName}.${SEVERITY_NAMES[severity]}.${fileStamp(timeMs)}.${pid}`;
}

/** `osqueryd.INFO` — the symlink glog points at the newest file of a severity. */
export function glogLinkName(processName: string, severity: Severity): string {
  return `${processName}.${SEVERITY_NAMES[severity]}`;
}

/** The four lines glog writes at the top of every status file. */
export function glogFileHeader(createdMs: number, hostname: string, processStartMs: number): string {
  const d = new Date(Math.floor(createdMs));
  const created =
    `${d.getFullYear()}/${pad(d.getMonth() + 1, 2)}/${pad(d.getDate(), 2)} ` +
    `${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}`;
  const up = Math.max(0, Math.floor((createdMs - processStartMs) / 1000));
  const duration = `${Math.floor(up / 3600)}:${pad(Math.floor(up / 60) % 60, 2)}:${pad(up % 60, 2)}`;
  return (
    `Log file created at: ${created}\n` +
    `Running on machine: ${hostname}\n` +
    `Running duration (h:mm:ss): ${duration}\n` +
    'Log line format: [IWEF]yyyymmdd hh:mm:ss.uuuuuu threadid file:line] msg\n'
  );
}

/** C asctime() layout in UTC plus ` UTC`: `Thu Aug  6 21:46:12 2026 UTC` (day space-padded). */
export function calendarTimeUtc(timeMs: number): string {
  return asctimeUtc(Math.floor(timeMs / 1000));
}

/** Whole seconds since the epoch. */
export function unixSeconds(timeMs: number): number {
  return Math.floor(timeMs / 1000);
}

export interface StatusJsonContext {
  hostIdentifier: string;
  /** osquery version string reported in the record. */
  version: string;
  /** Decorations collected by the daemon (may be empty). */
  decorations?: Record<string, string>;
  /** --decorations_top_level: decorations become top-level keys. */
  decorationsTopLevel?: boolean;
}

/**
 * The JSON status record buffered loggers (tls, kinesis, firehose) send, field order:
 * hostIdentifier, calendarTime, unixTime, severity, filename, line, message, version, decorations
 * (docs/results-and-logging.md#json-status-record).
 */
export function statusRecordJson(record: StatusRecord, ctx: StatusJsonContext): string {
  const obj: Record<string, unknown> = {
    hostIdentifier: ctx.hostIdentifier,
    calendarTime: calendarTimeUtc(record.time),
    unixTime: unixSeconds(record.time),
    severity: record.severity,
    filename: record.file,
    line: record.line,
    message: record.message,
    version: ctx.version,
  };
  const decorations = ctx.decorations ?? {};
  if (Object.keys(decorations).length > 0) {
    // Top-level decorations replace a standard field of the same name in place.
    if (ctx.decorationsTopLevel) Object.assign(obj, decorations);
    else obj.decorations = decorations;
  }
  return JSON.stringify(obj);
}

/**
 * The `log` value of the `{"status":"true","log":...}` request to an extension logger
 * (docs/extensions.md#logger-plugin-calls): a JSON array of {s,f,i,m,h,c,u} in that key order.
 */
export function statusRecordsToExtensionLog(records: StatusRecord[], hostIdentifier: string): string {
  return JSON.stringify(
    records.map((r) => ({
      s: r.severity,
      f: r.file,
      i: r.line,
      m: r.message,
      h: hostIdentifier,
      c: calendarTimeUtc(r.time),
      u: unixSeconds(r.time),
    })),
  );
}
