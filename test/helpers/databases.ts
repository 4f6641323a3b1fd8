// Real databases for tests: embedded PGlite in memory, and Postgres in a schema of its own that
// is dropped afterwards, so tests never see each other's rows.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { openPglite } from '../../src/store/pglite-db.ts';
import { openPostgres } from '../../src/store/postgres-db.ts';

export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDb {
  db: Db;
  /** A connection string that lands in the same schema (for a second process or pool). */
  url: string | undefined;
  drop(): Promise<void>;
}

export async function pgliteDb(): Promise<TestDb> {
  const db = await openPglite('memory://');
  await migrate(db);
  return { db, url: undefined, drop: () => db.close() };
}

export async function postgresDb(): Promise<TestDb> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const db = await openPostgres(url, { max: 5 });
  await migrate(db);
  return {
    db,
    url,
    drop: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

/** Both engines, for suites that must pass on each. */
export const ENGINES = [
  { name: 'pglite', open: pgliteDb },
  { name: 'postgres', open: postgresDb },
] as const;

/** A real database failure for chosen deliveries: a trigger that raises for delivery ids starting
 * with "poison" (SQLSTATE 22023), for the tests of how intake answers a refused write. */
export const POISON_TRIGGER = `
  create function reject_poison() returns trigger language plpgsql as $$
  begin
    if new.delivery_id like 'poison%' then
      raise exception 'poisoned delivery %', new.delivery_id using errcode = '22023';
    end if;
    return new;
  end $$;
  create trigger deliveries_poison before insert on deliveries for each row execute function reject_poison();`;
