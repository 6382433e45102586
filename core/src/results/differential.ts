// osquery's differential engine (docs/results-and-logging.md#the-differential-engine): compare a scheduled
// query's rows with the rows stored after its previous run, keep the counter and
// epoch, and produce the result log lines, all in ONE backing-store transaction
// together with queueing the lines in the outbox. After a kill -9 the store holds
// either everything of a run (new rows, counter, queued lines) or nothing of it, so
// the next run diffs against the last committed rows: no line is lost or repeated
// as a fresh `added`.
//
// How the daemon calls it, once per scheduled execution:
//
//   const r = applyResults(store, {
//       name, sql, snapshot, removed,                        // from the schedule/pack
//       eventOptimized: flags.events_optimize && queryReadsAnEventsTable,
//     }, await engine.query(sql), Math.floor(Date.now() / 1000), {
//       epoch: flags.schedule_epoch, hostIdentifier, decorations,
//       nullValue: flags.nullvalue, ...formatOptionsFromFlags(),
//       outbox, loggers: ['filesystem'],
//     });
//   for (const n of r.notes) log.info(n);
//   if (r.dropped > 0) log.warning(`dropped ${r.dropped} buffered log lines (--buffered_log_max)`);
//
// It throws when the store fails or holds unreadable rows: osqueryd then exits 78.
//
// Backing-store keys (domain `queries`): N (JSON array of the typed rows), N+'epoch',
// N+'counter', 'query.'+N (the SQL last seen).
import type { BackingStore } from '../database/store.js';
import { type FormatOptions, formatDifferential, formatSnapshot, type LogItem } from './format.js';
import type { Outbox, OutboxLine } from './outbox.js';
import {
  compareRows,
  escapedRows,
  parseRows,
  type ResultSet,
  rowJson,
  type TypedRow,
  typedRows,
} from './rows.js';

export interface ScheduledQueryInfo {
  /** Full scheduled query name (pack-qualified). */
  name: string;
  /** The SQL text (only stored and compared, to log when it changed). */
  sql: string;
  /** Snapshot query: no state, every row logged, counter 0. */
  snapshot: boolean;
  /** osquery's `removed` option (default true); false drops `removed` rows from the output. */
  removed: boolean;
  /** --events_optimize and the query reads a `*_events` table: every row is `added`, no diff. */
  eventOptimized: boolean;
}

export interface ApplyOptions extends FormatOptions {
  /** --schedule_epoch. */
  epoch: number;
  hostIdentifier: string;
  /** Decorations to attach (name -> value). */
  decorations: Record<string, string>;
  /** --nullvalue: the text a SQL NULL becomes (osquery stores NULL as this text). */
  nullValue?: string;
  /** Where to queue the lines (inside the same transaction); without it lines are only returned. */
  outbox?: Outbox;
  /** Loggers to queue each line for (e.g. --logger_plugin split on commas). */
  loggers?: string[];
}

export interface ApplyResult {
  /** The lines to log, in order (also queued in the outbox when one was given). */
  lines: OutboxLine[];
  /**
   * The counter stamped on the lines (0 = complete result set). When nothing was
   * logged it is osquery's placeholder 1, not the stored counter.
   */
  counter: number;
  /** Rows logged as added (snapshot: rows in the snapshot). */
  added: number;
  /** Rows logged as removed. */
  removed: number;
  /** Old outbox lines dropped by --buffered_log_max while queueing these. */
  dropped: number;
  /** INFO messages osquery logs on the way ("Storing initial results for new scheduled query: N"). */
  notes: string[];
}

/** Run the differential engine for one execution of a scheduled query. */
export function applyResults(
  store: BackingStore,
  query: ScheduledQueryInfo,
  result: ResultSet,
  now: number,
  opts: ApplyOptions,
): ApplyResult {
  const nullValue = opts.nullValue ?? '';
  const item = (counter: number): LogItem => ({
    name: query.name,
    hostIdentifier: opts.hostIdentifier,
    unixTime: now,
    epoch: opts.epoch,
    counter,
    decorations: opts.decorations,
  });

  if (query.snapshot) {
    // No state and no escaping: the rows go out as the engine returned them.
    const rows = typedRows(result, nullValue);
    const lines = formatSnapshot(item(0), rows, opts).map((text): OutboxLine => ({ kind: 'snapshot', text }));
    const dropped = queue(store, opts, lines);
    return { lines, counter: 0, added: rows.length, removed: 0, dropped, notes: [] };
  }

  const current = escapedRows(result, nullValue);
  return store.transaction(() => {
    const notes: string[] = [];
    const newEpoch = checkQueryStatus(store, query, opts.epoch, notes);
    const { added, removed, counter } = query.eventOptimized
      ? addNewEvents(store, query.name, current, opts.epoch, newEpoch)
      : addNewResults(store, query.name, current, opts.epoch, newEpoch);
    const logged = query.removed ? removed : [];
    // Nothing changed: log nothing, unless this is a complete result set (counter 0),
    // which is logged even when empty (a batch line with empty arrays).
    if (added.length === 0 && logged.length === 0 && counter !== 0) {
      return { lines: [], counter, added: 0, removed: 0, dropped: 0, notes };
    }
    const lines = formatDifferential(item(counter), added, logged, opts).map(
      (text): OutboxLine => ({ kind: 'result', text }),
    );
    const dropped = queue(store, opts, lines);
    return { lines, counter, added: added.length, removed: logged.length, dropped, notes };
  });
}

function queue(store: BackingStore, opts: ApplyOptions, lines: OutboxLine[]): number {
  if (!opts.outbox || !opts.loggers || lines.length === 0) return 0;
  const outbox = opts.outbox;
  const loggers = opts.loggers;
  return store.transaction(() => outbox.enqueue(lines, loggers).dropped);
}

/**
 * osquery's Query::getQueryStatus: returns true when the stored results must be
 * re-baselined (query never seen, or stored epoch differs). A changed SQL text is
 * only noted and stored.
 */
function checkQueryStatus(
  store: BackingStore,
  query: ScheduledQueryInfo,
  epoch: number,
  notes: string[],
): boolean {
  const N = query.name;
  if (store.get('queries', N) === undefined) {
    notes.push(`Storing initial results for new scheduled query: ${N}`);
    store.put('queries', `query.${N}`, query.sql);
    return true;
  }
  const previousEpoch = Number(store.get('queries', `${N}epoch`) ?? '0');
  if (previousEpoch !== epoch) {
    notes.push(`New Epoch ${epoch} for scheduled query ${N}`);
    return true;
  }
  if ((store.get('queries', `query.${N}`) ?? '') !== query.sql) {
    notes.push(`Scheduled query has been updated: ${N}`);
    store.put('queries', `query.${N}`, query.sql);
  }
  return false;
}

interface Diff {
  added: TypedRow[];
  removed: TypedRow[];
  /** Counter for the log line; 1 when osquery leaves it unset (nothing to report). */
  counter: number;
}

function saveResults(store: BackingStore, name: string, json: string, epoch: number): void {
  store.put('queries', name, json);
  store.put('queries', `${name}epoch`, String(epoch));
}

/**
 * osquery's Query::incrementCounter: a reset gives 0 (the line holds every row) or 1
 * (event queries: it does not); otherwise the stored counter + 1 (0 if none).
 */
function incrementCounter(
  store: BackingStore,
  name: string,
  reset: boolean,
  resetHasAllRecords: boolean,
): number {
  let counter: number;
  if (reset) counter = resetHasAllRecords ? 0 : 1;
  else {
    const raw = store.get('queries', `${name}counter`);
    counter = raw === undefined ? 0 : Number(raw) + 1;
  }
  store.put('queries', `${name}counter`, String(counter));
  return counter;
}

/**
 * The stored rows of each query as this process last wrote them, with each row's JSON:
 * when the store still holds that text, the next diff reuses the row keys instead of
 * parsing the stored array and serializing every row again.
 */
const lastSaved = new Map<string, { text: string; keys: string[] }>();

/** osquery's Query::addNewResults: multiset diff against the stored rows. */
function addNewResults(
  store: BackingStore,
  name: string,
  current: TypedRow[],
  epoch: number,
  newEpoch: boolean,
): Diff {
  const currentKeys = current.map(rowJson);
  const save = () => {
    const text = `[${currentKeys.join(',')}]`;
    saveResults(store, name, text, epoch);
    lastSaved.set(name, { text, keys: currentKeys });
  };
  if (newEpoch) {
    save();
    return { added: current, removed: [], counter: incrementCounter(store, name, true, true) };
  }
  const storedText = store.get('queries', name) ?? '[]';
  const cached = lastSaved.get(name);
  const previousKeys = cached?.text === storedText ? cached.keys : parseRows(storedText).map(rowJson);
  const { added, removedKeys } = diffKeys(previousKeys, current, currentKeys);
  if (added.length === 0 && removedKeys.length === 0) return { added, removed: [], counter: 1 };
  // Only the removed rows need their typed form back, to be logged.
  const removed = parseRows(`[${removedKeys.join(',')}]`).sort(compareRows);
  save();
  return { added, removed, counter: incrementCounter(store, name, false, true) };
}

/** Multiset difference by row JSON: current rows with no stored twin, stored rows left over. */
function diffKeys(
  previousKeys: string[],
  current: TypedRow[],
  currentKeys: string[],
): { added: TypedRow[]; removedKeys: string[] } {
  const left = new Map<string, number>();
  for (const k of previousKeys) left.set(k, (left.get(k) ?? 0) + 1);
  const added: TypedRow[] = [];
  current.forEach((row, i) => {
    const k = currentKeys[i] as string;
    const n = left.get(k) ?? 0;
    if (n > 0) left.set(k, n - 1);
    else added.push(row);
  });
  const removedKeys: string[] = [];
  for (const [k, n] of left) for (let i = 0; i < n; i++) removedKeys.push(k);
  return { added, removedKeys };
}

/** osquery's Query::addNewEvents: no diff, every row is added; counter starts at 1. */
function addNewEvents(
  store: BackingStore,
  name: string,
  current: TypedRow[],
  epoch: number,
  newEpoch: boolean,
): Diff {
  if (newEpoch) saveResults(store, name, '[]', epoch);
  if (current.length === 0) return { added: current, removed: [], counter: 1 };
  return { added: current, removed: [], counter: incrementCounter(store, name, newEpoch, false) };
}
