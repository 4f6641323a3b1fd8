// The loop-closing figures (issue 17): time to reproduction, what became of merged fixes (the
// post-merge recurrence rate) and, per incident, each time from its first alert and its LLM cost.
// Reproduction time is runs.reproduced_at (migration 012; runs reproduced before it have none and
// are left out); merges, regressions and verifications are the recurrence watch's fix_merges.
import type { Queryable } from '../store/db.ts';

export interface RecurrenceOutcomes {
  /** Incidents whose fix was merged (and is or was watched). */
  merged: number;
  /** The failure came back from a release that contains the fix. */
  regressed: number;
  /** A release with the fix served traffic for TRACEFIX_VERIFY_DAYS without the failure. */
  verified: number;
  /** Merged, neither regressed nor verified yet. */
  watching: number;
  /** Post-merge recurrence rate: regressed / merged; null before any merge. */
  rate: number | null;
}

export interface IncidentOutcome {
  incidentId: string;
  status: string;
  firstSeen: string;
  /** Seconds from the first alert to the first run whose reproduction passed its gates. */
  timeToReproductionSeconds: number | null;
  /** Seconds from the first alert to the end of the first run that validated a fix. */
  timeToValidatedProposalSeconds: number | null;
  /** Seconds from the first alert to the first pull request. */
  timeToPullRequestSeconds: number | null;
  /** Seconds from the first alert to the fix's merge. */
  timeToMergeSeconds: number | null;
  recurrence: 'watching' | 'regressed' | 'verified' | null;
  /** LLM cost of the incident's LLM runs (USD); 0 without any. */
  llmCostUsd: number;
}

/** The newest incidents with a run, per incident; the aggregates cover all of them. */
export const PER_INCIDENT_LIMIT = 200;

const seconds = (v: unknown) => (v === null || v === undefined ? null : Math.max(0, Number(v)));
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));

/** Seconds from each incident's first alert to the first time `column` of `table` was set for it. */
async function secondsFromFirstAlert(db: Queryable, table: 'runs' | 'publications', column: 'reproduced_at' | 'published_at'): Promise<number[]> {
  const rows = await db.query<{ seconds: number | string }>(
    `select extract(epoch from (min(t.${column}) - i.first_seen))::float8 as seconds
       from incidents i join ${table} t on t.incident_id = i.id
      where t.${column} is not null
      group by i.id, i.first_seen`,
  );
  return rows.map((r) => Math.max(0, Number(r.seconds)));
}

export const timeToReproductionSeconds = (db: Queryable) => secondsFromFirstAlert(db, 'runs', 'reproduced_at');

/** publications.published_at: migration 013. */
export const timeToPullRequestSeconds = (db: Queryable) => secondsFromFirstAlert(db, 'publications', 'published_at');

export async function recurrenceOutcomes(db: Queryable): Promise<RecurrenceOutcomes> {
  const [row] = await db.query<{ merged: number; regressed: number; verified: number }>(
    `select count(*)::int as merged, count(*) filter (where regressed_at is not null)::int as regressed,
            count(*) filter (where verified_at is not null)::int as verified
       from fix_merges`,
  );
  const merged = Number(row?.merged ?? 0);
  const regressed = Number(row?.regressed ?? 0);
  const verified = Number(row?.verified ?? 0);
  return { merged, regressed, verified, watching: merged - regressed - verified, rate: merged > 0 ? regressed / merged : null };
}

/** Per incident (the newest PER_INCIDENT_LIMIT with a run); `llmCost` maps incident id → USD. */
export async function incidentOutcomes(db: Queryable, llmCost: ReadonlyMap<string, number>): Promise<IncidentOutcome[]> {
  const rows = await db.query<Record<string, unknown>>(
    `select i.id, i.status, i.first_seen,
            extract(epoch from (r.reproduced - i.first_seen))::float8 as to_repro,
            extract(epoch from (r.fixed - i.first_seen))::float8 as to_fix,
            extract(epoch from ((select min(p.published_at) from publications p where p.incident_id = i.id) - i.first_seen))::float8 as to_pr,
            extract(epoch from (m.merged_at - i.first_seen))::float8 as to_merge,
            case when m.incident_id is null then null when m.regressed_at is not null then 'regressed'
                 when m.verified_at is not null then 'verified' else 'watching' end as recurrence
       from incidents i
       join (select incident_id, min(reproduced_at) as reproduced, min(finished_at) filter (where status = 'fixed') as fixed
               from runs group by incident_id) r on r.incident_id = i.id
       left join fix_merges m on m.incident_id = i.id
      order by i.first_seen desc, i.id
      limit ${PER_INCIDENT_LIMIT}`,
  );
  return rows.map((r) => ({
    incidentId: String(r.id),
    status: String(r.status),
    firstSeen: iso(r.first_seen),
    timeToReproductionSeconds: seconds(r.to_repro),
    timeToValidatedProposalSeconds: seconds(r.to_fix),
    timeToPullRequestSeconds: seconds(r.to_pr),
    timeToMergeSeconds: seconds(r.to_merge),
    recurrence: (r.recurrence as IncidentOutcome['recurrence']) ?? null,
    llmCostUsd: llmCost.get(String(r.id)) ?? 0,
  }));
}
