// What `serve` and `worker` share: config, logger, telemetry, database, Redis, queues and the
// outbox dispatcher, plus one shutdown path that closes them in reverse order.
import fs from 'node:fs/promises';
import type { Redis } from 'ioredis';
import { loadConfig, type Config } from '../config.ts';
import { createProducerConnection } from '../queue/connection.ts';
import { OutboxDispatcher } from '../queue/outbox-dispatcher.ts';
import { createQueues, type Queues } from '../queue/producers.ts';
import type { Db } from '../store/db.ts';
import { openDatabase } from '../store/open-db.ts';
import { createLogger, startTelemetry, type Logger } from '../telemetry.ts';

const CLOSE_DEADLINE_MS = 5000;

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not close within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

export interface Runtime {
  config: Config;
  log: Logger;
  db: Db;
  redis: Redis;
  queues: Queues;
  dispatcher: OutboxDispatcher;
  /** Registers a closer; closers run in reverse order on shutdown. */
  onShutdown(close: () => Promise<unknown>): void;
  /** Resolves when SIGINT/SIGTERM arrives and everything is closed. */
  untilShutdown(): Promise<void>;
}

export async function startRuntime(role: 'serve' | 'worker'): Promise<Runtime> {
  const config = loadConfig();
  const log = createLogger(config).child({ role });
  const telemetry = await startTelemetry(config, log);
  await fs.mkdir(config.dataDir, { recursive: true });
  const db = await openDatabase(config);
  log.info({ database: db.kind, dataDir: config.dataDir }, 'Database ready');
  const redis = createProducerConnection(config.redisUrl);
  const queues = createQueues(redis, config.queuePrefix);
  const dispatcher = new OutboxDispatcher({ db, queues, log, intervalMs: config.outbox.intervalMs });

  const closers: (() => Promise<unknown>)[] = [
    () => telemetry.shutdown(),
    () => db.close(),
    () => redis.quit().catch(() => redis.disconnect()),
    () => queues.close(),
    () => dispatcher.stop(),
  ];
  let resolveDone: () => void;
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'Shutting down');
    for (const close of closers.reverse()) {
      // A dependency that cannot close (Redis unreachable, say) must not keep the process alive.
      await withDeadline(close(), CLOSE_DEADLINE_MS).catch((error: unknown) => log.warn({ err: error }, 'Error while closing'));
    }
    resolveDone();
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  return {
    config,
    log,
    db,
    redis,
    queues,
    dispatcher,
    onShutdown: (close) => closers.push(close),
    untilShutdown: () => done,
  };
}
