// The whole way to a pull request: `tracefix serve` on its embedded defaults with a GitHub token,
// a signed Sentry alert for a real bug in a repository on the GitHub protocol fake (REST under
// /api/v3 and the repository over smart HTTP, as GitHub Enterprise Server serves them), then
// assemble → reproduce → repair → publish through the queues until a draft PR is open. A
// redelivered alert and a retried publish job add no second PR; the PR's merge is recorded.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, cp, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { dashboardAuthHeaders, githubHeaders, SECRETS, sentryHeaders, TEST_DASHBOARD_TOKEN } from '../helpers/app.ts';
import { startCli } from '../helpers/cli.ts';
import { startFakeGithub } from '../helpers/fake-github.ts';
import { gitIn } from '../helpers/git-repo.ts';
import { expectedTree } from '../helpers/publish-fixture.ts';
import { freePort, PrivateRedis } from '../helpers/redis-server.ts';
import { bwrapUnavailable } from '../helpers/sandbox-probes.ts';

const REPO = path.resolve(import.meta.dirname, '../fixtures/repro-repos/js-cart');
const TOKEN = `ghp_${randomBytes(18).toString('hex')}`;

async function poll<T>(fn: () => Promise<T | undefined>, what: string, output: () => string, tries = 500): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await fn();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`${what} did not happen\n${output().slice(-4000)}`);
}

test('a signed Sentry alert becomes one draft PR on GitHub, and stays one', { skip: bwrapUnavailable(), timeout: 900_000 }, async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-publish-e2e-'));
  await chmod(dir, 0o711);
  t.after(() => rm(dir, { recursive: true, force: true }));
  const repo = path.join(dir, 'shop-api');
  await cp(REPO, repo, { recursive: true, filter: (src) => !src.endsWith('incident.sentry.json') });
  await gitIn(repo, 'init', '-q', '-b', 'main');
  await gitIn(repo, 'add', '-A');
  await gitIn(repo, 'commit', '-q', '-m', 'shop-api 1.4.2');
  const gitRoot = path.join(dir, 'git');
  await mkdir(path.join(gitRoot, 'acme'), { recursive: true });
  await gitIn(dir, 'clone', '-q', '--bare', repo, path.join(gitRoot, 'acme', 'shop-api.git'));

  const gh = await startFakeGithub({ token: TOKEN, apiPrefix: '/api/v3', gitProjectRoot: gitRoot });
  t.after(() => gh.close());
  await gh.state.importRepo('acme/shop-api', repo);

  const redis = new PrivateRedis(await freePort());
  await redis.start();
  t.after(() => redis.stop());
  const port = await freePort();
  const dataDir = path.join(dir, 'data');
  const prefix = `pub-${randomBytes(4).toString('hex')}`;
  const cli = startCli(['serve'], {
    PORT: String(port),
    TRACEFIX_DATA_DIR: dataDir,
    TRACEFIX_DASHBOARD_TOKEN: TEST_DASHBOARD_TOKEN,
    REDIS_URL: redis.url,
    TRACEFIX_QUEUE_PREFIX: prefix,
    TRACEFIX_OUTBOX_INTERVAL_MS: '100',
    TRACEFIX_SENTRY_CLIENT_SECRET: SECRETS.TRACEFIX_SENTRY_CLIENT_SECRET,
    TRACEFIX_GITHUB_WEBHOOK_SECRET: SECRETS.TRACEFIX_GITHUB_WEBHOOK_SECRET,
    TRACEFIX_GITHUB_TOKEN: TOKEN,
    TRACEFIX_GITHUB_API_URL: gh.url,
    TRACEFIX_SERVICE_REPOS: JSON.stringify({ 'shop-api': 'acme/shop-api' }),
    TRACEFIX_SANDBOX_DRIVER: 'local',
    LOG_LEVEL: 'debug',
  });
  t.after(() => cli.child.kill('SIGKILL'));
  await cli.waitFor(/tracefix is serving/);
  const base = `http://127.0.0.1:${port}`;

  const body = await readFile(path.join(REPO, 'incident.sentry.json'));
  const deliveryId = randomBytes(16).toString('hex');
  const res = await fetch(`${base}/webhooks/sentry`, { method: 'POST', body, headers: sentryHeaders(body, 'event_alert', deliveryId) });
  assert.equal(res.status, 202);
  const { incidentId } = (await res.json()) as { incidentId: string };

  const runId = await poll(async () => {
    const runs = await fetch(`${base}/api/incidents/${incidentId}/runs`, { headers: dashboardAuthHeaders() });
    const run = runs.status === 200 ? ((await runs.json()) as { items: { id: string; status: string }[] }).items[0] : undefined;
    if (run && !['reproducing', 'repairing'].includes(run.status)) {
      assert.equal(run.status, 'fixed', cli.output().slice(-3000));
      return run.id;
    }
    return undefined;
  }, 'a finished run', cli.output);
  const publication = await poll(async () => {
    const r = await fetch(`${base}/api/runs/${runId}/publication`, { headers: dashboardAuthHeaders() });
    const p = r.status === 200 ? ((await r.json()) as { state: string; prNumber: number; prUrl: string; reason: string }) : undefined;
    return p && p.state !== 'approved' ? p : undefined;
  }, 'a publication', cli.output, 120);
  assert.equal(publication.state, 'published', `${publication.reason}\n${cli.output().slice(-3000)}`);

  const ghRepo = gh.state.mustRepo('acme/shop-api');
  assert.equal(ghRepo.pulls.size, 1);
  const pull = [...ghRepo.pulls.values()][0]!;
  assert.equal(pull.draft, true);
  assert.equal(pull.head, `tracefix/${incidentId}`);
  assert.equal(pull.number, publication.prNumber);
  assert.ok(pull.body.includes(`<!-- tracefix:incident=${incidentId} -->`));
  assert.deepEqual(pull.labels, ['tracefix']);
  const runDir = path.join(dataDir, 'runs', runId);
  const testName = (await readdir(runDir)).find((f) => f.startsWith('tracefix') || f.includes('.test.'))!;
  const record = JSON.parse(await readFile(path.join(runDir, 'result.json'), 'utf8')) as { proposal: { testFile: string } };
  const commit = gh.state.git.readCommit(ghRepo.branches.get(pull.head)!)!;
  assert.equal(commit.tree, await expectedTree(repo, path.join(runDir, 'patch.diff'), record.proposal.testFile, await readFile(path.join(runDir, testName), 'utf8')));
  assert.match(commit.message, new RegExp(`Tracefix-Incident: ${incidentId}`));

  // The same alert again (a redelivery): attached to the incident, no new run, no second PR.
  const again = await fetch(`${base}/webhooks/sentry`, { method: 'POST', body, headers: sentryHeaders(body, 'event_alert', deliveryId) });
  assert.ok([200, 202].includes(again.status));
  // A publish job retried (a second job for the same run): the PR is found and updated.
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  const queue = new Queue('publish', { connection, prefix });
  const job = await queue.add('publish', { incidentId, runId }, { jobId: `${runId}-again` });
  await poll(async () => ((await job.getState()) === 'completed' ? true : (await job.getState()) === 'failed' ? Promise.reject(new Error(job.failedReason)) : undefined), 'the retried job', cli.output, 120);
  await queue.close();
  connection.disconnect();
  assert.equal(ghRepo.pulls.size, 1, 'still one PR');
  const runs = (await (await fetch(`${base}/api/incidents/${incidentId}/runs`, { headers: dashboardAuthHeaders() })).json()) as { items: unknown[] };
  assert.equal(runs.items.length, 1);

  // The team merges it: the webhook records the merge commit.
  const merged = gh.state.closePull('acme/shop-api', pull.number, true);
  const event = Buffer.from(JSON.stringify({ action: 'closed', number: pull.number, pull_request: { number: pull.number, merged: true, merge_commit_sha: merged.mergeCommitSha, head: { ref: pull.head } }, repository: { full_name: 'acme/shop-api' } }));
  const hook = await fetch(`${base}/webhooks/github`, { method: 'POST', body: event, headers: githubHeaders(event, 'pull_request', randomBytes(8).toString('hex')) });
  assert.equal(hook.status, 200);
  const after = (await (await fetch(`${base}/api/runs/${runId}/publication`, { headers: dashboardAuthHeaders() })).json()) as { state: string; mergeCommitSha: string };
  assert.equal(after.state, 'merged');
  assert.equal(after.mergeCommitSha, merged.mergeCommitSha);

  assert.deepEqual(gh.violations, []);
  assert.ok(!cli.output().includes(TOKEN), 'the token is in no log line');
  assert.ok(!(await readFile(path.join(runDir, 'result.json'), 'utf8')).includes(TOKEN));
  cli.child.kill('SIGTERM');
  assert.equal(await cli.exited, 0);
});
