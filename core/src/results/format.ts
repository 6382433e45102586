// Result log lines exactly as osqueryd writes them (docs/results-and-logging.md#result-lines):
// event format, batch format and both snapshot formats, compact JSON as RapidJSON
// writes it, with osquery's key order and value rendering.
//
//   formatDifferential(item, added, removed, opts) -> string[]   (0..n lines)
//   formatSnapshot(item, rows, opts)               -> string[]
//   asciiTime(unixSeconds)                         -> 'Thu Aug  6 21:46:12 2026 UTC'
import { asctimeUtc, formatG15 } from '@osq/idl';
import { flags } from '../flags/index.js';
import { compareBytes } from '../lib/bytes.js';
import { type Cell, JsonObject, jsonCell, jsonString } from './json.js';
import type { TypedRow } from './rows.js';

/** The per-line metadata (osquery's QueryLogItem without the rows). */
export interface LogItem {
  /** Scheduled query name (pack-qualified). */
  name: string;
  hostIdentifier: string;
  /** Unix seconds of the run; calendarTime is derived from it. */
  unixTime: number;
  epoch: number;
  counter: number;
  /** Decoration name -> value (written in byte order of the names). */
  decorations: Record<string, string>;
}

/** The logger flags that shape a line. */
export interface FormatOptions {
  /** --logger_event_type (default true): one line per row instead of one batch line. */
  eventFormat: boolean;
  /** --logger_snapshot_event_type (default false). */
  snapshotEventFormat: boolean;
  /** --logger_numerics (default false): INTEGER/REAL cells as JSON numbers. */
  numerics: boolean;
  /** --decorations_top_level (default false). */
  decorationsTopLevel: boolean;
}

/** The format options from the current flag values. */
export function formatOptionsFromFlags(): FormatOptions {
  return {
    eventFormat: flags.logger_event_type,
    snapshotEventFormat: flags.logger_snapshot_event_type,
    numerics: flags.logger_numerics,
    decorationsTopLevel: flags.decorations_top_level,
  };
}

/** C's asctime() layout of a UTC time plus ` UTC` (@osq/idl's formats.ts). */
export const asciiTime = asctimeUtc;

/** A cell as osquery's castVariant renders it: decimal, `%.15g` doubles with `.0`, text. */
export function cellText(v: Cell): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    const s = formatG15(v);
    return s.includes('.') ? s : `${s}.0`;
  }
  return v;
}

/** A row object: keys in byte order, values strings unless numerics. */
export function rowObject(row: TypedRow, numerics: boolean): string {
  const obj = new JsonObject();
  for (const [k, v] of row) obj.add(k, numerics ? jsonCell(v) : jsonString(cellText(v)));
  return obj.toString();
}

/** osquery's addLegacyFieldsAndDecorations, applied to `obj` in its order. */
function addCommonFields(obj: JsonObject, item: LogItem, opts: FormatOptions): void {
  obj.addString('name', item.name);
  obj.addString('hostIdentifier', item.hostIdentifier);
  obj.addString('calendarTime', asciiTime(item.unixTime));
  obj.add('unixTime', String(item.unixTime));
  obj.add('epoch', String(item.epoch));
  obj.add('counter', String(item.counter));
  obj.add('numerics', opts.numerics ? 'true' : 'false');
  const names = Object.keys(item.decorations).sort(compareBytes);
  if (names.length === 0) return;
  if (opts.decorationsTopLevel) {
    for (const n of names) obj.addString(n, item.decorations[n] as string);
  } else {
    const dec = new JsonObject();
    for (const n of names) dec.addString(n, item.decorations[n] as string);
    obj.add('decorations', dec.toString());
  }
}

/** One event-format line (common fields, `columns`, `action`). */
function eventLine(item: LogItem, row: TypedRow, action: string, opts: FormatOptions): string {
  const obj = new JsonObject();
  addCommonFields(obj, item, opts);
  obj.add('columns', rowObject(row, opts.numerics));
  obj.addString('action', action);
  return obj.toString();
}

const array = (rows: TypedRow[], numerics: boolean): string =>
  `[${rows.map((r) => rowObject(r, numerics)).join(',')}]`;

/**
 * Lines for a differential result. Event format: one line per row, all removed rows
 * first, nothing when both lists are empty. Batch format: always exactly one line.
 * (Whether to log at all is the caller's decision: see differential.ts.)
 */
export function formatDifferential(
  item: LogItem,
  added: TypedRow[],
  removed: TypedRow[],
  opts: FormatOptions,
): string[] {
  if (opts.eventFormat) {
    return [
      ...removed.map((r) => eventLine(item, r, 'removed', opts)),
      ...added.map((r) => eventLine(item, r, 'added', opts)),
    ];
  }
  const diff = new JsonObject();
  diff.add('removed', array(removed, opts.numerics));
  diff.add('added', array(added, opts.numerics));
  const obj = new JsonObject();
  obj.add('diffResults', diff.toString());
  addCommonFields(obj, item, opts);
  return [obj.toString()];
}

/**
 * Lines for a snapshot result: one batch line (even when empty), or with
 * --logger_snapshot_event_type one event line per row with action `snapshot`.
 */
export function formatSnapshot(item: LogItem, rows: TypedRow[], opts: FormatOptions): string[] {
  if (opts.snapshotEventFormat) return rows.map((r) => eventLine(item, r, 'snapshot', opts));
  const obj = new JsonObject();
  obj.add('snapshot', array(rows, opts.numerics));
  obj.addString('action', 'snapshot');
  addCommonFields(obj, item, opts);
  return [obj.toString()];
}
