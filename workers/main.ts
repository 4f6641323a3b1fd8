// Starts one BullMQ Worker per pipeline stage: assemble → reproduce → repair, each stage adding the
// next one's job (jobId = incident id, then run id, so a retried stage never starts a second run).
// Each processor is thin: parse job → call the stage function → record.
import { Worker } from 'bullmq';
import os from 'node:os';
import type { Config } from '../src/config.ts';
import { createWorkerConnection } from '../src/queue/connection.ts';
import { RedisOutageLog } from '../src/queue/outage-log.ts';
import { createQueues } from '../src/queue/producers.ts';
import { ArtifactStore } from '../src/store/artifacts.ts';
import type { Db } from '../src/store/db.ts';
import type { Logger } from '../src/telemetry.ts';
import type { TraceStore } from '../src/traces/types.ts';
import { assembleProcessor } from './assemble.ts';
import { startRecurrenceWatch } from './recurrence.ts';
import { publishProcessor } from './publish.ts';
import { repairProcessor } from './repair.ts';
import { reproduceProcessor } from './reproduce.ts';
import { ConfigurationFailure } from './run-context.ts';

export interface StageWorkerDeps {
  config: Config;
  log: Logger;
  db: Db;
  traceStore: TraceStore;
  /** This database's instance id (src/queue/instance.ts): jobs carry it, strangers' are left alone. */
  instanceId?: string;
}

export interface StageWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

export async function startStageWorkers(deps: StageWorkerDeps): Promise<StageWorkers> {
  const { config, log } = deps;
  const outage = new RedisOutageLog(log);
  const connection = createWorkerConnection(config.redisUrl, outage);
  const artifacts = new ArtifactStore(config.dataDir);
  const queues = createQueues(connection, config.queuePrefix, outage);
  const instance = deps.instanceId ? { instance: deps.instanceId } : {};
  const enqueue = async (queue: 'reproduce' | 'repair' | 'publish', data: Record<string, string>, jobId: string) => {
    await queues[queue].add(queue, { ...data, ...instance }, { jobId });
  };
  const runDeps = { config, db: deps.db, artifacts, log, enqueue, ...(deps.instanceId ? { instanceId: deps.instanceId } : {}) };
  const options = {
    connection,
    prefix: config.queuePrefix,
    // Which process took a job (BullMQ records it as the job's processedBy): host and pid.
    name: `${os.hostname()}/${process.pid}`,
    ...(config.queue ? { lockDuration: config.queue.lockMs, stalledInterval: config.queue.stalledIntervalMs } : {}),
  };
  const workers = [
    new Worker('assemble', assembleProcessor({ ...deps, artifacts, onAssembled: ({ incidentId, jobId, engine }) => enqueue('reproduce', { incidentId, ...(engine ? { engine } : {}) }, jobId) }), {
      ...options,
      concurrency: 2,
    }),
    // One sandboxed job at a time per worker process: each runs whole test suites; scale out with
    // more worker processes.
    new Worker('reproduce', reproduceProcessor(runDeps), { ...options, concurrency: 1 }),
    new Worker('repair', repairProcessor(runDeps), { ...options, concurrency: 1 }),
    // Publishing is mostly waiting on GitHub; a re-validation on a moved base runs a sandbox.
    new Worker('publish', publishProcessor(runDeps), { ...options, concurrency: 1 }),
  ];
  for (const worker of workers) {
    // An unhandled 'error' event would crash the process; Redis outages surface here, logged
    // once when it goes, rate-limited while it stays down, once when it is back.
    worker.on('error', (error) => outage.error(error, worker.name));
    worker.on('failed', (job, error) => {
      // A configuration failure is one line naming what to set, not a stack trace.
      if (error instanceof ConfigurationFailure) {
        log.warn({ queue: worker.name, jobId: job?.id, incidentId: job?.data?.incidentId, reason: error.message, fix: error.fix }, 'Run needs configuration');
        return;
      }
      log.warn({ err: error, queue: worker.name, jobId: job?.id, attempts: job?.attemptsMade }, 'Job failed');
    });
  }
  // Merged fixes: regressed / still deployed / verified, from alerts and spans (src/recurrence/).
  const recurrence = startRecurrenceWatch({ config, db: deps.db, artifacts, log });
  log.info({ stages: workers.map((w) => w.name) }, 'Stage workers started');
  return {
    workers,
    close: async () => {
      // Without Redis, close() would wait for a connection that never comes: disconnect first
      // when it is down; an active job's lock then simply expires and another worker retries it.
      await recurrence.stop();
      if (connection.status !== 'ready') connection.disconnect();
      await Promise.all(workers.map((w) => w.close()));
      await queues.close().catch((error: unknown) => log.warn({ err: error }, 'Could not close the queues'));
      connection.disconnect();
    },
  };
}
