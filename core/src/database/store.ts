// The daemon's backing store: osquery's key-value domains (osquery uses RocksDB) kept
// in one SQLite file, <database_path>/osq.sqlite.
//
//   const store = BackingStore.open(flags.database_path); // or BackingStore.memory()
//   store.get('queries', 'users') / put / delete / scan('queries', 'query.')
//   store.transaction(() => { ...several puts, outbox.enqueue(...)... })   // all or nothing
//   store.close()
//
// Durability: WAL journal with synchronous=FULL. A transaction that returned is in
// the WAL and fsync'ed, so neither kill -9 nor a power cut loses it; an interrupted
// one leaves no trace. (NORMAL would already survive kill -9, since the WAL write
// happens before commit returns, but not a power cut; the daemon commits a handful
// of times per scheduled query, so the extra fsync is cheap.)
//
// This is a plain better-sqlite3 connection: the SQL engine's authorizer and
// virtual tables live on the query connections only.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** osquery's backing-store domains (osquery/database/database.cpp). */
export const DOMAINS = [
  'configurations',
  'queries',
  'events',
  'logs',
  'carves',
  'distributed',
  'distributed_running',
  'query_performance',
] as const;
export type Domain = (typeof DOMAINS)[number];

/** The file inside --database_path that holds everything. */
export const STORE_FILE = 'osq.sqlite';

const SCHEMA_VERSION = 1;

export class BackingStore {
  /** The underlying connection (the outbox keeps its tables here too). */
  readonly db: Database.Database;
  /** Where the data lives: the SQLite file, or ':memory:'. */
  readonly location: string;

  private readonly stmts: {
    get: Database.Statement;
    put: Database.Statement;
    del: Database.Statement;
    scan: Database.Statement;
  };

  private constructor(db: Database.Database, location: string) {
    this.db = db;
    this.location = location;
    db.pragma('busy_timeout = 5000');
    db.exec(
      `CREATE TABLE IF NOT EXISTS kv (
         domain TEXT NOT NULL,
         key TEXT NOT NULL,
         value TEXT NOT NULL,
         PRIMARY KEY (domain, key)
       ) WITHOUT ROWID`,
    );
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version === 0) db.pragma(`user_version = ${SCHEMA_VERSION}`);
    else if (version > SCHEMA_VERSION) {
      throw new Error(`${location}: written by a newer osq (schema ${version} > ${SCHEMA_VERSION})`);
    }
    this.stmts = {
      get: db.prepare('SELECT value FROM kv WHERE domain = ? AND key = ?').pluck(),
      put: db.prepare('INSERT OR REPLACE INTO kv (domain, key, value) VALUES (?, ?, ?)'),
      del: db.prepare('DELETE FROM kv WHERE domain = ? AND key = ?'),
      // Keys from `prefix` on, in byte order (BINARY collation = memcmp of UTF-8).
      scan: db.prepare('SELECT key, value FROM kv WHERE domain = ? AND key >= ? ORDER BY key').raw(true),
    };
  }

  /**
   * Open (creating if needed) the store in the directory `databasePath`
   * (osquery's --database_path names a RocksDB directory; ours holds osq.sqlite).
   * Throws when the directory or database cannot be used: the daemon then exits 78.
   */
  static open(databasePath: string): BackingStore {
    const dir = path.resolve(databasePath);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!fs.statSync(dir).isDirectory()) throw new Error(`${dir}: --database_path is not a directory`);
    const file = path.join(dir, STORE_FILE);
    // Create the file private before SQLite does; its -wal and -shm files copy the mode.
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      return new BackingStore(db, file);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** A store that lives in memory only (--disable_database). */
  static memory(): BackingStore {
    return new BackingStore(new Database(':memory:'), ':memory:');
  }

  get(domain: Domain, key: string): string | undefined {
    return this.stmts.get.get(domain, key) as string | undefined;
  }

  put(domain: Domain, key: string, value: string): void {
    this.stmts.put.run(domain, key, value);
  }

  delete(domain: Domain, key: string): void {
    this.stmts.del.run(domain, key);
  }

  /** Every key in the domain starting with `prefix` (all keys for ''), in byte order. */
  scan(domain: Domain, prefix = ''): { key: string; value: string }[] {
    const out: { key: string; value: string }[] = [];
    for (const row of this.stmts.scan.iterate(domain, prefix) as IterableIterator<[string, string]>) {
      if (!row[0].startsWith(prefix)) break; // past the prefix range: stop reading
      out.push({ key: row[0], value: row[1] });
    }
    return out;
  }

  /** Keys only (osquery's scanDatabaseKeys). */
  keys(domain: Domain, prefix = ''): string[] {
    return this.scan(domain, prefix).map((e) => e.key);
  }

  /**
   * Run `fn` atomically: everything it writes commits together or not at all (an
   * exception rolls back and is rethrown). Nested calls become savepoints.
   * `fn` must be synchronous.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
