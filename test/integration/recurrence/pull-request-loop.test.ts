// The loop around a published fix, on the GitHub fake (every request checked against GitHub's
// OpenAPI description) and a real repository mirror: without webhooks, polling the PR finds its
// merge and records it as the webhook would; the same failure from a release that contains the
// merge commit (a commit the mirror only has after a fetch) makes the incident regressed, queues a
// new run, and tells the PR once, with the new alert's evidence, even when a post fails or a
// worker dies between posting and recording it; the new run's fix gets a new PR (while the fix
// held, the merged PR stood for the incident).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { test } from 'node:test';
import type { Job } from 'bullmq';
import { pino } from 'pino';
import type { Alert } from '../../../schemas/alert.ts';
import { loadConfig } from '../../../src/config.ts';
import { regressionMarker } from '../../../src/publish/regression-comment.ts';
import { ArtifactStore } from '../../../src/store/artifacts.ts';
import { recordBundle } from '../../../src/store/bundle-store.ts';
import { getFixMerge } from '../../../src/store/fix-merge-store.ts';
import { getIncident, recordOutcome } from '../../../src/store/incident-store.ts';
import { getPublication } from '../../../src/store/publication-store.ts';
import { writeRunOutputs } from '../../../src/repair/proposal/index.ts';
import { createRun, finishRun } from '../../../src/store/run-store.ts';
import { publishProcessor } from '../../../workers/publish.ts';
import { pullRequestPollPass, recurrencePass } from '../../../workers/recurrence.ts';
import { makeAlert } from '../../helpers/alerts.ts';
import { ENGINES } from '../../helpers/databases.ts';
import { startFakeGithub } from '../../helpers/fake-github.ts';
import { publishFixture } from '../../helpers/publish-fixture.ts';
import { fixtureBundle } from '../../unit/reproduce/helpers.ts';

const log = pino({ level: process.env['TEST_LOG'] ?? 'silent' });
const TOKEN = `ghp_${randomBytes(16).toString('hex')}`;
const REPO = 'acme/shop-api';

test('a polled merge starts the watch; a regression is told on the PR once and starts a new run', { timeout: 300_000 }, async (t) => {
  const fixture = await publishFixture();
  t.after(fixture.close);
  const gh = await startFakeGithub({ token: TOKEN });
  t.after(() => gh.close());
  await gh.state.importRepo(REPO, fixture.repoDir);
  const { db, drop } = await ENGINES[0]!.open();
  t.after(drop);
  const dataDir = path.join(fixture.dir, 'data');
  const config = loadConfig({
    TRACEFIX_DATA_DIR: dataDir,
    TRACEFIX_GITHUB_TOKEN: TOKEN,
    TRACEFIX_GITHUB_API_URL: gh.url,
    TRACEFIX_PUBLIC_URL: 'https://tracefix.example.com',
  });
  const artifacts = new ArtifactStore(dataDir);
  const deps = { config, db, artifacts, log };

  // A fixed, published run of the incident (its bundle names the GitHub repository and the local origin).
  const send = async (overrides: Partial<Alert>) => {
    const r = await recordOutcome(db, { kind: 'alert', alert: makeAlert({ service: 'shop-api', ...overrides }) });
    assert.ok('incidentId' in r && r.incidentId);
    return r.incidentId;
  };
  const incidentId = await send({ release: 'shop-api@1.4.2', commitSha: fixture.commit });
  const bundle = await fixtureBundle('js-cart');
  bundle.incident.id = incidentId;
  bundle.repo.name = REPO;
  bundle.repo.url = fixture.repoDir;
  const canonicalJson = JSON.stringify(bundle);
  const sha256 = await artifacts.put(canonicalJson);
  await recordBundle(db, { incidentId, sha256, tokens: 1, canonicalJson, service: 'shop-api', repo: REPO, commitSha: fixture.commit });
  const run = { ...fixture.run, incident: { ...fixture.run.incident, id: incidentId } };
  await createRun(db, { id: run.id, incidentId, bundleSha256: sha256 });
  await finishRun(db, run);
  await writeRunOutputs(path.join(dataDir, 'runs', run.id), run);
  const job = { id: run.id, data: { incidentId, runId: run.id }, attemptsMade: 0, opts: { attempts: 1 } } as unknown as Job;
  assert.equal((await publishProcessor({ ...deps, enqueue: async () => undefined })(job)).status, 'published');
  const pr = (await getPublication(db, run.id))!.prNumber!;

  // Polling: an open PR changes nothing; once merged on GitHub, the merge is recorded.
  assert.deepEqual(await pullRequestPollPass(deps), [{ repo: REPO, number: pr, result: 'open', runs: [] }]);
  assert.equal((await getPublication(db, run.id))?.state, 'published');
  const merged = gh.state.closePull(REPO, pr, true);
  assert.deepEqual(await pullRequestPollPass(deps), [{ repo: REPO, number: pr, result: 'merged', runs: [run.id] }]);
  const publication = await getPublication(db, run.id);
  assert.equal(publication?.state, 'merged');
  assert.equal(publication?.mergeCommitSha, merged.mergeCommitSha);
  const fix = await getFixMerge(db, incidentId);
  assert.equal(fix?.mergeSha, merged.mergeCommitSha);
  assert.equal(fix?.mergedAt, new Date(merged.mergedAt!).toISOString());
  assert.equal((await getIncident(db, incidentId))?.status, 'merged');
  assert.deepEqual(await pullRequestPollPass(deps), [], 'a merged PR is not asked about again');

  // Another fixed run of the incident, at the merged head (a further guard on the fixed line).
  const publishRun = (id: string, jobId: string) =>
    publishProcessor({ ...deps, enqueue: async () => undefined })({ id: jobId, data: { incidentId, runId: id }, attemptsMade: 0, opts: { attempts: 1 } } as unknown as Job);
  const diff2 = 'diff --git a/src/cart.js b/src/cart.js\n--- a/src/cart.js\n+++ b/src/cart.js\n@@ -15,2 +15,3 @@\n   if (!coupon) return total;\n+  if (!(coupon.rate >= 0)) return total;\n   return total - total * coupon.rate;\n';
  const run2 = { ...run, id: 'run-abc-22345678', repo: { ...run.repo, commit: merged.mergeCommitSha! }, proposal: { ...run.proposal!, diff: diff2 } };
  await createRun(db, { id: run2.id, incidentId, bundleSha256: sha256 });
  await finishRun(db, run2);
  await writeRunOutputs(path.join(dataDir, 'runs', run2.id), run2);
  // While the merged fix holds, its PR stands for the incident: nothing new is opened.
  assert.equal((await publishRun(run2.id, run2.id)).status, 'not-published');
  assert.match((await getPublication(db, run2.id))?.reason ?? '', /already merged/);
  assert.equal(gh.state.mustRepo(REPO).pulls.size, 1);
  // The open PR was seen on the list of open PRs; only once it left the list was it read by itself.
  const polls = gh.requests.filter((r) => r.method === 'GET' && r.path === `/repos/${REPO}/pulls/${pr}`);
  assert.equal(polls.length, 1);
  assert.equal(gh.requests.filter((r) => r.method === 'GET' && r.path === `/repos/${REPO}/pulls` && /state=open/.test(r.query)).length, 2);

  // The mirror is cloned before GitHub's merge commit reaches the origin: the fix cannot be placed yet.
  const later = (s: number) => new Date(Date.now() + s * 1000).toISOString();
  await send({ release: 'shop-api@1.4.2', commitSha: fixture.commit, receivedAt: later(1) });
  assert.deepEqual(await recurrencePass(deps), [{ incidentId, result: 'watching' }]);
  assert.equal((await getFixMerge(db, incidentId))?.unclassified, 1);

  // The merge reaches the origin; the failure comes back from the release built from it. Its
  // commit is unknown to the mirror, which fetches it, and the release contains the fix.
  await gh.state.exportTo(REPO, fixture.repoDir);
  const eventId = 'e'.repeat(32);
  const comeback = {
    release: 'shop-api@1.5.0',
    commitSha: merged.mergeCommitSha!,
    receivedAt: later(2),
    link: 'https://sentry.example.com/organizations/acme/issues/42/events/eeee/',
    sourceRefs: { event_id: eventId },
    frames: [
      { file: 'src/server.js', function: 'handle', line: 10, inApp: true },
      { file: 'src/cart.js', function: 'totalPrice', line: 42, inApp: true },
      { file: 'node:internal/process', function: 'tick', line: 1, inApp: false },
    ],
  };
  // The first post is refused (a permission GitHub lacked for a moment): it is retried next pass.
  gh.inject({ method: 'POST', path: /\/issues\/\d+\/comments$/, status: 403, body: { message: 'Resource not accessible by integration' } });
  await send(comeback);
  const [outcome] = await recurrencePass(deps);
  assert.equal(outcome?.result, 'regressed');
  assert.equal((await getIncident(db, incidentId))?.status, 'regressed');
  const jobs = await db.query<{ job_id: string }>("select job_id from outbox where queue = 'assemble' and payload->>'incidentId' = $1 order by id", [incidentId]);
  assert.ok(jobs.some((j) => j.job_id === `${incidentId}-regressed-${outcome?.regressionAlertId}`), 'a new run is queued');
  const comments = () => [...gh.state.mustRepo(REPO).comments.values()].filter((c) => c.issue === pr && c.body.includes('tracefix:regression='));
  assert.equal(comments().length, 0, 'the refused post left no comment');
  assert.equal((await getFixMerge(db, incidentId))?.regressedAt !== null, true);

  await recurrencePass(deps);
  const [comment] = comments();
  assert.ok(comment, 'posted on the next pass');
  assert.ok(comment.body.includes(regressionMarker(incidentId, outcome!.regressionAlertId!)));
  assert.match(comment.body, /came back despite this fix/);
  assert.ok(comment.body.includes('| Release | `shop-api@1.5.0` |'));
  assert.ok(comment.body.includes(`| Commit | \`${merged.mergeCommitSha}\` |`));
  assert.ok(comment.body.includes(`\`${new Date(comeback.receivedAt).toISOString()}\``));
  assert.ok(comment.body.includes(`\`${eventId}\``));
  assert.ok(comment.body.includes(`[open the event](${comeback.link})`));
  assert.ok(comment.body.includes('| Top frame | `src/cart.js:42 in totalPrice` |'), comment.body);
  assert.ok(comment.body.includes(`https://tracefix.example.com/incidents/${incidentId}`));
  assert.ok(!comment.body.includes(TOKEN));

  // Told once: later passes, and a worker that died after posting but before recording it, find it.
  await recurrencePass(deps);
  await db.query('update fix_merges set regression_commented_at = null, regression_comment_claimed_at = null where incident_id = $1', [incidentId]);
  await recurrencePass(deps);
  assert.equal(comments().length, 1);
  const [row] = await db.query<{ at: string | null }>('select regression_commented_at as at from fix_merges where incident_id = $1', [incidentId]);
  assert.ok(row?.at);

  // The run the regression started publishes despite the merged PR: a new PR, which the poll watches.
  assert.equal((await publishRun(run2.id, `${run2.id}-after-regression`)).status, 'published');
  const second = await getPublication(db, run2.id);
  assert.equal(second?.state, 'published');
  assert.notEqual(second?.prNumber, pr);
  assert.equal(gh.state.mustRepo(REPO).pulls.get(second!.prNumber!)?.state, 'open');
  assert.deepEqual(await pullRequestPollPass(deps), [{ repo: REPO, number: second!.prNumber!, result: 'open', runs: [] }]);
  assert.deepEqual(gh.violations, []);
});
