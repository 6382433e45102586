// One SQLite connection (better-sqlite3, in memory) with osquery's tables, functions,
// collations and authorizer. Synchronous: the engine decides on which thread it runs.
import Database from 'better-sqlite3';
import type { Table } from '../tables/framework.js';

import { registerFunctions } from './functions/index.js';

import { addonPath, entryPoint } from './native.js';
import type { QueryResult, SqlValue } from './types.js';
import { bindTable, ensureDispatcher } from './vtab.js';

/** Turn SQLite's terse messages into ones that say what osq allows. */
function explain(e: unknown): Error {
  if (!(e instanceof Error)) return new Error(String(e));
  const ro = /^table (\S+) may not be modified$/.exec(e.message);
  if (ro) {
    return new Error(
      `table ${ro[1]} is read-only: osq tables cannot be modified by INSERT, UPDATE or DELETE`,
    );
  }
  if (e.message === 'not authorized') {
    return new Error(
      'not authorized: osq denies ATTACH, DETACH, PRAGMAs other than table_info, table_xinfo, ' +
        'function_list, journal_mode, case_sensitive_like, collation_list, and other statements that could ' +
        'touch the filesystem',
    );
  }
  return e;
}

export class Connection {
  readonly db: Database.Database;

  constructor(tables: readonly Table[]) {
    ensureDispatcher();
    for (const t of tables) bindTable(t);
    this.db = new Database(':memory:');
    registerFunctions(this.db);
    // Loads our module into this connection: tables, collations, DQS, authorizer.
    // (better-sqlite3 takes an entry point; its typings only declare the path.)
    (this.db.loadExtension as (path: string, entry: string) => unknown).call(this.db, addonPath, entryPoint);
    for (const t of tables) {
      for (const alias of t.aliases ?? []) {
        this.db.exec(`CREATE VIEW \`${alias}\` AS SELECT * FROM \`${t.name}\``);
      }
    }
  }

  /** Create (or drop) the views that serve a table's aliases, for a table added (or removed) later. */
  setAliasViews(table: Table, present: boolean): void {
    for (const alias of table.aliases ?? []) {
      this.db.exec(
        present
          ? `CREATE VIEW IF NOT EXISTS \`${alias}\` AS SELECT * FROM \`${table.name}\``
          : `DROP VIEW IF EXISTS \`${alias}\``,
      );
    }
  }

  /** Run one statement and return its rows (none for statements that return no data). */
  query(sql: string): QueryResult {
    try {
      const stmt = this.db.prepare(sql);
      if (!stmt.reader) {
        stmt.run();
        return { columns: [], types: [], rows: [] };
      }
      stmt.raw(true);
      stmt.safeIntegers(true); // integers arrive as bigint, REALs as number: we can tell them apart
      const meta = stmt.columns();
      const realColumns = meta.map(() => false);
      const rows = stmt.all() as SqlValue[][];
      for (const row of rows) {
        for (let i = 0; i < row.length; i++) {
          const v = row[i];
          if (typeof v === 'bigint') {
            if (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER))
              row[i] = Number(v);
          } else if (typeof v === 'number') {
            realColumns[i] = true;
          }
        }
      }
      return {
        columns: meta.map((c) => c.name),
        types: meta.map((c) => (c.type ?? 'UNKNOWN').toUpperCase()),
        rows,
        realColumns,
      };
    } catch (e) {
      throw explain(e);
    }
  }

  /** Column names and declared types of a statement, without running it. */
  columns(sql: string): { name: string; type: string }[] {
    try {
      const stmt = this.db.prepare(sql);
      if (!stmt.reader) return [];
      return stmt.columns().map((c) => ({ name: c.name, type: (c.type ?? 'UNKNOWN').toUpperCase() }));
    } catch (e) {
      throw explain(e);
    }
  }

  close(): void {
    this.db.close();
  }
}
