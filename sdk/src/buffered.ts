// BufferedForwarder: osquery's buffered log forwarder, the part the tls, aws_kinesis and
// aws_firehose loggers share (docs/results-and-logging.md#buffered-forwarders).
//
// A logger extension must answer the core's `string`/`snapshot`/`status` calls quickly, and
// the core forgets a line as soon as the answer is code 0. So each line is first written to
// a local SQLite file (durable across a crash of the extension: it is committed before we
// answer), and a flush loop ships the buffer every `period` seconds:
//
//   - take up to `maxLines` entries, results before statuses (osquery scans its `logs`
//     keys in order, `<name>_r_...` sorting before `<name>_s_...`);
//   - send the results as one call (`logType` 'result'), the statuses as another ('status');
//   - delete the entries of a type only after its send succeeded;
//   - after a failure of a type, skip that type for `period × k²` seconds (k = consecutive
//     failures), capped at `maxBackoff`; `maxBackoff <= period` disables the backoff;
//   - when more than `maxEntries` (--buffered_log_max) entries are buffered, drop the
//     oldest (both types together) with a warning.
//
// better-sqlite3 is an optional peer dependency of @osq/sdk: only an extension that buffers
// installs it, so it is loaded here, on first use, rather than imported by the SDK's entry.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';

type DatabaseConstructor = typeof Database;
let databaseClass: DatabaseConstructor | undefined;

function openDatabase(path: string): Database.Database {
  if (!databaseClass) {
    try {
      databaseClass = createRequire(import.meta.url)('better-sqlite3') as DatabaseConstructor;
    } catch (e) {
      throw new Error(
        `BufferedForwarder needs the better-sqlite3 package (npm install better-sqlite3): ${(e as Error).message}`,
      );
    }
  }
  return new databaseClass(path);
}

export type LogType = 'result' | 'status';

/** osquery's status severities. */
export const Severity = { INFO: 0, WARNING: 1, ERROR: 2, FATAL: 3 } as const;

export interface BufferedForwarderOptions {
  /** The SQLite file holding the buffer; it (and its directory) is created if missing. */
  path: string;
  /** Seconds between flushes (fractions allowed). */
  period: number;
  /** Most entries examined per flush, results and statuses together (osquery: 1024; AWS: 500). */
  maxLines: number;
  /** Backoff cap in seconds (default 3600); a cap not above `period` disables backoff. */
  maxBackoff?: number;
  /** --buffered_log_max: most entries kept; the oldest beyond are dropped (0 = unlimited). */
  maxEntries?: number;
  /**
   * Ships one batch of lines of one type. Resolve when the remote side has them; throw (or
   * reject) to keep them buffered for the next flush.
   */
  send(lines: string[], logType: LogType): Promise<void>;
  /** The forwarder's own warnings and errors (osquery's LOG(WARNING/ERROR)). */
  onStatus?(severity: number, message: string): void;
}

interface Entry {
  id: number;
  kind: 'r' | 's';
  line: string;
}

export class BufferedForwarder {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string, string]>;
  private readonly pick: Database.Statement<[number], Entry>;
  private readonly remove: Database.Statement<[number]>;
  private readonly dropOldest: Database.Statement<[number]>;
  private count: number;

  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private stopped = false;
  private readonly failures = { result: 0, status: 0 };
  private readonly blockedUntil = { result: 0, status: 0 };
  private lastPurgeWarning = 0;

  constructor(private readonly opts: BufferedForwarderOptions) {
    mkdirSync(dirname(opts.path), { recursive: true, mode: 0o700 });
    this.db = openDatabase(opts.path);
    // WAL + synchronous=NORMAL: a commit is in the OS before insert() returns, so killing the
    // extension loses nothing it acknowledged (a power cut may lose the last commits).
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    // AUTOINCREMENT: ids never go back, so id order is arrival order even after deletes.
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS buffer (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, line TEXT NOT NULL)',
    );
    this.insert = this.db.prepare('INSERT INTO buffer (kind, line) VALUES (?, ?)');
    this.pick = this.db.prepare('SELECT id, kind, line FROM buffer ORDER BY kind, id LIMIT ?');
    this.remove = this.db.prepare('DELETE FROM buffer WHERE id = ?');
    this.dropOldest = this.db.prepare(
      'DELETE FROM buffer WHERE id IN (SELECT id FROM buffer ORDER BY id LIMIT ?)',
    );
    this.count = (this.db.prepare('SELECT count(*) AS n FROM buffer').get() as { n: number }).n;
  }

  /** Entries waiting to be sent. */
  get size(): number {
    return this.count;
  }

  /** Buffers a result (or snapshot) line; once this returns, the line survives a crash. */
  addResult(line: string): void {
    this.add('r', line);
  }

  /** Buffers a status record (JSON text, see docs/results-and-logging.md#json-status-record). */
  addStatus(line: string): void {
    this.add('s', line);
  }

  /** Starts the flush loop: the first flush runs one period from now. */
  start(): void {
    if (this.stopped || this.timer) return;
    this.schedule();
  }

  /** Runs one flush now (waiting for a running one first). */
  async flush(): Promise<void> {
    if (this.checking) await this.checking;
    if (this.stopped) return;
    this.checking = this.check().finally(() => {
      this.checking = undefined;
    });
    await this.checking;
  }

  /** Stops the loop, waits for a running flush, and closes the file. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.checking) await this.checking.catch(() => {});
    this.db.close();
  }

  /** Whether stop() was called: long sends (retry loops) should give up. */
  get isStopped(): boolean {
    return this.stopped;
  }

  // ------------------------------------------------------------------ internals

  private add(kind: 'r' | 's', line: string): void {
    if (this.stopped) throw new Error('the log buffer is closed');
    this.insert.run(kind, line);
    this.count++;
    // osquery purges after each flush; purging here too keeps the file bounded while a
    // send is stuck in its retries.
    const max = this.opts.maxEntries ?? 1_000_000;
    if (max > 0 && this.count > max) this.purge(max, false);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().finally(() => this.schedule());
    }, this.opts.period * 1000);
  }

  private async check(): Promise<void> {
    const entries = this.pick.all(this.opts.maxLines);
    const results = entries.filter((e) => e.kind === 'r');
    const statuses = entries.filter((e) => e.kind === 's');
    await this.sendType('result', results);
    await this.sendType('status', statuses);
    const max = this.opts.maxEntries ?? 1_000_000;
    if (!this.stopped && max > 0 && this.count > max) this.purge(max, true);
  }

  private async sendType(type: LogType, entries: Entry[]): Promise<void> {
    if (entries.length === 0 || this.stopped || Date.now() < this.blockedUntil[type]) return;
    try {
      await this.opts.send(
        entries.map((e) => e.line),
        type,
      );
    } catch {
      this.backOff(type);
      return;
    }
    this.failures[type] = 0;
    this.blockedUntil[type] = 0;
    if (this.stopped) return; // the file is closed; the lines go again after a restart
    const removeAll = this.db.transaction((list: Entry[]) => {
      let n = 0;
      for (const e of list) n += this.remove.run(e.id).changes;
      return n;
    });
    this.count = Math.max(0, this.count - removeAll(entries));
  }

  private backOff(type: LogType): void {
    const k = ++this.failures[type];
    const period = this.opts.period;
    const cap = this.opts.maxBackoff ?? 3600;
    if (cap <= period) return;
    this.blockedUntil[type] = Date.now() + Math.min(period * k * k, cap) * 1000;
  }

  /** Drops the oldest entries beyond `max`; warns (at most once a period from the insert path). */
  private purge(max: number, fromFlush: boolean): void {
    const before = this.count;
    const dropped = this.dropOldest.run(before - max).changes;
    this.count = before - dropped;
    const now = Date.now();
    if (fromFlush || now - this.lastPurgeWarning >= this.opts.period * 1000) {
      this.lastPurgeWarning = now;
      this.opts.onStatus?.(Severity.WARNING, `Purging buffered logs limit (${max}) exceeded: ${before}`);
    }
  }
}
