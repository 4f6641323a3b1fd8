// Incidents that wait for a job that no longer exists: the outbox row was dispatched, but the job
// is gone from Redis (flushed, evicted, failed by a worker of another database before the prefix
// check existed, removed by hand). Nothing would ever move them again, so a sweep finds them and
// writes a fresh outbox row: the dispatcher enqueues it like any other.
import { randomBytes } from 'node:crypto';
import { QueueName } from '../../schemas/jobs.ts';
import type { Db } from '../store/db.ts';
import type { Logger } from '../telemetry.ts';
import type { Queues } from './producers.ts';

/** Job states in which the job will still run. */
const ALIVE = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

interface Candidate {
  id: string;
  status: string;
  queue: string | null;
  jobId: string | null;
}

/**
 * Finds incidents that are `open` or `queued` (waiting for assembly) or `assembled` (waiting for
 * a reproduce job) for longer than `olderThanMs`, with no pending outbox row, whose job is not
 * alive in Redis; gives each a new `assemble` outbox row. Returns their ids.
 */
export async function requeueStuckIncidents(db: Db, queues: Queues, options: { olderThanMs: number; limit?: number }): Promise<string[]> {
  const candidates = await db.query<Candidate>(
    `select i.id, i.status, o.queue, o.job_id as "jobId" from incidents i
     left join lateral (select queue, job_id, dispatched_at from outbox
                        where job_id = i.id or job_id like i.id || '-%' order by id desc limit 1) o on true
     where i.status in ('open', 'queued', 'assembled') and i.closed_at is null
       and i.updated_at < now() - ($1::int * interval '1 millisecond')
       and (o.job_id is null or o.dispatched_at is not null)
       -- three sweeps without progress: a job that keeps failing is not lost, leave it to a person
       and (select count(*) from outbox q where q.job_id like i.id || '-q%') < 3
     order by i.updated_at limit $2`,
    [options.olderThanMs, options.limit ?? 100],
  );
  const stuck: string[] = [];
  for (const c of candidates) {
    const jobId = c.jobId ?? c.id;
    // An assembled incident waits for the reproduce job, which has its assemble job's id.
    const queue = c.status === 'assembled' ? 'reproduce' : QueueName.safeParse(c.queue).data ?? 'assemble';
    const state = await queues[queue].getJobState(jobId);
    if (ALIVE.has(state)) continue;
    // A completed assemble job of an incident still `open` did not assemble it (it was not ours).
    stuck.push(c.id);
  }
  for (const id of stuck) {
    const jobId = `${id}-q${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    await db.query("insert into outbox (queue, job_id, payload) values ('assemble', $1, $2)", [jobId, JSON.stringify({ incidentId: id })]);
  }
  return stuck;
}

/** Runs the sweep every `intervalMs` while Redis is up; logs what it re-enqueued. */
export class StuckIncidentSweeper {
  readonly #db: Db;
  readonly #queues: Queues;
  readonly #log: Logger;
  readonly #intervalMs: number;
  readonly #olderThanMs: number;
  readonly #onRequeued: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(options: { db: Db; queues: Queues; log: Logger; intervalMs?: number; olderThanMs?: number; onRequeued?: () => void }) {
    this.#db = options.db;
    this.#queues = options.queues;
    this.#log = options.log;
    this.#intervalMs = options.intervalMs ?? 60_000;
    this.#olderThanMs = options.olderThanMs ?? 120_000;
    this.#onRequeued = options.onRequeued;
  }

  start(): void {
    this.#timer = setInterval(() => void this.sweep(), this.#intervalMs);
    this.#timer.unref();
  }

  async sweep(): Promise<void> {
    if (this.#running || !this.#queues.ready()) return;
    this.#running = requeueStuckIncidents(this.#db, this.#queues, { olderThanMs: this.#olderThanMs })
      .then((ids) => {
        if (ids.length === 0) return;
        this.#log.warn({ count: ids.length, incidents: ids.slice(0, 20) }, 'Re-enqueued incidents whose job was lost');
        this.#onRequeued?.();
      })
      .catch((error: unknown) => this.#log.warn({ error: (error as Error).message }, 'Stuck-incident sweep failed; will try again'))
      .finally(() => {
        this.#running = undefined;
      });
    await this.#running;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }
}
