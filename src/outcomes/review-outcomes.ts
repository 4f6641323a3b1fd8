// Proposals approved / rejected / merged and the time from first alert to a merged PR, from the
// publish stage's records (publications: who approved or rejected, what became of the PR) and the
// recurrence watch's (fix_merges: when the fix was merged). A team's "no" counts both ways it is
// said: a reviewer's rejection in tracefix and a PR closed without merging.
import type { Queryable } from '../store/db.ts';

export interface ReviewOutcomes {
  approved: number | null;
  rejected: number | null;
  merged: number | null;
  /** Per incident: seconds from its first alert to its merged PR. */
  timeToMergedPrSeconds: number[] | null;
}

export async function reviewOutcomes(db: Queryable): Promise<ReviewOutcomes> {
  const [counts] = await db.query<{ approved: number; rejected: number; merged: number }>(
    `select count(*) filter (where approved_by is not null)::int as approved,
            count(*) filter (where state in ('rejected-by-reviewer', 'closed-unmerged'))::int as rejected,
            count(*) filter (where state = 'merged')::int as merged
       from publications`,
  );
  const merges = await db.query<{ seconds: number }>(
    `select extract(epoch from (m.merged_at - i.first_seen))::float8 as seconds
       from fix_merges m join incidents i on i.id = m.incident_id`,
  );
  return {
    approved: counts?.approved ?? 0,
    rejected: counts?.rejected ?? 0,
    merged: counts?.merged ?? 0,
    timeToMergedPrSeconds: merges.map((r) => Math.max(0, Number(r.seconds))),
  };
}
