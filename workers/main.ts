// Starts one BullMQ Worker per pipeline stage. Each processor is thin: parse job → call the stage
// function → record. Stages are added here as they land (reproduce and repair next).
import { Worker } from 'bullmq';
import type { Config } from '../src/config.ts';
import { createWorkerConnection } from '../src/queue/connection.ts';
import { ArtifactStore } from '../src/store/artifacts.ts';
import type { Db } from '../src/store/db.ts';
import type { Logger } from '../src/telemetry.ts';
import type { TraceStore } from '../src/traces/types.ts';
import { assembleProcessor } from './assemble.ts';

export interface StageWorkerDeps {
  config: Config;
  log: Logger;
  db: Db;
  traceStore: TraceStore;
}

export interface StageWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

export async function startStageWorkers(deps: StageWorkerDeps): Promise<StageWorkers> {
  const { config, log } = deps;
  const connection = createWorkerConnection(config.redisUrl);
  const artifacts = new ArtifactStore(config.dataDir);
  const workers = [
    new Worker('assemble', assembleProcessor({ ...deps, artifacts }), {
      connection,
      prefix: config.queuePrefix,
      concurrency: 2,
    }),
  ];
  for (const worker of workers) {
    // An unhandled 'error' event would crash the process; Redis outages surface here.
    worker.on('error', (error) => log.warn({ err: error, queue: worker.name }, 'Worker error'));
    worker.on('failed', (job, error) =>
      log.warn({ err: error, queue: worker.name, jobId: job?.id, attempts: job?.attemptsMade }, 'Job failed'),
    );
  }
  log.info({ stages: workers.map((w) => w.name) }, 'Stage workers started');
  return {
    workers,
    close: async () => {
      // Without Redis, close() would wait for a connection that never comes: disconnect first
      // when it is down; an active job's lock then simply expires and another worker retries it.
      if (connection.status !== 'ready') connection.disconnect();
      await Promise.all(workers.map((w) => w.close()));
      connection.disconnect();
    },
  };
}
