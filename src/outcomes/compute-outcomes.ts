// What tracefix exists to improve, computed from the database: how long from the first alert to a
// reproduction, to a validated proposal and to a merged PR, how many proposals were approved /
// rejected / merged, how many merged fixes held (the post-merge recurrence rate), the fix rate by
// engine and by language, and what the LLM cost per fix and per merged fix; in aggregate and per
// incident. The dashboard's Outcomes page, GET /api/outcomes and /metrics all show this one object.
import type { Queryable } from '../store/db.ts';
import { readTranscriptSummary } from '../store/run-files.ts';
import { incidentOutcomes, recurrenceOutcomes, timeToPullRequestSeconds, timeToReproductionSeconds, type IncidentOutcome, type RecurrenceOutcomes } from './incident-outcomes.ts';
import { reviewOutcomes } from './review-outcomes.ts';
import { durations, rate, type Durations, type Rate } from './stats.ts';

export interface Outcomes {
  generatedAt: string;
  incidents: number;
  runs: { total: number; finished: number; byStatus: Record<string, number> };
  /** From the first alert to the first reproduction that passed its gates. */
  timeToReproduction: Durations;
  timeToValidatedProposal: Durations;
  /** From the first alert to the incident's first pull request (publications.published_at). */
  timeToPullRequest: Durations;
  /** Null figures until the publish step records merges (review-outcomes.ts). */
  timeToMergedPr: Durations | null;
  proposals: { validated: number; approved: number | null; rejected: number | null; merged: number | null };
  /** Finished runs that reached an engine, by engine. */
  fixRateByEngine: Rate[];
  /** Finished runs by the language of their reproduction test ('unknown' when none was written). */
  fixRateByLanguage: Rate[];
  /** Merged fixes: regressed, verified, still watched; `rate` is the post-merge recurrence rate. */
  recurrence: RecurrenceOutcomes;
  /** `costPerMergedFixUsd`: every LLM run's cost (failed attempts included) over the merged fixes. */
  llm: { runs: number; costUsd: number; fixes: number; costPerFixUsd: number | null; mergedFixes: number; costPerMergedFixUsd: number | null; runsWithoutTranscript: number };
  /** The newest incidents with a run (incident-outcomes.ts, PER_INCIDENT_LIMIT), newest first. */
  perIncident: IncidentOutcome[];
}

const LANGUAGE: Record<string, string> = {
  pytest: 'python',
  unittest: 'python',
  'node-test': 'javascript',
  jest: 'javascript',
  vitest: 'javascript',
  mocha: 'javascript',
};

const FINISHED = ['fixed', 'not-fixed', 'not-reproduced', 'failed'];

export async function computeOutcomes(db: Queryable, opts: { dataDir: string }): Promise<Outcomes> {
  const [incidents] = await db.query<{ n: number | string }>('select count(*) as n from incidents');
  const statusRows = await db.query<{ status: string; n: number | string }>('select status, count(*) as n from runs group by status');
  const byStatus = Object.fromEntries(statusRows.map((r) => [r.status, Number(r.n)]));
  const total = statusRows.reduce((sum, r) => sum + Number(r.n), 0);
  const finished = FINISHED.reduce((sum, s) => sum + (byStatus[s] ?? 0), 0);

  // Per incident: its first alert to the end of its first run that validated a fix.
  const ttv = await db.query<{ seconds: number | string }>(
    `select extract(epoch from (min(r.finished_at) - i.first_seen)) as seconds
       from incidents i join runs r on r.incident_id = i.id
      where r.status = 'fixed' and r.finished_at is not null
      group by i.id, i.first_seen`,
  );

  const runRows = await db.query<{ id: string; incident_id: string; status: string; engine: string | null; framework: string | null }>(
    `select id, incident_id, status, engine, coalesce(reproduction->>'framework', record->'reproduction'->>'framework') as framework
       from runs where status = any($1::text[])`,
    [FINISHED],
  );
  const tally = (key: (r: (typeof runRows)[number]) => string | null) => {
    const groups = new Map<string, { runs: number; fixed: number }>();
    for (const r of runRows) {
      const k = key(r);
      if (k === null) continue;
      const g = groups.get(k) ?? { runs: 0, fixed: 0 };
      g.runs++;
      if (r.status === 'fixed') g.fixed++;
      groups.set(k, g);
    }
    return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([k, g]) => rate(k, g.runs, g.fixed));
  };

  const llmRuns = runRows.filter((r) => r.engine === 'llm');
  const transcripts = await Promise.all(llmRuns.map((r) => readTranscriptSummary(opts.dataDir, r.id)));
  const costUsd = transcripts.reduce((sum, t) => sum + (t?.costUsd ?? 0), 0);
  const llmFixes = llmRuns.filter((r) => r.status === 'fixed').length;
  const llmCostByIncident = new Map<string, number>();
  llmRuns.forEach((r, i) => llmCostByIncident.set(r.incident_id, (llmCostByIncident.get(r.incident_id) ?? 0) + (transcripts[i]?.costUsd ?? 0)));

  const review = await reviewOutcomes(db);
  const recurrence = await recurrenceOutcomes(db);
  return {
    generatedAt: new Date().toISOString(),
    incidents: Number(incidents?.n ?? 0),
    runs: { total, finished, byStatus },
    timeToReproduction: durations(await timeToReproductionSeconds(db)),
    timeToValidatedProposal: durations(ttv.map((r) => Number(r.seconds))),
    timeToPullRequest: durations(await timeToPullRequestSeconds(db)),
    timeToMergedPr: review.timeToMergedPrSeconds ? durations(review.timeToMergedPrSeconds) : null,
    proposals: { validated: byStatus.fixed ?? 0, approved: review.approved, rejected: review.rejected, merged: review.merged },
    fixRateByEngine: tally((r) => r.engine),
    fixRateByLanguage: tally((r) => (r.framework ? (LANGUAGE[r.framework] ?? r.framework) : 'unknown')),
    llm: {
      runs: llmRuns.length,
      costUsd,
      fixes: llmFixes,
      costPerFixUsd: llmFixes > 0 ? costUsd / llmFixes : null,
      mergedFixes: recurrence.merged,
      costPerMergedFixUsd: recurrence.merged > 0 ? costUsd / recurrence.merged : null,
      runsWithoutTranscript: transcripts.filter((t) => t === null).length,
    },
    recurrence,
    perIncident: await incidentOutcomes(db, llmCostByIncident),
  };
}
