// What `serve` and `worker` share: config, logger, telemetry, database, Redis, queues and the
// outbox dispatcher, plus one shutdown path that closes them in reverse order.
import { once } from 'node:events';
import fs from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { loadConfig, type Config } from '../config.ts';
import { createProducerConnection, redisAnswers } from '../queue/connection.ts';
import { claimQueuePrefix, instanceId as loadInstanceId, PrefixClaimedError } from '../queue/instance.ts';
import { StuckIncidentSweeper } from '../queue/stuck-incidents.ts';
import { watchParent } from './parent-watch.ts';
import { RedisOutageLog } from '../queue/outage-log.ts';
import { OutboxDispatcher } from '../queue/outbox-dispatcher.ts';
import { createQueues, type Queues } from '../queue/producers.ts';
import type { Db } from '../store/db.ts';
import { openDatabase } from '../store/open-db.ts';
import { createLogger, startTelemetry, type Logger } from '../telemetry.ts';
import { withTimeout } from '../timeout.ts';

const CLOSE_DEADLINE_MS = 5000;

export interface Runtime {
  config: Config;
  log: Logger;
  db: Db;
  redis: Redis;
  queues: Queues;
  dispatcher: OutboxDispatcher;
  /** This database's id, registered in Redis as the owner of the queue prefix. */
  instanceId: string;
  /** Re-enqueues incidents whose job was lost; started with the dispatcher by serve (inline) and worker. */
  sweeper: StuckIncidentSweeper;
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
  const instanceId = await loadInstanceId(db);
  const outage = new RedisOutageLog(log);
  const redis = createProducerConnection(config.redisUrl, outage);
  const queues = createQueues(redis, config.queuePrefix, outage);
  // Nothing is enqueued until this database owns the prefix (src/queue/instance.ts).
  let prefixOwned = false;
  const redisReady = queues.ready;
  queues.ready = () => prefixOwned && redisReady();
  const dispatcher = new OutboxDispatcher({ db, queues, log, intervalMs: config.outbox.intervalMs, instanceId });
  const sweeper = new StuckIncidentSweeper({ db, queues, log, onRequeued: () => dispatcher.nudge() });

  const closers: (() => Promise<unknown>)[] = [
    () => telemetry.shutdown(),
    () => db.close(),
    () => redis.quit().catch(() => redis.disconnect()),
    () => queues.close(),
    () => dispatcher.stop(),
    () => sweeper.stop(),
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
      await withTimeout(close(), CLOSE_DEADLINE_MS, 'did not close').catch((error: unknown) => log.warn({ err: error }, 'Error while closing'));
    }
    resolveDone();
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  // `npm start` under a process manager: stopping npm may not signal this process; its parent
  // going away is the same request (src/cli/parent-watch.ts).
  const parentWatch = watchParent(() => void shutdown('parent-exited'));
  closers.unshift(async () => parentWatch.stop());

  const claim = async () => {
    await claimQueuePrefix(redis, config.queuePrefix, instanceId);
    prefixOwned = true;
    log.info({ instanceId, queuePrefix: config.queuePrefix }, 'Queue prefix registered to this database');
    dispatcher.nudge();
  };
  // The producer connection refuses commands until it is ready (no offline queue): give it a moment.
  if (redis.status !== 'ready') await Promise.race([once(redis, 'ready'), sleep(2000)]).catch(() => undefined);
  if (await redisAnswers(redis, 2000)) {
    try {
      await claim();
    } catch (error) {
      await shutdown('startup-failed');
      throw error;
    }
  } else {
    log.warn({ queuePrefix: config.queuePrefix }, 'Redis is unavailable at startup; deliveries are kept in the outbox until it is back');
    // Registered when Redis is back; a prefix owned by another database then stops the process.
    const onReady = () => {
      claim().catch((error: unknown) => {
        if (error instanceof PrefixClaimedError) {
          log.fatal({ problem: error.problems[0] }, 'Queue prefix belongs to another database; stopping');
          process.exitCode = 2;
          void shutdown('prefix-claimed');
          return;
        }
        log.warn({ error: (error as Error).message }, 'Could not register the queue prefix; will retry when Redis reconnects');
        redis.once('ready', onReady);
      });
    };
    redis.once('ready', onReady);
  }

  return {
    config,
    log,
    db,
    redis,
    queues,
    dispatcher,
    instanceId,
    sweeper,
    onShutdown: (close) => closers.push(close),
    untilShutdown: () => done,
  };
}
