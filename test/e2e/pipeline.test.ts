// The whole service pipeline as an operator runs it: `tracefix serve` on its embedded defaults
// (PGlite, inline workers), a signed Sentry alert for a real bug in a repository the service map
// names, and then assemble → reproduce → repair as BullMQ jobs on a real Redis, in the local
// sandbox, until the incident's run is `fixed` and its outputs are in the data dir.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Run } from '../../schemas/run.ts';
import { dashboardAuthHeaders, SECRETS, sentryHeaders, TEST_DASHBOARD_TOKEN } from '../helpers/app.ts';
import { startCli } from '../helpers/cli.ts';
import { gitIn } from '../helpers/git-repo.ts';
import { freePort, PrivateRedis } from '../helpers/redis-server.ts';
import { bwrapUnavailable } from '../helpers/sandbox-probes.ts';

const REPO = path.resolve(import.meta.dirname, '../fixtures/repro-repos/js-cart');

interface RunRow {
  id: string;
  status: string;
  reason: string | null;
  record: unknown;
}

test('a signed Sentry alert becomes a fixed run: assemble → reproduce → repair through the queues', { skip: bwrapUnavailable(), timeout: 600_000 }, async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-pipeline-'));
  await chmod(dir, 0o711);
  t.after(() => rm(dir, { recursive: true, force: true }));
  const repo = path.join(dir, 'shop-api');
  await cp(REPO, repo, { recursive: true, filter: (src) => !src.endsWith('incident.sentry.json') });
  await gitIn(repo, 'init', '-q', '-b', 'main');
  await gitIn(repo, 'add', '-A');
  await gitIn(repo, 'commit', '-q', '-m', 'shop-api 1.4.2');

  const redis = new PrivateRedis(await freePort());
  await redis.start();
  t.after(() => redis.stop());
  const port = await freePort();
  const dataDir = path.join(dir, 'data');
  const cli = startCli(['serve'], {
    PORT: String(port),
    TRACEFIX_DATA_DIR: dataDir,
    REDIS_URL: redis.url,
    TRACEFIX_QUEUE_PREFIX: `pipe-${randomBytes(4).toString('hex')}`,
    TRACEFIX_OUTBOX_INTERVAL_MS: '100',
    TRACEFIX_DASHBOARD_TOKEN: TEST_DASHBOARD_TOKEN,
    TRACEFIX_SENTRY_CLIENT_SECRET: SECRETS.TRACEFIX_SENTRY_CLIENT_SECRET,
    TRACEFIX_SERVICE_REPOS: JSON.stringify({ 'shop-api': repo }),
    TRACEFIX_SANDBOX_DRIVER: 'local',
  });
  t.after(() => cli.child.kill('SIGKILL'));
  await cli.waitFor(/tracefix is serving/);
  const base = `http://127.0.0.1:${port}`;

  const body = await readFile(path.join(REPO, 'incident.sentry.json'));
  const res = await fetch(`${base}/webhooks/sentry`, { method: 'POST', body, headers: sentryHeaders(body, 'event_alert', randomBytes(16).toString('hex')) });
  assert.equal(res.status, 202);
  const { incidentId } = (await res.json()) as { incidentId: string };

  let run: RunRow | undefined;
  for (let i = 0; i < 500; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const runs = await fetch(`${base}/api/incidents/${incidentId}/runs`, { headers: dashboardAuthHeaders() });
    if (runs.status !== 200) continue;
    run = ((await runs.json()) as { items: RunRow[] }).items[0];
    if (run && !['reproducing', 'repairing'].includes(run.status)) break;
  }
  assert.ok(run, `a run was created\n${cli.output().slice(-3000)}`);
  assert.equal(run.status, 'fixed', `${run.reason}\n${cli.output().slice(-3000)}`);
  const record = Run.parse(run.record);
  assert.equal(record.incident.id, incidentId);
  assert.equal(record.reproduction?.status, 'reproduced');
  assert.ok(record.proposal?.body.includes(incidentId), 'the PR body names the incident');

  const incident = (await (await fetch(`${base}/api/incidents/${incidentId}`, { headers: dashboardAuthHeaders() })).json()) as { status: string };
  assert.equal(incident.status, 'fixed');
  const fetched = (await (await fetch(`${base}/api/runs/${run.id}`, { headers: dashboardAuthHeaders() })).json()) as RunRow;
  assert.equal(fetched.id, run.id);
  const outputs = await readdir(path.join(dataDir, 'runs', run.id));
  for (const f of ['patch.diff', 'pr.md', 'result.json']) assert.ok(outputs.includes(f), `${f} in the run's directory (got ${outputs.join(', ')})`);
  assert.equal((await fetch(`${base}/api/runs/nope`, { headers: dashboardAuthHeaders() })).status, 400);

  cli.child.kill('SIGTERM');
  assert.equal(await cli.exited, 0);
});
