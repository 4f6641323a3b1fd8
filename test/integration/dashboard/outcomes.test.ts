// Outcome figures computed from a real database: incidents and runs written through the run store
// (the seeded run is a real CLI run's record), then the same numbers on /api/outcomes and /metrics.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { recordFixMerged } from '../../../src/store/fix-merge-store.ts';
import { decideRun, recordPublication, recordPullRequestClosed } from '../../../src/store/publication-store.ts';
import { after, before, test } from 'node:test';
import { computeOutcomes } from '../../../src/outcomes/index.ts';
import { newRunId } from '../../../src/run/run-incident.ts';
import { createRun, failRun, recordReproduction } from '../../../src/store/run-store.ts';
import { buildTestApp, dashboardAuthHeaders, SECRETS, type TestApp } from '../../helpers/app.ts';
import { REAL_RUN, seedIncident } from '../../helpers/dashboard-seed.ts';

let t: TestApp;
let dataDir: string;
before(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tracefix-outcomes-'));
  t = await buildTestApp({ ...SECRETS, TRACEFIX_DATA_DIR: dataDir });
});
after(async () => {
  await t.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

test('time to validated proposal, fix rates and counts come from the runs table', async () => {
  const db = t.testDb.db;
  // Three fixed incidents whose first alert was 100, 200 and 400 seconds before their run ended.
  const now = Date.now();
  const fixed: Awaited<ReturnType<typeof seedIncident>>[] = [];
  for (const ago of [100, 200, 400]) fixed.push(await seedIncident(db, dataDir, { firstSeen: new Date(now - ago * 1000) }));
  for (const s of fixed) await db.query('update runs set finished_at = $2 where id = $1', [s.runId, new Date(now).toISOString()]);
  // Reproduced half way: 50, 100 and 200 seconds after their first alert.
  for (const [i, ago] of [100, 200, 400].entries()) await db.query('update runs set reproduced_at = $2 where id = $1', [fixed[i]!.runId, new Date(now - (ago / 2) * 1000).toISOString()]);
  // One incident not reproduced (no engine ran), one whose run failed on infrastructure.
  const notRepro = await seedIncident(db, dataDir, { noRun: true });
  const runId = newRunId(notRepro.incidentId);
  await createRun(db, { id: runId, incidentId: notRepro.incidentId, bundleSha256: null });
  await recordReproduction(db, runId, { status: 'not-reproduced', reason: 'no exported function', signature: null, attempts: [] });
  const failed = await seedIncident(db, dataDir, { noRun: true });
  const failedRun = newRunId(failed.incidentId);
  await createRun(db, { id: failedRun, incidentId: failed.incidentId, bundleSha256: null });
  await failRun(db, failedRun, 'docker unavailable');

  const o = await computeOutcomes(db, { dataDir });
  assert.equal(o.incidents, 5);
  assert.equal(o.runs.total, 5);
  assert.equal(o.runs.byStatus.fixed, 3);
  assert.equal(o.proposals.validated, 3);
  assert.equal(o.timeToValidatedProposal.count, 3);
  assert.ok(Math.abs(o.timeToValidatedProposal.medianSeconds! - 200) < 1, String(o.timeToValidatedProposal.medianSeconds));
  assert.ok(Math.abs(o.timeToValidatedProposal.p90Seconds! - 360) < 1, String(o.timeToValidatedProposal.p90Seconds));
  // The real run used the templates engine on a node:test reproduction.
  assert.equal(REAL_RUN.engine, 'templates');
  assert.deepEqual(o.fixRateByEngine, [{ key: 'templates', runs: 3, fixed: 3, rate: 1 }]);
  assert.deepEqual(o.fixRateByLanguage, [
    { key: 'javascript', runs: 3, fixed: 3, rate: 1 },
    { key: 'unknown', runs: 2, fixed: 0, rate: 0 },
  ]);
  assert.deepEqual(o.llm, { runs: 0, costUsd: 0, fixes: 0, costPerFixUsd: null, mergedFixes: 0, costPerMergedFixUsd: null, runsWithoutTranscript: 0 });
  // Time to reproduction: the three reproduced incidents (the not-reproduced one has none).
  assert.equal(o.timeToReproduction.count, 3);
  assert.ok(Math.abs(o.timeToReproduction.medianSeconds! - 100) < 1, String(o.timeToReproduction.medianSeconds));
  assert.ok(Math.abs(o.timeToReproduction.p90Seconds! - 180) < 1, String(o.timeToReproduction.p90Seconds));
  assert.deepEqual(o.recurrence, { merged: 0, regressed: 0, verified: 0, watching: 0, rate: null });
  assert.equal(o.perIncident.length, 5);
  const first = o.perIncident.find((i) => i.incidentId === fixed[2]!.incidentId);
  assert.ok(Math.abs(first!.timeToReproductionSeconds! - 200) < 1);
  assert.ok(Math.abs(first!.timeToValidatedProposalSeconds! - 400) < 1);
  assert.equal(first!.timeToMergeSeconds, null);
  assert.equal(first!.recurrence, null);
  const unreproduced = o.perIncident.find((i) => i.incidentId === notRepro.incidentId);
  assert.deepEqual([unreproduced?.timeToReproductionSeconds, unreproduced?.timeToValidatedProposalSeconds, unreproduced?.status], [null, null, 'not-reproduced']);
  // Nothing published yet: zero decisions and merges, and no merge durations to summarize.
  assert.deepEqual([o.proposals.approved, o.proposals.rejected, o.proposals.merged], [0, 0, 0]);
  assert.equal(o.timeToMergedPr?.count, 0);
  assert.equal(o.timeToPullRequest.count, 0);

  const api = await t.app.inject({ url: '/api/outcomes', headers: dashboardAuthHeaders() });
  assert.equal(api.statusCode, 200);
  assert.deepEqual({ ...(api.json() as object), generatedAt: null }, { ...o, generatedAt: null });
  const metrics = (await t.app.inject({ url: '/metrics', headers: dashboardAuthHeaders() })).body;
  assert.match(metrics, /tracefix_proposals\{state="validated"\} 3/);
  assert.match(metrics, /tracefix_time_to_validated_proposal_seconds\{quantile="0.5"\} 20\d/);
  assert.match(metrics, /tracefix_fix_rate\{engine="templates"\} 1/);
  assert.match(metrics, /tracefix_fix_rate_by_language\{language="unknown"\} 0/);
  assert.match(metrics, /tracefix_proposals\{state="merged"\} 0/);
  const page = await t.app.inject({ url: '/outcomes', headers: dashboardAuthHeaders() });
  assert.match(page.body, /validated proposal<\/th><td class="num">3\.\d min/);
  assert.match(page.body, /reproduction<\/th><td class="num">(99|100)\.\d s<\/td><td class="num">3\.0 min/);
  assert.match(page.body, /Post-merge recurrence rate<\/dt><dd>—/);
  assert.ok(page.body.includes(`href="/incidents/${fixed[2]!.incidentId}"`), 'per-incident rows link the incident');
  assert.match(metrics, /tracefix_time_to_reproduction_seconds\{quantile="0.5"\} (99|100)\.?\d*/);

  // One fix approved and merged 400 s after its first alert, another closed unmerged: the figures
  // come from the publish stage's records and the merge the recurrence watch keeps.
  const [a, b] = [fixed[2]!, fixed[0]!];
  await recordPublication(db, a.runId!, a.incidentId, { state: 'awaiting-approval' });
  await decideRun(db, { runId: a.runId!, incidentId: a.incidentId, decision: 'approve', by: 'alice' });
  await recordPublication(db, a.runId!, a.incidentId, { state: 'published', repo: 'acme/shop', prNumber: 3 });
  await recordPullRequestClosed(db, { repo: 'acme/shop', number: 3, merged: true, mergeCommitSha: 'b'.repeat(40) });
  await recordFixMerged(db, a.incidentId, 'b'.repeat(40), new Date(now));
  await recordPublication(db, b.runId!, b.incidentId, { state: 'published', repo: 'acme/shop', prNumber: 4 });
  await recordPullRequestClosed(db, { repo: 'acme/shop', number: 4, merged: false, mergeCommitSha: null });
  const later = await computeOutcomes(db, { dataDir });
  assert.deepEqual([later.proposals.approved, later.proposals.rejected, later.proposals.merged], [1, 1, 1]);
  assert.equal(later.timeToMergedPr?.count, 1);
  assert.ok(Math.abs(later.timeToMergedPr!.medianSeconds! - 400) < 2, String(later.timeToMergedPr?.medianSeconds));
  // Both PRs were opened now (published_at), 400 s after a's first alert.
  assert.equal(later.timeToPullRequest.count, 2);
  const aPublished = later.perIncident.find((i) => i.incidentId === a.incidentId);
  assert.ok(Math.abs(aPublished!.timeToPullRequestSeconds! - 400) < 5, String(aPublished?.timeToPullRequestSeconds));
  assert.match((await t.app.inject({ url: '/metrics', headers: dashboardAuthHeaders() })).body, /tracefix_time_to_pull_request_seconds\{quantile="0.5"\} \d/);

  // A second merged fix; then production speaks: the first came back, the second held.
  const c = fixed[1]!;
  await recordFixMerged(db, c.incidentId, 'c'.repeat(40), new Date(now));
  assert.deepEqual((await computeOutcomes(db, { dataDir })).recurrence, { merged: 2, regressed: 0, verified: 0, watching: 2, rate: 0 });
  await db.query('update fix_merges set regressed_at = now() where incident_id = $1', [a.incidentId]);
  await db.query('update fix_merges set verified_at = now() where incident_id = $1', [c.incidentId]);
  const held = await computeOutcomes(db, { dataDir });
  assert.deepEqual(held.recurrence, { merged: 2, regressed: 1, verified: 1, watching: 0, rate: 0.5 });
  const aOutcome = held.perIncident.find((i) => i.incidentId === a.incidentId);
  assert.equal(aOutcome?.recurrence, 'regressed');
  assert.ok(Math.abs(aOutcome!.timeToMergeSeconds! - 400) < 2);
  assert.equal(held.perIncident.find((i) => i.incidentId === c.incidentId)?.recurrence, 'verified');
  const heldMetrics = (await t.app.inject({ url: '/metrics', headers: dashboardAuthHeaders() })).body;
  assert.match(heldMetrics, /tracefix_post_merge_recurrence_rate 0\.5/);
  assert.match(heldMetrics, /tracefix_merged_fixes\{state="regressed"\} 1/);
  assert.match(heldMetrics, /tracefix_merged_fixes\{state="verified"\} 1/);
  const heldPage = (await t.app.inject({ url: '/outcomes', headers: dashboardAuthHeaders() })).body;
  assert.match(heldPage, /Post-merge recurrence rate<\/dt><dd>50%/);
  assert.match(heldPage, /Merged fixes<\/dt><dd>2/);
});

test('LLM cost per fix reads the runs\' transcripts', async () => {
  const db = t.testDb.db;
  const s = await seedIncident(db, dataDir);
  await db.query("update runs set engine = 'llm' where id = $1", [s.runId]);
  const transcript = {
    version: 1, kind: 'repair', incidentId: s.incidentId, model: 'test-model', endpoint: 'http://127.0.0.1:1/v1',
    startedAt: new Date().toISOString(),
    settings: { temperature: 0.2, maxTurns: 30, maxTokens: 1000, maxCostUsd: 2, timeoutMs: 1000, attempts: 1, stuckTurns: 8, maxOutputTokens: 100, stream: false },
    price: { inputPerMTok: 1, outputPerMTok: 2, source: 'configured' }, notes: [], tools: [], attempts: [],
    usage: { promptTokens: 1000, completionTokens: 100, costUsd: 0.25, calls: 3 }, stopped: 'validated',
  };
  await fs.writeFile(path.join(dataDir, 'runs', s.runId!, 'transcript.json'), JSON.stringify(transcript));
  const o = await computeOutcomes(db, { dataDir });
  // Two fixes were merged (the test above): the LLM's cost is spread over them.
  assert.deepEqual(o.llm, { runs: 1, costUsd: 0.25, fixes: 1, costPerFixUsd: 0.25, mergedFixes: 2, costPerMergedFixUsd: 0.125, runsWithoutTranscript: 0 });
  assert.equal(o.perIncident.find((i) => i.incidentId === s.incidentId)?.llmCostUsd, 0.25);
  const metrics = (await t.app.inject({ url: '/metrics', headers: dashboardAuthHeaders() })).body;
  assert.match(metrics, /tracefix_llm_cost_per_merged_fix_usd 0\.125/);
});
