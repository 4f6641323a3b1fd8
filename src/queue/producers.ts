import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, type QueueName } from '../../schemas/jobs.ts';
import type { RedisOutageLog } from './outage-log.ts';

/** Retries with backoff are for infrastructure errors; stages throw UnrecoverableError otherwise. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

export type Queues = Record<QueueName, Queue> & {
  /** False while the Redis connection is down; BullMQ's add() would then wait, not fail. */
  ready(): boolean;
  close(): Promise<void>;
};

export function createQueues(connection: Redis, prefix: string, outage?: RedisOutageLog): Queues {
  const entries = QUEUES.map((name) => {
    const queue = new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
    // A listener is required (an unhandled 'error' event throws); the outage log rate-limits them.
    queue.on('error', (error: Error) => outage?.error(error, name));
    return [name, queue] as const;
  });
  const queues = Object.fromEntries(entries) as Record<QueueName, Queue>;
  return Object.assign(queues, {
    ready: () => connection.status === 'ready',
    close: async () => {
      await Promise.all(entries.map(([, q]) => q.close()));
    },
  });
}
