// The publications table (008-publish.sql): the publish stage's outcome per run, a person's
// approval or rejection, and what became of the PR. recordPullRequestClosed() is the one writer
// of `merged` and its merge commit sha (the bisect/recurrence work reads it from here).
import type { Db, Queryable } from './db.ts';
import { AppError } from '../errors.ts';

export type PublicationState = 'awaiting-approval' | 'approved' | 'rejected-by-reviewer' | 'published' | 'not-published' | 'off' | 'failed' | 'merged' | 'closed-unmerged';

export interface Publication {
  runId: string;
  incidentId: string;
  state: PublicationState;
  reason: string | null;
  repo: string | null;
  prNumber: number | null;
  prUrl: string | null;
  branch: string | null;
  base: string | null;
  headSha: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  rejectedBy: string | null;
  rejectedAt: string | null;
  rejectReason: string | null;
  mergeCommitSha: string | null;
  closedAt: string | null;
  updatedAt: string;
}

const COLUMNS = `run_id as "runId", incident_id as "incidentId", state, reason, repo, pr_number as "prNumber", pr_url as "prUrl",
  branch, base, head_sha as "headSha", approved_by as "approvedBy", approved_at as "approvedAt", rejected_by as "rejectedBy",
  rejected_at as "rejectedAt", reject_reason as "rejectReason", merge_commit_sha as "mergeCommitSha", closed_at as "closedAt", updated_at as "updatedAt"`;

function toPublication(raw: Record<string, unknown>): Publication {
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string | null));
  return { ...(raw as unknown as Publication), approvedAt: iso(raw.approvedAt), rejectedAt: iso(raw.rejectedAt), closedAt: iso(raw.closedAt), updatedAt: iso(raw.updatedAt)! };
}

export async function getPublication(db: Queryable, runId: string): Promise<Publication | null> {
  const [row] = await db.query<Record<string, unknown>>(`select ${COLUMNS} from publications where run_id = $1`, [runId]);
  return row ? toPublication(row) : null;
}

export interface PublicationUpdate {
  state: PublicationState;
  reason?: string | null;
  repo?: string | null;
  prNumber?: number | null;
  prUrl?: string | null;
  branch?: string | null;
  base?: string | null;
  headSha?: string | null;
}

/** The publish stage's outcome; approval fields are kept. */
export async function recordPublication(db: Queryable, runId: string, incidentId: string, update: PublicationUpdate): Promise<void> {
  await db.query(
    `insert into publications (run_id, incident_id, state, reason, repo, pr_number, pr_url, branch, base, head_sha, published_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, case when $3 = 'published' then now() end)
     on conflict (run_id) do update set state = excluded.state, reason = excluded.reason,
       published_at = coalesce(publications.published_at, excluded.published_at),
       repo = coalesce(excluded.repo, publications.repo), pr_number = coalesce(excluded.pr_number, publications.pr_number),
       pr_url = coalesce(excluded.pr_url, publications.pr_url), branch = coalesce(excluded.branch, publications.branch),
       base = coalesce(excluded.base, publications.base), head_sha = coalesce(excluded.head_sha, publications.head_sha), updated_at = now()`,
    [runId, incidentId, update.state, update.reason?.slice(0, 4096) ?? null, update.repo ?? null, update.prNumber ?? null, update.prUrl ?? null, update.branch ?? null, update.base ?? null, update.headSha ?? null],
  );
}

export class DecisionConflictError extends AppError {
  constructor(message: string) {
    super('TF_DECISION_CONFLICT', message);
  }
}

/**
 * A person's decision on a run waiting for approval (or not yet published). Approving also puts the
 * publish job in the outbox, in the same transaction: the approval is never recorded without it.
 */
export async function decideRun(db: Db, input: { runId: string; incidentId: string; decision: 'approve' | 'reject'; by: string; reason?: string }): Promise<Publication> {
  return db.transaction(async (tx) => {
    const [current] = await tx.query<{ state: string }>('select state from publications where run_id = $1 for update', [input.runId]);
    if (current && ['published', 'merged', 'closed-unmerged'].includes(current.state)) {
      throw new DecisionConflictError(`run ${input.runId} is already ${current.state}`);
    }
    if (input.decision === 'approve') {
      await tx.query(
        `insert into publications (run_id, incident_id, state, approved_by, approved_at) values ($1, $2, 'approved', $3, now())
         on conflict (run_id) do update set state = 'approved', reason = null, approved_by = $3, approved_at = now(), updated_at = now()`,
        [input.runId, input.incidentId, input.by],
      );
      // A job id apart from the first publish job's (= run id), which BullMQ keeps as completed.
      await tx.query('insert into outbox (queue, job_id, payload) values ($1, $2, $3)', [
        'publish',
        `${input.runId}-approved`,
        JSON.stringify({ incidentId: input.incidentId, runId: input.runId }),
      ]);
    } else {
      await tx.query(
        `insert into publications (run_id, incident_id, state, rejected_by, rejected_at, reject_reason) values ($1, $2, 'rejected-by-reviewer', $3, now(), $4)
         on conflict (run_id) do update set state = 'rejected-by-reviewer', rejected_by = $3, rejected_at = now(), reject_reason = $4, updated_at = now()`,
        [input.runId, input.incidentId, input.by, input.reason ?? null],
      );
    }
    const [row] = await tx.query<Record<string, unknown>>(`select ${COLUMNS} from publications where run_id = $1`, [input.runId]);
    return toPublication(row!);
  });
}

/**
 * A `pull_request` closed webhook: the PR of a publication was merged (with its merge commit) or
 * closed without merging. Returns the run ids updated (none when the PR is not tracefix's).
 */
export async function recordPullRequestClosed(db: Queryable, input: { repo: string; number: number; merged: boolean; mergeCommitSha: string | null }): Promise<{ runId: string; incidentId: string }[]> {
  return db.query<{ runId: string; incidentId: string }>(
    `update publications set state = $3, merge_commit_sha = $4, closed_at = now(), updated_at = now()
     where lower(repo) = lower($1) and pr_number = $2 returning run_id as "runId", incident_id as "incidentId"`,
    [input.repo, input.number, input.merged ? 'merged' : 'closed-unmerged', input.merged ? input.mergeCommitSha : null],
  );
}
