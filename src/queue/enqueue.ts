// The one way a job enters a queue, and the one way a worker reads it: data parsed with its queue's
// schema (schemas/jobs.ts), so a bad payload fails at its producer rather than in a worker, and the
// W3C traceparent of the incident's trace carried from job to job, so a trace of tracefix itself
// follows one incident from webhook to proposal.
import { UnrecoverableError, type Job } from 'bullmq';
import type { z } from 'zod';
import { JOB_SCHEMAS, type QueueName } from '../../schemas/jobs.ts';
import { currentTraceparent, withTraceparent } from '../telemetry.ts';
import type { Queues } from './producers.ts';

export type JobData<Q extends QueueName> = z.infer<(typeof JOB_SCHEMAS)[Q]>;

export interface EnqueueOptions {
  /** Idempotency: a job id BullMQ already has is not added twice. */
  jobId: string;
  /** The id of this tracefix database (src/queue/instance.ts), so strangers' workers leave the job alone. */
  instance?: string;
}

/** How a stage starts the next one (workers/main.ts binds it to the queues and this instance). */
export type StageEnqueue = <Q extends 'reproduce' | 'repair' | 'publish'>(queue: Q, data: JobData<Q>, jobId: string) => Promise<void>;

/** Adds a job; its traceparent is the data's own, else the active span's. */
export async function enqueue<Q extends QueueName>(queues: Pick<Queues, Q>, queue: Q, data: JobData<Q>, options: EnqueueOptions): Promise<void> {
  const traceparent = data.traceparent ?? currentTraceparent();
  const parsed = JOB_SCHEMAS[queue].parse({ ...data, ...(traceparent ? { traceparent } : {}), ...(options.instance ? { instance: options.instance } : {}) });
  await (queues[queue] as Queues[QueueName]).add(queue, parsed, { jobId: options.jobId });
}

/** A job's data, parsed with its queue's schema; bad data cannot improve by retrying. */
export function parseJob<Q extends QueueName>(queue: Q, job: Pick<Job, 'data'>): JobData<Q> {
  const parsed = JOB_SCHEMAS[queue].safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`bad ${queue} job data: ${parsed.error.message}`);
  return parsed.data as JobData<Q>;
}

/** Runs a worker's processing of `data` as a continuation of the trace its traceparent names. */
export function continueTrace<T>(data: { traceparent?: string | undefined }, fn: () => Promise<T>): Promise<T> {
  return withTraceparent(data.traceparent, fn);
}
