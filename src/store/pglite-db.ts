import fs from 'node:fs/promises';
import path from 'node:path';
import { parse, PGlite, protocol } from '@electric-sql/pglite';
import type { Db, Queryable, QueryOptions } from './db.ts';

/** Embedded Postgres (WASM) in `<dataDir>/pglite`, or in memory when dataDir is 'memory://'. */
export async function openPglite(dataDir: string): Promise<Db> {
  let pg: PGlite;
  if (dataDir === 'memory://') {
    pg = new PGlite();
  } else {
    const dir = path.join(dataDir, 'pglite');
    await fs.mkdir(dir, { recursive: true });
    pg = new PGlite(dir);
  }
  await pg.waitReady;
  const prepared = preparedStatements(pg);
  const wrap = (q: Pick<PGlite, 'query'>): Queryable => ({
    async query<T>(sql: string, params: unknown[] = []) {
      const result = await q.query<T>(sql, params);
      return result.rows;
    },
  });
  return {
    kind: 'pglite',
    async query<T>(sql: string, params: unknown[] = [], options: QueryOptions = {}) {
      if (options.name) return prepared.run<T>(options.name, sql, params);
      const result = await pg.query<T>(sql, params);
      return result.rows;
    },
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    exec: async (sql) => {
      await pg.exec(sql);
    },
    ping: async () => {
      await pg.query('select 1');
    },
    close: () => pg.close(),
  };
}

/**
 * Named prepared statements, which PGlite's query() does not offer: it parses, describes and plans
 * every statement on every call, in WASM, and for a statement like intake's batch write that is
 * half the cost of running it. This speaks the extended protocol as query() does (bind, describe,
 * execute, sync) against a statement parsed once per name. It takes the same two locks query()
 * takes, so it never runs inside another caller's transaction on the one PGlite session.
 * Parameters are sent as text: strings as they are, objects as JSON, the rest through String().
 */
function preparedStatements(pg: PGlite) {
  const { serialize } = protocol;
  const parsed = new Set<string>();
  const text = (value: unknown): string | null => {
    if (value === null || value === undefined) return null;
    if (typeof value === 'string') return value;
    if (value instanceof Date) return value.toISOString();
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  };
  const send = async (message: Uint8Array) => pg.execProtocolStream(message, { syncToFs: false });
  return {
    run<T>(name: string, sql: string, params: unknown[]): Promise<T[]> {
      return pg._runExclusiveTransaction(() =>
        pg._runExclusiveQuery(async () => {
          const messages = [];
          try {
            if (!parsed.has(name)) {
              messages.push(...(await send(serialize.parse({ name, text: sql, types: [] }))));
              parsed.add(name);
            }
            messages.push(...(await send(bindMessage(name, params.map(text)))));
            messages.push(...(await send(serialize.describe({ type: 'P' }))));
            messages.push(...(await send(serialize.execute({}))));
          } catch (error) {
            // 26000: the session lost the statement (DEALLOCATE): parse it again next time.
            if ((error as { code?: string }).code === '26000') parsed.delete(name);
            throw error;
          } finally {
            // After an error the backend skips everything up to Sync; Sync ends the implicit transaction.
            messages.push(...(await send(serialize.sync())));
          }
          await pg.syncToFs();
          return (parse.parseResults(messages, pg.parsers)[0]?.rows ?? []) as T[];
        }),
      );
    },
  };
}

/**
 * A Bind message for the unnamed portal, every parameter and result in text format. PGlite's
 * serializer measures each string's UTF-8 length with a JavaScript loop over its characters, twice,
 * and copies it three times; for intake's batch write (one JSON document of tens of kB) that cost
 * more than the database's work. Here Node encodes each string once, natively.
 */
export function bindMessage(statement: string, values: readonly (string | null)[]): Uint8Array {
  let length = 4 + 1 + Buffer.byteLength(statement) + 1 + 2 + 2 + 2;
  const sizes = values.map((v) => (v === null ? -1 : Buffer.byteLength(v)));
  for (const size of sizes) length += 4 + Math.max(0, size);
  // Its own memory, not a slice of Node's shared pool: PGlite copies the bytes into WASM from here.
  const out = Buffer.allocUnsafeSlow(1 + length);
  let at = out.writeUInt8(0x42, 0); // 'B'
  at = out.writeInt32BE(length, at);
  at = out.writeUInt8(0, at); // unnamed portal
  at += out.write(statement, at, 'utf8');
  at = out.writeUInt8(0, at);
  at = out.writeInt16BE(0, at); // no format codes: all parameters are text
  at = out.writeInt16BE(values.length, at);
  values.forEach((value, i) => {
    const size = sizes[i] as number;
    at = out.writeInt32BE(size, at);
    if (value !== null) at += out.write(value, at, 'utf8');
  });
  out.writeInt16BE(0, at); // no format codes: all result columns are text
  return out;
}
