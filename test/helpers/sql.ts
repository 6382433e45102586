// Run SQL through the real engine (the native vtab module inside better-sqlite3),
// in this process, and get rows back as objects keyed by column name.
import { openEngine } from '@osq/core/engine/engine';
import type { SqlEngine, SqlValue } from '@osq/core/engine/types';

let engine: Promise<SqlEngine> | undefined;

function shared(): Promise<SqlEngine> {
  engine ??= openEngine({ thread: 'inline' });
  return engine;
}

export type ResultRow = Record<string, SqlValue>;

export async function query(sql: string): Promise<ResultRow[]> {
  const res = await (await shared()).query(sql);
  return res.rows.map((cells) => Object.fromEntries(res.columns.map((c, i) => [c, cells[i] ?? null])));
}

/** Expect the query to fail; returns the error message. */
export async function queryError(sql: string): Promise<string> {
  try {
    await query(sql);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`query was expected to fail: ${sql}`);
}
