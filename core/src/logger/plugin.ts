// The contract every logger implements: the local ones in this folder (filesystem, stdout,
// syslog) and, through an adapter, logger plugins living in extensions.
//
// Delivery semantics (what the daemon relies on):
// - A promise that RESOLVES means the line has been durably handed over: written to the
//   kernel and synced (filesystem), accepted by the syslog socket, written to stdout, sent
//   to an extension that answered success. The daemon acknowledges its outbox entry then.
// - A promise that REJECTS means "not delivered, try again later"; the daemon keeps the line.
//   Delivery is at-least-once: a retried batch may repeat lines that partly went through.
// - Calls on one plugin may overlap; implementations keep the order in which they were made.

/** Status log severity, osquery's (glog's) numbering: 0 INFO, 1 WARNING, 2 ERROR, 3 FATAL. */
export type Severity = 0 | 1 | 2 | 3;

/** One status log message (osquery's `StatusLogLine`). */
export interface StatusRecord {
  severity: Severity;
  /** Source file basename, e.g. `scheduler.ts`. */
  file: string;
  line: number;
  message: string;
  /** Milliseconds since the Unix epoch; the fraction carries microseconds. */
  time: number;
}

/** What a logger wants besides result lines (osquery's LOGSTATUS / LOGEVENT feature bits). */
export interface LoggerFeatures {
  /** Wants status logs through logStatus(). */
  status: boolean;
  /** Wants every event row forwarded (extension loggers only; no local logger does). */
  event: boolean;
}

/** The process name osquery passes to `init`. */
export type ProcessName = 'osqueryd' | 'osqueryi';

export interface LoggerPlugin {
  /** Registry name, as given in --logger_plugin (e.g. `filesystem`). */
  readonly name: string;
  features(): LoggerFeatures;
  /** Called once before any other call; may create files or open sockets. */
  init(processName: ProcessName): Promise<void>;
  /** One scheduled-query result line (JSON text, no trailing newline). */
  logResult(line: string): Promise<void>;
  /** One snapshot result line (JSON text, no trailing newline). */
  logSnapshot(line: string): Promise<void>;
  /** A batch of status records; only called when features().status is true. */
  logStatus(records: StatusRecord[]): Promise<void>;
  /** Wait until everything accepted so far is delivered (optional). */
  flush?(): Promise<void>;
  /** Deliver what is pending, then release files, sockets and child processes. */
  close(): Promise<void>;
}

/** What a logger may need from the process that activates it. */
export interface LoggerContext {
  /** The host identifier now (status records sent to extensions carry it). */
  hostIdentifier: () => string;
}

/**
 * What the logger registry holds: a function that makes the logger when --logger_plugin
 * activates it (a local logger reads its flags then, and opens files on init).
 */
export type MakeLogger = (context: LoggerContext) => LoggerPlugin;
