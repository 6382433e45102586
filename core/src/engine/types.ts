// What the shell and daemon see of the SQL engine, wherever the SQL runs (this
// thread or a worker thread).

/** A cell as the engine returns it: SQLite's storage classes mapped to JS. */
export type SqlValue = string | number | bigint | Buffer | null;

export interface QueryResult {
  /** Result column names, in select order (duplicates kept). */
  columns: string[];
  /**
   * Result column types as osquery reports them through getQueryColumns
   * (TEXT, INTEGER, BIGINT, DOUBLE, BLOB, UNKNOWN) when known.
   */
  types: string[];
  /** Row-major cells. INTEGER cells are numbers when safe, else bigint; REAL cells are numbers. */
  rows: SqlValue[][];
  /** Which cells are REAL (double) per column index, for printing `1.0` as SQLite does. */
  realColumns?: boolean[];
}

export interface TableInfo {
  name: string;
  /** `CREATE TABLE ...` as osqueryi's `.schema` prints it. */
  schema: string;
  columns: { name: string; type: string; hidden: boolean }[];
}

export interface SqlEngine {
  /** Run one or more statements; the result is that of the last one returning rows. */
  query(sql: string): Promise<QueryResult>;
  /** The column names and declared types of a query without running it. */
  columns(sql: string): Promise<{ name: string; type: string }[]>;
  /** Every table the engine serves, sorted by name. */
  tables(): TableInfo[];
  /** Publish a snapshot that tables on every SQL thread can read (see thread/shared-state.ts). */
  publish(topic: string, value: unknown): void;
  close(): Promise<void>;
}
