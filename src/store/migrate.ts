// Applies src/store/migrations/NNN-name.sql in order, once each, on Postgres and PGlite alike.
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
// Any constant works; it only has to be the same for every tracefix process on one database.
const ADVISORY_LOCK = 7_330_001;

export async function listMigrations(): Promise<{ name: string; sql: string }[]> {
  const files = (await fs.readdir(MIGRATIONS_DIR)).filter((f) => /^\d{3}-[\w-]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (name) => ({ name, sql: await fs.readFile(path.join(MIGRATIONS_DIR, name), 'utf8') })),
  );
}

/** Returns the names of the migrations applied by this call. */
export async function migrate(db: Db): Promise<string[]> {
  const migrations = await listMigrations();
  return db.transaction(async (tx) => {
    // Serve and worker may start together against one Postgres: serialize their migrations.
    await tx.query('select pg_advisory_xact_lock($1)', [ADVISORY_LOCK]);
    await tx.query(
      'create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())',
    );
    const done = new Set((await tx.query<{ name: string }>('select name from schema_migrations')).map((r) => r.name));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('insert into schema_migrations (name) values ($1)', [m.name]);
      applied.push(m.name);
    }
    return applied;
  });
}

/** Splits a migration into statements: `query` takes one statement at a time in a transaction.
 * Migrations must not put semicolons inside string literals or bodies ($$ blocks are kept whole). */
export function splitStatements(sql: string): string[] {
  const withoutComments = sql.replace(/--[^\n]*/g, '');
  const parts: string[] = [];
  let current = '';
  let inDollar = false;
  for (const piece of withoutComments.split(/(\$\$|;)/)) {
    if (piece === '$$') inDollar = !inDollar;
    if (piece === ';' && !inDollar) {
      if (current.trim()) parts.push(current.trim());
      current = '';
    } else {
      current += piece;
    }
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}
