// The database port: Postgres when DATABASE_URL is set, embedded PGlite in the data directory
// otherwise. Both speak the same SQL, so one set of migrations serves both.

export interface QueryOptions {
  /** Run as a named prepared statement: parsed and planned once per connection, then only bound
   * and executed. For hot statements whose parse and plan cost more than their execution. A name
   * stands for one SQL text. Ignored inside transactions on PGlite. */
  name?: string;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions): Promise<T[]>;
}

export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs fn in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a multi-statement script (migrations). */
  exec(sql: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
