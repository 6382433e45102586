// A durable queue of log lines (results, snapshots, status records) in the backing
// store's SQLite file. A line is queued once for a list of loggers, handed to each
// logger in order, and deleted when every logger it was queued for has acked it:
// delivery is at-least-once (a crash between a logger's write and its ack repeats
// those lines; the line id lets a logger notice).
//
//   const outbox = new Outbox(store, { maxLines: flags.buffered_log_max });
//   store.transaction(() => outbox.enqueue([{ kind: 'result', text }], ['filesystem', 'tls']));
//   const batch = outbox.pending('tls', 1024, 1 << 20);   // oldest first
//   ...send...; outbox.ack('tls', batch.map((l) => l.id));
//   outbox.stats()   // lines / bytes waiting per logger
//
// The bound (osquery's --buffered_log_max, 0 = unlimited) counts distinct lines;
// beyond it the OLDEST lines are dropped and enqueue() returns how many, so the
// caller can log a warning.
import type { BackingStore } from '../database/store.js';

export type LineKind = 'result' | 'snapshot' | 'status';

export interface OutboxLine {
  kind: LineKind;
  text: string;
}

export interface PendingLine extends OutboxLine {
  /** Increasing with enqueue order; unique for the life of the database. */
  id: number;
}

export interface LoggerBacklog {
  logger: string;
  /** Lines not yet acked by this logger. */
  lines: number;
  /** Their size in UTF-8 bytes. */
  bytes: number;
}

export interface OutboxOptions {
  /** Most distinct lines kept (osquery's --buffered_log_max, default 1 000 000); 0 = unlimited. */
  maxLines?: number;
}

export class Outbox {
  readonly store: BackingStore;
  maxLines: number;
  private readonly q: ReturnType<typeof prepare>;

  constructor(store: BackingStore, opts: OutboxOptions = {}) {
    this.store = store;
    this.maxLines = opts.maxLines ?? 1_000_000;
    const db = store.db;
    db.exec(`
      CREATE TABLE IF NOT EXISTS outbox_lines (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        bytes INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS outbox_pending (
        logger TEXT NOT NULL,
        id INTEGER NOT NULL,
        PRIMARY KEY (logger, id)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS outbox_pending_id ON outbox_pending (id);
      -- Running totals, kept in the same transactions, so the bound check and the
      -- status numbers never scan the queue. logger '' = distinct lines.
      CREATE TABLE IF NOT EXISTS outbox_counts (
        logger TEXT PRIMARY KEY,
        lines INTEGER NOT NULL,
        bytes INTEGER NOT NULL
      ) WITHOUT ROWID;
    `);
    this.q = prepare(db);
  }

  /**
   * Queue lines for every logger in `loggers`. Runs inside the caller's transaction
   * when there is one (it is a savepoint then), so the lines commit together with
   * whatever produced them. Returns the new ids and how many old lines the bound dropped.
   */
  enqueue(lines: OutboxLine[], loggers: string[]): { ids: number[]; dropped: number } {
    if (lines.length === 0 || loggers.length === 0) return { ids: [], dropped: 0 };
    const unique = [...new Set(loggers)];
    return this.store.transaction(() => {
      const ids: number[] = [];
      let bytes = 0;
      for (const line of lines) {
        const size = Buffer.byteLength(line.text, 'utf8');
        const id = Number(this.q.insertLine.run(line.kind, line.text, size).lastInsertRowid);
        for (const logger of unique) this.q.insertPending.run(logger, id);
        ids.push(id);
        bytes += size;
      }
      this.q.count.run('', lines.length, bytes);
      for (const logger of unique) this.q.count.run(logger, lines.length, bytes);
      return { ids, dropped: this.enforceBound() };
    });
  }

  /** Drop the oldest lines beyond maxLines; returns how many were dropped. */
  private enforceBound(): number {
    if (this.maxLines <= 0) return 0;
    const total = (this.q.total.get() as number | undefined) ?? 0;
    const excess = total - this.maxLines;
    if (excess <= 0) return 0;
    const cutoff = this.q.nthOldest.get(excess - 1) as number;
    for (const [logger, n, b] of this.q.droppedPerLogger.all(cutoff) as [string, number, number][]) {
      this.q.count.run(logger, -n, -b);
    }
    const [n, b] = this.q.droppedLines.get(cutoff) as [number, number];
    this.q.count.run('', -n, -b);
    this.q.dropPending.run(cutoff);
    this.q.dropLines.run(cutoff);
    return n;
  }

  /**
   * The oldest lines `logger` has not acked: at most `limit` lines and, beyond the
   * first line, at most `maxBytes` UTF-8 bytes in total.
   */
  pending(logger: string, limit: number, maxBytes = Number.POSITIVE_INFINITY): PendingLine[] {
    const out: PendingLine[] = [];
    let bytes = 0;
    for (const row of this.q.pending.iterate(logger, limit) as IterableIterator<
      [number, LineKind, string, number]
    >) {
      const [id, kind, text, size] = row;
      if (out.length > 0 && bytes + size > maxBytes) break;
      out.push({ id, kind, text });
      bytes += size;
    }
    return out;
  }

  /** `logger` has delivered these lines; lines nobody else waits for are deleted. */
  ack(logger: string, ids: number[]): void {
    if (ids.length === 0) return;
    this.store.transaction(() => {
      for (const id of ids) {
        if (this.q.unpend.run(logger, id).changes === 0) continue; // not pending for this logger
        const size = this.q.lineBytes.get(id) as number;
        this.q.count.run(logger, -1, -size);
        if (this.q.stillPending.get(id) === undefined) {
          this.q.deleteLine.run(id);
          this.q.count.run('', -1, -size);
        }
      }
    });
  }

  /** Lines and bytes waiting per logger (loggers that ever had lines), by name. */
  stats(): LoggerBacklog[] {
    return (this.q.stats.all() as [string, number, number][]).map(([logger, lines, bytes]) => ({
      logger,
      lines,
      bytes,
    }));
  }

  /** Distinct lines held (what the bound counts). */
  size(): number {
    return (this.q.total.get() as number | undefined) ?? 0;
  }
}

/** The outbox's prepared statements. */
function prepare(db: BackingStore['db']) {
  return {
    insertLine: db.prepare('INSERT INTO outbox_lines (kind, text, bytes) VALUES (?, ?, ?)'),
    insertPending: db.prepare('INSERT OR IGNORE INTO outbox_pending (logger, id) VALUES (?, ?)'),
    count: db.prepare(
      `INSERT INTO outbox_counts (logger, lines, bytes) VALUES (?, ?, ?)
         ON CONFLICT (logger) DO UPDATE SET lines = lines + excluded.lines, bytes = bytes + excluded.bytes`,
    ),
    pending: db
      .prepare(
        `SELECT l.id, l.kind, l.text, l.bytes FROM outbox_pending p JOIN outbox_lines l ON l.id = p.id
           WHERE p.logger = ? ORDER BY p.id LIMIT ?`,
      )
      .raw(true),
    unpend: db.prepare('DELETE FROM outbox_pending WHERE logger = ? AND id = ?'),
    lineBytes: db.prepare('SELECT bytes FROM outbox_lines WHERE id = ?').pluck(),
    stillPending: db.prepare('SELECT 1 FROM outbox_pending WHERE id = ? LIMIT 1').pluck(),
    deleteLine: db.prepare('DELETE FROM outbox_lines WHERE id = ?'),
    total: db.prepare("SELECT lines FROM outbox_counts WHERE logger = ''").pluck(),
    nthOldest: db.prepare('SELECT id FROM outbox_lines ORDER BY id LIMIT 1 OFFSET ?').pluck(),
    droppedPerLogger: db
      .prepare(
        `SELECT p.logger, count(*), sum(l.bytes) FROM outbox_pending p JOIN outbox_lines l ON l.id = p.id
           WHERE p.id <= ? GROUP BY p.logger`,
      )
      .raw(true),
    droppedLines: db
      .prepare('SELECT count(*), coalesce(sum(bytes), 0) FROM outbox_lines WHERE id <= ?')
      .raw(true),
    dropPending: db.prepare('DELETE FROM outbox_pending WHERE id <= ?'),
    dropLines: db.prepare('DELETE FROM outbox_lines WHERE id <= ?'),
    stats: db
      .prepare("SELECT logger, lines, bytes FROM outbox_counts WHERE logger <> '' ORDER BY logger")
      .raw(true),
  };
}
