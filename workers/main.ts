// Starts one BullMQ Worker per pipeline stage. Each processor is thin: parse job → call the stage
// function → record. Stages are added here as they land (assemble, reproduce, repair).
import type { Worker } from 'bullmq';
import type { Runtime } from '../src/cli/runtime.ts';

export interface StageWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

export async function startStageWorkers(rt: Pick<Runtime, 'config' | 'log' | 'db'>): Promise<StageWorkers> {
  const workers: Worker[] = [];
  rt.log.debug({ stages: workers.map((w) => w.name) }, 'Stage workers started');
  return {
    workers,
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
