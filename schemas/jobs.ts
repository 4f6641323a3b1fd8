// Queue names and one payload schema per queue: producers and workers both parse through these.
import { z } from 'zod';

export const QUEUES = ['assemble', 'reproduce', 'repair', 'publish'] as const;
export const QueueName = z.enum(QUEUES);
export type QueueName = z.infer<typeof QueueName>;

export const IncidentJob = z.object({
  incidentId: z.string().min(1),
  /** W3C traceparent of the span that enqueued the job, so the worker's span continues its trace. */
  traceparent: z.string().optional(),
  /** The repair engine a retry asked for (`POST /api/incidents/:id/retry {engine}`); default auto. */
  engine: z.enum(['auto', 'templates', 'llm']).optional(),
  /** The id of the tracefix database that enqueued the job (src/queue/instance.ts): a worker of
   * another database that shares the Redis prefix leaves the job alone instead of failing it. */
  instance: z.string().max(64).optional(),
});
export type IncidentJob = z.infer<typeof IncidentJob>;

/** The repair job continues the run its reproduce job started. */
export const RunJob = IncidentJob.extend({ runId: z.string().min(1).max(128) });
export type RunJob = z.infer<typeof RunJob>;

/** The publish job follows a fixed run's repair (job id = run id) or a person's approval. */
export const PublishJob = RunJob.extend({
  /** A person asked for this run (a re-run): a PR the team closed may be reopened. */
  rerunRequested: z.boolean().optional(),
});
export type PublishJob = z.infer<typeof PublishJob>;

export const JOB_SCHEMAS = {
  assemble: IncidentJob,
  reproduce: IncidentJob,
  repair: RunJob,
  publish: PublishJob,
} as const satisfies Record<QueueName, z.ZodType>;
