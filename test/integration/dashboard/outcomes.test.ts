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
  const fixed = [];
  for (const ago of [100, 200, 400]) fixed.push(await seedIncident(db, dataDir, { firstSeen: new Date(now - ago * 1000) }));
  for (const s of fixed) await db.query('update runs set finished_at = $2 where id = $1', [s.runId, new Date(now).toISOString()]);
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
  assert.deepEqual(o.llm, { runs: 0, costUsd: 0, fixes: 0, costPerFixUsd: null, runsWithoutTranscript: 0 });
  // Nothing published yet: zero decisions and merges, and no merge durations to summarize.
  assert.deepEqual([o.proposals.approved, o.proposals.rejected, o.proposals.merged], [0, 0, 0]);
  assert.equal(o.timeToMergedPr?.count, 0);

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
  assert.deepEqual(o.llm, { runs: 1, costUsd: 0.25, fixes: 1, costPerFixUsd: 0.25, runsWithoutTranscript: 0 });
});
