// Typed result rows as osquery's scheduler handles them (RowTyped: a std::map from
// column name to long long / double / string): conversion from the engine's result
// set, escaping of non-printable bytes, byte-order keys and osquery's row ordering.
import type { SqlValue } from '../engine/types.js';
import { compareBytes } from '../lib/bytes.js';
import { type Cell, jsonCell, jsonString, parseTypedJson } from './json.js';

/** One row: [column, cell] pairs sorted by column name in byte order (unique names). */
export type TypedRow = [string, Cell][];

/** What the engine returns for a query (QueryResult without the declared types). */
export interface ResultSet {
  columns: string[];
  /** Row-major cells; INTEGER as number/bigint, REAL as number, TEXT as string, BLOB as Buffer. */
  rows: SqlValue[][];
  /** Which columns hold REAL values; without it, integral numbers count as INTEGER. */
  realColumns?: boolean[];
}

/**
 * A string as osquery reads it with sqlite3_column_text into a std::string built
 * from a C string: everything from the first NUL byte on is lost.
 */
function cText(s: string): string {
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
}

/** A BLOB read as text: up to the first NUL byte, kept as raw bytes. */
function cBytes(b: Buffer): Buffer {
  const z = b.indexOf(0);
  return z < 0 ? b : b.subarray(0, z);
}

/** A cell before escaping: text may still be raw bytes (a BLOB). */
type RawCell = Cell | Buffer;
type RawRow = [string, RawCell][];

function toRawRows(rs: ResultSet, nullValue: string): RawRow[] {
  return rs.rows.map((cells) => {
    // std::map semantics: a repeated column name keeps the last value.
    const byName = new Map<string, RawCell>();
    rs.columns.forEach((name, i) => {
      const v = cells[i] ?? null;
      let cell: RawCell;
      if (v === null) cell = nullValue;
      else if (typeof v === 'bigint') cell = v;
      else if (typeof v === 'number') {
        const real = rs.realColumns ? rs.realColumns[i] === true : !Number.isInteger(v);
        cell = real ? v : BigInt(v);
      } else if (Buffer.isBuffer(v)) cell = cBytes(v);
      else cell = cText(v);
      byName.set(name, cell);
    });
    return [...byName].sort((a, b) => compareBytes(a[0], b[0]));
  });
}

/** Rows with text taken verbatim (snapshot queries are not escaped). */
export function typedRows(rs: ResultSet, nullValue = ''): TypedRow[] {
  return toRawRows(rs, nullValue).map((row) =>
    row.map(([k, v]): [string, Cell] => [k, Buffer.isBuffer(v) ? v.toString('utf8') : v]),
  );
}

/** Rows with every text cell escaped (what differential queries compare, store and log). */
export function escapedRows(rs: ResultSet, nullValue = ''): TypedRow[] {
  return toRawRows(rs, nullValue).map((row) =>
    row.map(([k, v]): [string, Cell] => [
      k,
      Buffer.isBuffer(v) ? escapeBytes(v) : typeof v === 'string' ? escapeText(v) : v,
    ]),
  );
}

const HEX = '0123456789ABCDEF';
const hexByte = (b: number): string => `\\x${HEX[b >> 4]}${HEX[b & 15]}`;

/**
 * osquery's escapeNonPrintableBytes for text that is already valid Unicode: each
 * code unit below 0x20 becomes the four characters `\xHH` (uppercase hex).
 * (Lone surrogates cannot come out of SQLite; if present they stay as they are and
 * become U+FFFD when written out as UTF-8.)
 */
export function escapeText(s: string): string {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) >= 0x20) i++;
  if (i === s.length) return s;
  let out = s.slice(0, i);
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c < 0x20 ? hexByte(c) : s[i];
  }
  return out;
}

/** Length of the UTF-8 sequence a lead byte announces, 0 if it cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead < 0xc2) return 0; // continuation byte or overlong 2-byte lead
  if (lead < 0xe0) return 2;
  if (lead < 0xf0) return 3;
  if (lead < 0xf5) return 4;
  return 0;
}

/** Whether bytes[i..i+len) is a well-formed UTF-8 sequence (RFC 3629). */
function validSequence(bytes: Buffer, i: number, len: number): boolean {
  if (i + len > bytes.length) return false;
  for (let j = 1; j < len; j++) if (((bytes[i + j] as number) & 0xc0) !== 0x80) return false;
  const b0 = bytes[i] as number;
  const b1 = bytes[i + 1] as number;
  if (len === 3 && ((b0 === 0xe0 && b1 < 0xa0) || (b0 === 0xed && b1 >= 0xa0))) return false;
  if (len === 4 && ((b0 === 0xf0 && b1 < 0x90) || (b0 === 0xf4 && b1 >= 0x90))) return false;
  return true;
}

/**
 * osquery's escapeNonPrintableBytes on raw bytes: bytes below 0x20 and bytes that
 * are not part of a well-formed UTF-8 sequence become `\xHH`; valid sequences pass.
 */
export function escapeBytes(bytes: Buffer): string {
  let out = '';
  let start = 0; // start of the current run of bytes copied verbatim
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b >= 0x20 && b < 0x80) {
      i++;
      continue;
    }
    const len = b < 0x20 ? 0 : sequenceLength(b);
    if (len >= 2 && validSequence(bytes, i, len)) {
      i += len;
      continue;
    }
    out += bytes.toString('utf8', start, i) + hexByte(b);
    i++;
    start = i;
  }
  return out + bytes.toString('utf8', start, bytes.length);
}

/** The row as a JSON object with typed values: the stored form and the diff identity. */
export function rowJson(row: TypedRow): string {
  let out = '{';
  for (let i = 0; i < row.length; i++) {
    const [k, v] = row[i] as [string, Cell];
    out += `${i > 0 ? ',' : ''}${jsonString(k)}:${jsonCell(v)}`;
  }
  return out + '}';
}

/** Parse a stored JSON array of rows back into typed rows. */
export function parseRows(text: string): TypedRow[] {
  const v = parseTypedJson(text);
  if (!Array.isArray(v)) throw new Error('stored results are not a JSON array');
  return v.map((item) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new Error('stored result row is not a JSON object');
    }
    const row: TypedRow = item.members.map(([k, cell]): [string, Cell] => {
      if (typeof cell === 'bigint' || typeof cell === 'number' || typeof cell === 'string') return [k, cell];
      // Not written by us; keep whatever it was as text.
      return [k, String(cell)];
    });
    return row.sort((a, b) => compareBytes(a[0], b[0]));
  });
}

/** Variant order of RowData (long long < double < string), then the value. */
function compareCells(a: Cell, b: Cell): number {
  const rank = (c: Cell): number => (typeof c === 'bigint' ? 0 : typeof c === 'number' ? 1 : 2);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'string') return compareBytes(a, b as string);
  const y = b as bigint | number;
  return a < y ? -1 : a > y ? 1 : 0;
}

/** std::map<std::string, RowData> operator<: lexicographic over (name, value) pairs. */
export function compareRows(a: TypedRow, b: TypedRow): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const [ka, va] = a[i] as [string, Cell];
    const [kb, vb] = b[i] as [string, Cell];
    const k = compareBytes(ka, kb);
    if (k !== 0) return k;
    const v = compareCells(va, vb);
    if (v !== 0) return v;
  }
  return a.length - b.length;
}
