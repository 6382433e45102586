// Shared helpers for osquery's SQL functions: what an argument looks like to C code
// that calls sqlite3_value_text/_int/_double, and how functions are declared.
//
// Every function is registered with safeIntegers, so arguments arrive as:
//   INTEGER -> bigint, REAL -> number, TEXT -> string, BLOB -> Buffer, NULL -> null.
// Results: bigint -> INTEGER, number -> REAL, string -> TEXT, Buffer -> BLOB, null -> NULL.
import { castToInteger, castToReal, realToText } from '../sqlite-text.js';

export type SqlArg = string | number | bigint | Buffer | null;
export type SqlResult = string | number | bigint | Buffer | null;

/** One scalar SQL function. `arity` is the SQL argument count, or 'any' for varargs. */
export interface ScalarFunction {
  name: string;
  arity: number | 'any';
  /** SQLITE_DETERMINISTIC (osquery marks all but sleep and carve). */
  deterministic: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: each function declares its own parameter list
  fn: (...args: any[]) => SqlResult;
}

/** An SQL error raised by a function; the message is osquery's, word for word. */
export function sqlError(message: string): Error {
  return new Error(message);
}

export type SqlType = 'null' | 'integer' | 'real' | 'text' | 'blob';

/** sqlite3_value_type() of an argument. */
export function sqlType(v: SqlArg): SqlType {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint') return 'integer';
  if (typeof v === 'number') return 'real';
  if (typeof v === 'string') return 'text';
  return 'blob';
}

/**
 * The bytes sqlite3_value_text() + sqlite3_value_bytes() give for an argument
 * (embedded NULs kept); null for NULL.
 */
export function argBytes(v: SqlArg): Buffer | null {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  if (typeof v === 'bigint') return Buffer.from(v.toString(), 'latin1');
  return Buffer.from(realToText(v), 'latin1');
}

/** The argument as C code reading sqlite3_value_text() as a C string sees it: bytes up to the first NUL. */
export function argCBytes(v: SqlArg): Buffer | null {
  const b = argBytes(v);
  if (!b) return null;
  const nul = b.indexOf(0);
  return nul < 0 ? b : b.subarray(0, nul);
}

/** argCBytes() decoded as UTF-8. */
export function argCString(v: SqlArg): string | null {
  if (typeof v === 'string') {
    const nul = v.indexOf('\0');
    return nul < 0 ? v : v.slice(0, nul);
  }
  const b = argCBytes(v);
  return b ? b.toString('utf8') : null;
}

/** sqlite3_value_int64(): text parsed by its numeric prefix, REAL truncated (clamped). */
export function argInt64(v: SqlArg): bigint {
  if (v === null || v === undefined) return 0n;
  if (typeof v === 'bigint') return v;
  return castToInteger(v);
}

/** sqlite3_value_int(): the 64-bit value cut to a C int, as SQLite's cast does. */
export function argInt(v: SqlArg): number {
  return Number(BigInt.asIntN(32, argInt64(v)));
}

/** sqlite3_value_double(): text parsed by its numeric prefix, NULL is 0.0. */
export function argDouble(v: SqlArg): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return castToReal(v);
}

/** A C `(size_t)int` index: negative values become huge, i.e. always out of range. */
export function argIndex(v: SqlArg): number {
  const i = argInt(v);
  return i < 0 ? Number.POSITIVE_INFINITY : i;
}

// osquery logs some function problems (LOG(WARNING)) instead of failing the query.
let warningSink: (message: string) => void = () => {};

/** Where function warnings go (the shell prints them on stderr, the daemon logs them). */
export function setFunctionWarningSink(sink: (message: string) => void): void {
  warningSink = sink;
}

export function warn(message: string): void {
  warningSink(message);
}
