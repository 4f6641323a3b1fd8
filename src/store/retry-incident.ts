// Running an incident again: retryIncident() is the one way in, for the API route
// (POST /api/incidents/:id/retry), `tracefix retry`, the dashboard, a `/tracefix retry` comment and
// the Action. It writes, in one transaction, the incident's `queued` status and an outbox row for a
// fresh `assemble` job (the bundle is assembled again: the fix for a configuration failure is
// usually a repository mapping, which the bundle resolves), so the retry is durable before Redis
// sees it, exactly like a new delivery. The job id is new, so BullMQ does not take it for the first run's.
import { randomBytes } from 'node:crypto';
import { BUSY_STATUSES, type IncidentStatus } from '../../schemas/incident-status.ts';
import type { Config } from '../config.ts';
import type { Db, Queryable } from './db.ts';
import { AppError } from '../errors.ts';

export const RETRY_ENGINES = ['auto', 'templates', 'llm'] as const;
export type RetryEngine = (typeof RETRY_ENGINES)[number];

export type RetryFailure = 'not-found' | 'busy' | 'engine-unavailable';

export class RetryError extends AppError {
  readonly reason: RetryFailure;
  constructor(reason: RetryFailure, message: string) {
    super('TF_RETRY', message);
    this.reason = reason;
  }
}

export interface RetryOptions {
  /** The repair engine for this run; default `auto`. `llm` needs a configured model. */
  engine?: RetryEngine;
  /** Who asked (a dashboard login, `cli`, a GitHub login): logged by callers, kept on the job. */
  requestedBy?: string;
}

export interface RetryResult {
  incidentId: string;
  status: 'queued';
  /** The assemble job's id (`<incident id>-r<time><random>`); its reproduce job has the same id. */
  jobId: string;
  engine: RetryEngine;
  /** The status the incident had before the retry. */
  previousStatus: string;
}

/** A job id BullMQ accepts (no `:`, not an integer) that sorts by time. */
function retryJobId(incidentId: string): string {
  return `${incidentId}-r${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/**
 * Queues a new run of one incident. Throws RetryError: `not-found`; `busy` while the pipeline is
 * still working on it (open, assembled, queued, reproducing, repairing): a second run would race
 * the first; `engine-unavailable` for `llm` without a model.
 */
export async function retryIncident(db: Db, config: Config, incidentId: string, options: RetryOptions = {}): Promise<RetryResult> {
  const engine = options.engine ?? 'auto';
  if (engine === 'llm' && !config.llm) {
    throw new RetryError('engine-unavailable', 'engine llm needs a model: set OPENAI_BASE_URL and TRACEFIX_MODEL');
  }
  const jobId = retryJobId(incidentId);
  const payload = { incidentId, engine, ...(options.requestedBy ? { requestedBy: options.requestedBy.slice(0, 128) } : {}) };
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ status: string }>('select status from incidents where id = $1 for update', [incidentId]);
    if (!row) throw new RetryError('not-found', `No incident ${incidentId}`);
    if (BUSY_STATUSES.includes(row.status as IncidentStatus)) {
      throw new RetryError('busy', `Incident ${incidentId} is ${row.status}: its pipeline is still running; retry once it has finished`);
    }
    await tx.query("update incidents set status = 'queued', updated_at = now() where id = $1", [incidentId]);
    await tx.query("insert into outbox (queue, job_id, payload) values ('assemble', $1, $2)", [jobId, JSON.stringify(payload)]);
    return { incidentId, status: 'queued' as const, jobId, engine, previousStatus: row.status };
  });
}

/** Incidents whose latest run failed for a configuration reason (a run with `config_fix`). */
export async function configFailedIncidents(db: Db): Promise<{ incidentId: string; fix: string; reason: string | null }[]> {
  return db.query(
    `select i.id as "incidentId", r.config_fix as fix, r.reason from incidents i
     join lateral (select status, config_fix, reason from runs where incident_id = i.id order by created_at desc, id desc limit 1) r on true
     where i.status = 'failed' and r.status = 'failed' and r.config_fix is not null
     order by i.last_seen desc limit 1000`,
  );
}

/**
 * Bulk retry: every incident whose latest run failed for a configuration reason, typically after
 * the variable it named was set. Each is retried with retryIncident(); one that cannot be (it
 * started meanwhile) is reported, not fatal.
 */
export async function retryConfigFailures(
  db: Db,
  config: Config,
  options: RetryOptions = {},
): Promise<{ retried: RetryResult[]; skipped: { incidentId: string; reason: string }[] }> {
  const retried: RetryResult[] = [];
  const skipped: { incidentId: string; reason: string }[] = [];
  for (const { incidentId } of await configFailedIncidents(db)) {
    try {
      retried.push(await retryIncident(db, config, incidentId, options));
    } catch (error) {
      if (!(error instanceof RetryError)) throw error;
      skipped.push({ incidentId, reason: error.message });
    }
  }
  return { retried, skipped };
}

/**
 * Whether a person asked for the run that started at `runCreatedAt` (a retry requested through the
 * API, the dashboard, the CLI or a GitHub comment, with no other run of the incident in between).
 * Publishing reopens a PR the team closed only for such a run.
 */
export async function runWasRequested(db: Queryable, incidentId: string, runCreatedAt: string): Promise<boolean> {
  const [row] = await db.query<{ requested: boolean }>(
    `select exists (
       select 1 from outbox o
        where o.queue = 'assemble' and o.job_id like $1 and o.created_at <= $3
          and not exists (select 1 from runs r where r.incident_id = $2 and r.created_at > o.created_at and r.created_at < $3)
     ) as requested`,
    [`${incidentId}-r%`, incidentId, runCreatedAt],
  );
  return Boolean(row?.requested);
}
