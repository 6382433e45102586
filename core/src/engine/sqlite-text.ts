// SQLite's own conversions between numbers and text, done by a private in-memory
// connection opened on first use, so values render and parse exactly as SQLite does:
// 1.0 -> "1.0", 1.0/3 -> "0.33333333333333332", ' 12abc' -> 12. SQLite's digit
// generation rounds differently from JavaScript's, so it cannot be imitated cheaply.
import Database from 'better-sqlite3';

let castText: Database.Statement | undefined;
let castInt: Database.Statement | undefined;
let castReal: Database.Statement | undefined;

function open(): void {
  const db = new Database(':memory:');
  castText = db.prepare('SELECT CAST(? AS TEXT)').pluck();
  castInt = db.prepare('SELECT CAST(? AS INTEGER)').pluck().safeIntegers(true);
  castReal = db.prepare('SELECT CAST(? AS REAL)').pluck();
}

/** SQLite's text for a REAL value. */
export function realToText(x: number): string {
  if (!castText) open();
  return castText?.get(x) as string;
}

/** CAST(v AS INTEGER), as a bigint. */
export function castToInteger(v: unknown): bigint {
  if (!castInt) open();
  return castInt?.get(v) as bigint;
}

/** CAST(v AS REAL). */
export function castToReal(v: unknown): number {
  if (!castReal) open();
  return castReal?.get(v) as number;
}
