// Turning query results into text the way osqueryi prints them: pretty (boxed)
// tables, JSON, and the sqlite-style line/list/csv/column modes.
//
// Every function here is pure: it takes cells already converted to text (see
// toTextRows) and returns the string to write.
import type { QueryResult, SqlValue } from '../engine/types.js';

export type Mode = 'pretty' | 'line' | 'list' | 'csv' | 'column';

/** The output settings of one shell session (flags first, then meta-commands). */
export interface PrintSettings {
  mode: Mode;
  /** --json / --json_pretty apply only while the mode is pretty. */
  json: boolean;
  jsonPretty: boolean;
  showHeader: boolean;
  separator: string;
  nullvalue: string;
  /** `.width` values for column mode (0 = automatic; negative = right-aligned). */
  colWidth: number[];
}

export function defaultSettings(): PrintSettings {
  return {
    mode: 'pretty',
    json: false,
    jsonPretty: false,
    showHeader: true,
    separator: '|',
    nullvalue: '',
    colWidth: [],
  };
}

/** A result with every cell as the text SQLite would give (null stays null = SQL NULL). */
export interface TextResult {
  columns: string[];
  rows: (string | null)[][];
}

/** How to print a REAL: SQLite's own float-to-text conversion, injected by the caller. */
export type RealToText = (n: number) => string;

/**
 * A portable approximation of SQLite's REAL-to-text conversion (`%!.15g`, widened
 * to 17 digits when 15 do not round-trip). SQLite's digit generation differs in
 * the last digit for some values, so the shell prefers asking SQLite itself.
 */
export function approximateRealText(n: number): string {
  if (Number.isNaN(n)) return '';
  if (!Number.isFinite(n)) return n > 0 ? 'Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  let exp = n.toExponential(14);
  if (Number(exp) !== n) exp = n.toExponential(16);
  const [mant = '', e = '0'] = exp.split('e');
  const digits = mant.replace(/\.?0+$/, '');
  const power = Number(e);
  if (power < -4 || power >= 17) {
    const m = digits.includes('.') ? digits : `${digits}.0`;
    const abs = Math.abs(power);
    return `${m}e${power < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
  }
  const decimals = Math.max(0, digits.replace(/^-/, '').replace('.', '').length - 1 - power);
  const fixed = n.toFixed(decimals);
  return fixed.includes('.') ? fixed : `${fixed}.0`;
}

/** One cell as text: integers in decimal, REALs as SQLite prints them, BLOBs as their bytes. */
export function cellText(v: SqlValue, isReal: boolean, realText: RealToText): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return isReal || !Number.isInteger(v) ? realText(v) : String(v);
  return Buffer.from(v).toString('utf8');
}

export function toTextResult(res: QueryResult, realText: RealToText = approximateRealText): TextResult {
  const real = res.realColumns ?? [];
  return {
    columns: res.columns,
    rows: res.rows.map((row) => row.map((v, i) => cellText(v, real[i] === true, realText))),
  };
}

/** Characters as osquery counts them for padding (UTF-8 code points). */
export function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

// ---------------------------------------------------------------------------
// pretty and JSON: osquery turns each row into a map keyed by column name, so a
// repeated column name shows the last value under every copy of that name.

type RowMap = Map<string, string>;

function rowMaps(res: TextResult, nullvalue: string): RowMap[] {
  return res.rows.map((row) => {
    const m: RowMap = new Map();
    res.columns.forEach((c, i) => {
      m.set(c, row[i] ?? nullvalue);
    });
    return m;
  });
}

/**
 * Several statements run as one input chunk print as one pretty table (or one
 * JSON array): the columns of the first statement that returned rows, and the
 * rows of all of them. This mirrors osqueryi.
 */
export class PrettyBatch {
  columns: string[] | null = null;
  rows: RowMap[] = [];

  add(res: TextResult, nullvalue: string): void {
    if (res.rows.length === 0) return;
    this.columns ??= res.columns;
    this.rows.push(...rowMaps(res, nullvalue));
  }
}

export function formatPretty(batch: PrettyBatch, nullvalue: string): string {
  const columns = batch.columns;
  if (!columns || batch.rows.length === 0) return '';
  const width = new Map<string, number>();
  for (const c of columns) width.set(c, charCount(c));
  for (const row of batch.rows) {
    for (const [c, v] of row) width.set(c, Math.max(width.get(c) ?? 0, charCount(v)));
  }
  const rule = `+${columns.map((c) => '-'.repeat((width.get(c) ?? c.length) + 2)).join('+')}+\n`;
  const pad = (text: string, col: string): string =>
    ` ${text}${' '.repeat(Math.max(0, (width.get(col) ?? 0) - charCount(text)))} `;
  const line = (cells: string[]): string => `|${cells.join('|')}|\n`;
  let out = rule + line(columns.map((c) => pad(c, c))) + rule;
  for (const row of batch.rows) out += line(columns.map((c) => pad(row.get(c) ?? nullvalue, c)));
  return out + rule;
}

/** JSON string escaping as osquery's JSON writer does it (control bytes as \u00XX, upper-case hex). */
function jsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (code >= 0x20) out += ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `${out}"`;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `[\n  {..},\n  {..}\n]\n`: one compact object per row, keys sorted, values strings. */
export function formatJson(batch: PrettyBatch): string {
  const objects = batch.rows.map((row) => {
    const keys = [...row.keys()].sort(byName);
    return `{${keys.map((k) => `${jsonString(k)}:${jsonString(row.get(k) as string)}`).join(',')}}`;
  });
  return `[\n${objects.map((o) => `  ${o}`).join(',\n')}\n]\n`;
}

/** The same data indented by two spaces; an empty result is `[]`. */
export function formatJsonPretty(batch: PrettyBatch): string {
  if (batch.rows.length === 0) return '[]\n';
  const objects = batch.rows.map((row) => {
    const keys = [...row.keys()].sort(byName);
    if (keys.length === 0) return '  {}';
    const members = keys.map((k) => `    ${jsonString(k)}: ${jsonString(row.get(k) as string)}`);
    return `  {\n${members.join(',\n')}\n  }`;
  });
  return `[\n${objects.join(',\n')}\n]\n`;
}

/** What pretty mode prints for a finished batch, honouring --json/--json_pretty. */
export function formatBatch(batch: PrettyBatch, s: PrintSettings): string {
  if (s.jsonPretty) return formatJsonPretty(batch);
  if (s.json) return formatJson(batch);
  return formatPretty(batch, s.nullvalue);
}

// ---------------------------------------------------------------------------
// The sqlite-style modes. Like sqlite's shell they measure in bytes.

const bytes = (s: string): number => Buffer.byteLength(s);

function padStartBytes(s: string, w: number): string {
  return ' '.repeat(Math.max(0, w - bytes(s))) + s;
}

/** Cut to at most `w` bytes without splitting a character, then pad to `w` bytes. */
function fitBytes(s: string, w: number, right: boolean): string {
  let cut = s;
  if (bytes(cut) > w) {
    let n = 0;
    let end = 0;
    for (const ch of s) {
      const b = bytes(ch);
      if (n + b > w) break;
      n += b;
      end += ch.length;
    }
    cut = s.slice(0, end);
  }
  const fill = ' '.repeat(Math.max(0, w - bytes(cut)));
  return right ? fill + cut : cut + fill;
}

export function formatLine(res: TextResult, s: PrintSettings): string {
  if (res.rows.length === 0) return '';
  const w = Math.max(5, ...res.columns.map(bytes));
  return res.rows
    .map((row) => res.columns.map((c, i) => `${padStartBytes(c, w)} = ${row[i] ?? s.nullvalue}\n`).join(''))
    .join('\n');
}

export function formatList(res: TextResult, s: PrintSettings): string {
  if (res.rows.length === 0) return '';
  let out = s.showHeader ? `${res.columns.join(s.separator)}\n` : '';
  for (const row of res.rows) out += `${row.map((v) => v ?? s.nullvalue).join(s.separator)}\n`;
  return out;
}

/** Whether a CSV field needs quotes: control bytes, space, quotes, non-ASCII, or the separator. */
function csvNeedsQuote(v: string, sep: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control bytes are exactly what we look for
  if (/[\x00-\x20"'\x7f-\uffff]/.test(v)) return true;
  if (sep.length === 0) return false;
  // sqlite's shell: a one-character separator anywhere, or a longer one at the start.
  return sep.length === 1 ? v.includes(sep) : v.includes(sep[0] as string) && v.startsWith(sep);
}

function csvField(v: string | null, s: PrintSettings): string {
  if (v === null) return s.nullvalue;
  return csvNeedsQuote(v, s.separator) ? `"${v.replaceAll('"', '""')}"` : v;
}

export function formatCsv(res: TextResult, s: PrintSettings): string {
  if (res.rows.length === 0) return '';
  let out = s.showHeader ? `${res.columns.map((c) => csvField(c, s)).join(s.separator)}\n` : '';
  for (const row of res.rows) out += `${row.map((v) => csvField(v, s)).join(s.separator)}\n`;
  return out;
}

/** Column widths come from `.width`, else the header (min 10) and the first row. */
export function formatColumn(res: TextResult, s: PrintSettings): string {
  if (res.rows.length === 0) return '';
  const first = res.rows[0] as (string | null)[];
  const widths = res.columns.map((c, i) => {
    const set = s.colWidth[i] ?? 0;
    if (set !== 0) return set;
    return Math.max(10, bytes(c), bytes(first[i] ?? s.nullvalue));
  });
  const line = (cells: string[]): string =>
    `${cells.map((v, i) => fitBytes(v, Math.abs(widths[i] as number), (widths[i] as number) < 0)).join('  ')}\n`;
  let out = '';
  if (s.showHeader) {
    out += line(res.columns);
    // sqlite's shell draws the underline from a fixed 93-dash string.
    out += `${widths.map((w) => fitBytes('-'.repeat(Math.min(93, Math.abs(w))), Math.abs(w), false)).join('  ')}\n`;
  }
  for (const row of res.rows) out += line(row.map((v) => v ?? s.nullvalue));
  return out;
}

/** Text for one statement's result in a non-pretty mode. */
export function formatRows(res: TextResult, s: PrintSettings): string {
  switch (s.mode) {
    case 'line':
      return formatLine(res, s);
    case 'list':
      return formatList(res, s);
    case 'csv':
      return formatCsv(res, s);
    case 'column':
      return formatColumn(res, s);
    case 'pretty': {
      const batch = new PrettyBatch();
      batch.add(res, s.nullvalue);
      return formatBatch(batch, s);
    }
  }
}
