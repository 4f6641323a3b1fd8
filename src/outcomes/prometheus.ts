// The outcome figures and the queue depths as Prometheus metrics (prom-client). One registry per
// app (not prom-client's global one), so two apps in one process (tests) never collide. Figures are
// computed when scraped: they are database queries over small tables, and a scrape every 15-60 s
// is far below what they cost.
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Outcomes } from './compute-outcomes.ts';

export type QueueCounts = Record<string, Record<string, number>>;

export interface OutcomeMetrics {
  registry: Registry;
  /** Sets every gauge from fresh figures and returns the exposition text. */
  render(outcomes: Outcomes, queues: QueueCounts | null): Promise<string>;
}

export function outcomeMetrics(): OutcomeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tracefix_' });
  const g = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [registry] });
  const ttv = g('tracefix_time_to_validated_proposal_seconds', 'Seconds from an incident\'s first alert to its first validated proposal', ['quantile']);
  const ttvCount = g('tracefix_time_to_validated_proposal_incidents', 'Incidents with a validated proposal (the population of the quantiles)');
  const ttr = g('tracefix_time_to_reproduction_seconds', 'Seconds from an incident\'s first alert to its first reproduction that passed its gates', ['quantile']);
  const ttrCount = g('tracefix_time_to_reproduction_incidents', 'Incidents reproduced (the population of the quantiles)');
  const mergedFixes = g('tracefix_merged_fixes', 'Merged fixes by what production said since (watching, regressed, verified)', ['state']);
  const recurrenceRate = g('tracefix_post_merge_recurrence_rate', 'Merged fixes whose failure came back from a release containing them / merged fixes');
  const llmCostPerMergedFix = g('tracefix_llm_cost_per_merged_fix_usd', 'LLM cost of all LLM runs divided by merged fixes, USD');
  const ttp = g('tracefix_time_to_pull_request_seconds', 'Seconds from an incident\'s first alert to its first pull request', ['quantile']);
  const ttm = g('tracefix_time_to_merged_pr_seconds', 'Seconds from an incident\'s first alert to its merged pull request', ['quantile']);
  const proposals = g('tracefix_proposals', 'Proposals by review state', ['state']);
  const fixRate = g('tracefix_fix_rate', 'Fixed runs / finished runs, by engine', ['engine']);
  const fixRateLang = g('tracefix_fix_rate_by_language', 'Fixed runs / finished runs, by language', ['language']);
  const runs = g('tracefix_runs', 'Runs by status', ['status']);
  const incidents = g('tracefix_incidents', 'Incidents recorded');
  const llmCost = g('tracefix_llm_cost_usd', 'LLM cost of finished LLM runs, USD');
  const llmCostPerFix = g('tracefix_llm_cost_per_fix_usd', 'LLM cost divided by LLM fixes, USD');
  const queueJobs = g('tracefix_queue_jobs', 'Jobs per stage queue and state', ['queue', 'state']);

  const setMaybe = (gauge: Gauge, labels: Record<string, string>, value: number | null) => {
    if (value === null) gauge.remove(labels);
    else gauge.set(labels, value);
  };

  return {
    registry,
    async render(o, queues) {
      for (const [q, v] of [['0.5', o.timeToValidatedProposal.medianSeconds], ['0.9', o.timeToValidatedProposal.p90Seconds]] as const) setMaybe(ttv, { quantile: q }, v);
      ttvCount.set(o.timeToValidatedProposal.count);
      for (const [q, v] of [['0.5', o.timeToReproduction.medianSeconds], ['0.9', o.timeToReproduction.p90Seconds]] as const) setMaybe(ttr, { quantile: q }, v);
      ttrCount.set(o.timeToReproduction.count);
      for (const [q, v] of [['0.5', o.timeToPullRequest.medianSeconds], ['0.9', o.timeToPullRequest.p90Seconds]] as const) setMaybe(ttp, { quantile: q }, v);
      for (const state of ['watching', 'regressed', 'verified'] as const) mergedFixes.set({ state }, o.recurrence[state]);
      if (o.recurrence.rate === null) recurrenceRate.reset();
      else recurrenceRate.set(o.recurrence.rate);
      if (o.llm.costPerMergedFixUsd === null) llmCostPerMergedFix.reset();
      else llmCostPerMergedFix.set(o.llm.costPerMergedFixUsd);
      for (const [q, v] of [['0.5', o.timeToMergedPr?.medianSeconds ?? null], ['0.9', o.timeToMergedPr?.p90Seconds ?? null]] as const) setMaybe(ttm, { quantile: q }, v);
      setMaybe(proposals, { state: 'validated' }, o.proposals.validated);
      setMaybe(proposals, { state: 'approved' }, o.proposals.approved);
      setMaybe(proposals, { state: 'rejected' }, o.proposals.rejected);
      setMaybe(proposals, { state: 'merged' }, o.proposals.merged);
      fixRate.reset();
      for (const r of o.fixRateByEngine) setMaybe(fixRate, { engine: r.key }, r.rate);
      fixRateLang.reset();
      for (const r of o.fixRateByLanguage) setMaybe(fixRateLang, { language: r.key }, r.rate);
      runs.reset();
      for (const [status, n] of Object.entries(o.runs.byStatus)) runs.set({ status }, n);
      incidents.set(o.incidents);
      llmCost.set(o.llm.costUsd);
      if (o.llm.costPerFixUsd === null) llmCostPerFix.reset();
      else llmCostPerFix.set(o.llm.costPerFixUsd);
      queueJobs.reset();
      for (const [queue, counts] of Object.entries(queues ?? {})) {
        for (const [state, n] of Object.entries(counts)) queueJobs.set({ queue, state }, n);
      }
      return registry.metrics();
    },
  };
}
