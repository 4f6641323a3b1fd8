// One server under load, alone in a child process as it would be deployed, so the load generator
// (autocannon, in the parent) does not share its event loop.
//   bare      Fastify with the same raw-body parser and one POST route answering 202
//   ceiling   the bare app whose route also does intake's own work before the durable write:
//             the Sentry source's signature check and parse (JSON, validation, normalization to
//             an Alert, its fingerprint), then 202; nothing is stored and nothing is logged. What
//             no store can beat: the share of the bare route's throughput left for storing.
//   pglite    tracefix (buildApp) on embedded PGlite in a fresh temporary data directory
//   postgres  tracefix (buildApp) on Postgres, in a fresh schema that is dropped at the end
// Both tracefix targets open the database the way `tracefix serve` does (openDatabase: production
// pool size, migrations) and log at info through pino, synchronously, to /dev/null.
// IPC protocol (child_process.fork): the child sends { type: 'listening', port }; the parent sends
// { type: 'deliveryIds' } / { type: 'stats' } / { type: 'close' } and gets one answer each.
// Stats: this process's CPU, the number of batch writes (named statements: intake's group commit),
// and on Postgres the CPU its backends used (read from /proc; the server is on this machine).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import type { Delivery } from '../../src/intake/types.ts';
import { buildApp } from '../../src/server/app.ts';
import type { AppDeps } from '../../src/server/deps.ts';
import { acceptRawBodies } from '../../src/server/raw-body.ts';
import { WEBHOOK_SOURCES } from '../../src/intake/webhook-sources.ts';
import type { Db } from '../../src/store/db.ts';
import { alertColumns } from '../../src/store/incident-store.ts';
import { openDatabase } from '../../src/store/open-db.ts';
import { createLogger } from '../../src/telemetry.ts';
import { POSTGRES_URL } from '../../test/helpers/databases.ts';
import { BENCH_SENTRY_SECRET } from './sentry-deliveries.ts';

export type IntakeTarget = 'bare' | 'ceiling' | 'pglite' | 'postgres';

export type ParentMessage = { type: 'deliveryIds' } | { type: 'stats' } | { type: 'close' };
export type ChildMessage =
  | { type: 'listening'; port: number }
  | { type: 'deliveryIds'; ids: string[] }
  | { type: 'stats'; cpuMs: number; rssMb: number; batchWrites: number; databaseCpuMs?: number }
  | { type: 'closed' }
  | { type: 'failed'; message: string };

const BODY_LIMIT = 1024 * 1024;

interface Running {
  app: FastifyInstance;
  db?: Db;
  /** Batch writes so far. */
  writes(): number;
  /** CPU time of this server's Postgres backends so far, when it can be read. */
  databaseCpuMs?(): Promise<number | undefined>;
  cleanup(): Promise<void>;
}

const APPLICATION_NAME = `tracefix-bench-intake-${process.pid}`;

/** utime + stime of the Postgres backends serving this process, from /proc (clock ticks of 10 ms).
 * The pool closes clients idle for 10 s, and an exited backend's CPU can no longer be read; so the
 * backends are sampled every half second and each one's last reading is kept: a backend that exits
 * loses at most its last half second. */
function trackBackendCpu(db: Db): { read(): Promise<number | undefined>; stop(): void } {
  const lastTicks = new Map<number, number>();
  const sample = async () => {
    const rows = await db.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [APPLICATION_NAME]);
    for (const { pid } of rows) {
      try {
        const fields = (await fs.readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
        const ticks = Number(fields[11]) + Number(fields[12]);
        if (Number.isFinite(ticks)) lastTicks.set(pid, ticks);
      } catch {
        // The backend just exited (its last sample stands), or Postgres is on another machine
        // (nothing is ever read, and the CPU is reported as unknown).
      }
    }
  };
  const timer = setInterval(() => void sample().catch(() => undefined), 500);
  timer.unref();
  return {
    async read() {
      await sample();
      if (lastTicks.size === 0) return undefined;
      return [...lastTicks.values()].reduce((a, b) => a + b, 0) * 10;
    },
    stop: () => clearInterval(timer),
  };
}

async function bare(): Promise<Running> {
  const app = Fastify({ bodyLimit: BODY_LIMIT });
  acceptRawBodies(app, BODY_LIMIT);
  app.post('/webhooks/sentry', (_request, reply) => reply.code(202).send({ status: 'accepted' }));
  return { app, writes: () => 0, cleanup: async () => undefined };
}

async function ceiling(): Promise<Running> {
  const config = loadConfig({ TRACEFIX_SENTRY_CLIENT_SECRET: BENCH_SENTRY_SECRET });
  const sentry = WEBHOOK_SOURCES.find((s) => s.name === 'sentry');
  if (!sentry) throw new Error('no sentry webhook source');
  const app = Fastify({ bodyLimit: BODY_LIMIT });
  acceptRawBodies(app, BODY_LIMIT);
  app.post('/webhooks/sentry', async (request, reply) => {
    const delivery: Delivery = { raw: request.body as Buffer, headers: request.headers, receivedAt: new Date() };
    const denied = sentry.authenticate(delivery, config, {});
    if (denied) return reply.code(401).send({ error: denied });
    // The parser needs no dependency for event_alert deliveries (only `issue` fetches through the API).
    const outcome = await sentry.parse(delivery, { config } as AppDeps);
    if (outcome.kind !== 'alert') return reply.code(200).send({ deliveryId: outcome.deliveryId, status: 'ignored' });
    const { fingerprint } = alertColumns(outcome.alert);
    return reply.code(202).send({ deliveryId: outcome.alert.deliveryId, status: 'accepted', fingerprint });
  });
  return { app, writes: () => 0, cleanup: async () => undefined };
}

async function tracefix(target: 'pglite' | 'postgres'): Promise<Running> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tracefix-bench-intake-'));
  let databaseUrl: string | undefined;
  let dropSchema = async () => undefined as void;
  if (target === 'postgres') {
    const schema = `bench_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    databaseUrl =
      `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}` +
      `&application_name=${APPLICATION_NAME}`;
    dropSchema = async () => {
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    };
  }
  const config = loadConfig({
    LOG_LEVEL: 'info',
    TRACEFIX_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    TRACEFIX_SENTRY_CLIENT_SECRET: BENCH_SENTRY_SECRET,
  });
  const log = createLogger(config, pino.destination({ dest: '/dev/null', sync: true }));
  const db = await openDatabase(config);
  // Counts intake's batch writes (its one named statement) as they pass; nothing else changes.
  let writes = 0;
  const counted: Db = {
    ...db,
    query: (sql, params, options) => {
      if (options?.name) writes++;
      return db.query(sql, params, options);
    },
  };
  // No onIncidentCreated: the outbox row written in the same transaction is the durable hand-off;
  // draining it into Redis is the dispatcher's job, not intake's.
  const app = await buildApp({ config, log, db: counted });
  const backends = target === 'postgres' ? trackBackendCpu(db) : undefined;
  return {
    app,
    db,
    writes: () => writes,
    ...(backends ? { databaseCpuMs: () => backends.read() } : {}),
    cleanup: async () => {
      backends?.stop();
      await db.close();
      await dropSchema();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function main(target: IntakeTarget): Promise<void> {
  const send = (message: ChildMessage) => process.send?.(message);
  const running = target === 'bare' ? await bare() : target === 'ceiling' ? await ceiling() : await tracefix(target);
  await running.app.listen({ host: '127.0.0.1', port: 0 });
  const address = running.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  const cpuStart = process.cpuUsage();
  process.on('message', (message: ParentMessage) => {
    void (async () => {
      try {
        if (message.type === 'deliveryIds') {
          const rows = running.db
            ? await running.db.query<{ delivery_id: string }>("select delivery_id from deliveries where source = 'sentry'")
            : [];
          send({ type: 'deliveryIds', ids: rows.map((r) => r.delivery_id) });
        } else if (message.type === 'stats') {
          const used = process.cpuUsage(cpuStart);
          const databaseCpuMs = await running.databaseCpuMs?.();
          send({
            type: 'stats',
            cpuMs: (used.user + used.system) / 1000,
            rssMb: process.memoryUsage.rss() / 2 ** 20,
            batchWrites: running.writes(),
            ...(databaseCpuMs === undefined ? {} : { databaseCpuMs }),
          });
        } else if (message.type === 'close') {
          await running.app.close();
          await running.cleanup();
          send({ type: 'closed' });
          process.disconnect?.();
        }
      } catch (error) {
        send({ type: 'failed', message: (error as Error).message });
      }
    })();
  });
  send({ type: 'listening', port: address.port });
}

if (import.meta.main) {
  const target = process.argv[2] as IntakeTarget;
  main(target).catch((error: unknown) => {
    process.send?.({ type: 'failed', message: (error as Error).stack ?? String(error) } satisfies ChildMessage);
    process.exitCode = 1;
    process.disconnect?.();
  });
}
