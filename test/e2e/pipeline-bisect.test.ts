// The service pipeline on a repository with a history: after the repair job has its fix, the run
// record and the PR text name the commit that introduced the failure, found by running the
// reproduction test at first-parent commits in the local sandbox.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Run } from '../../schemas/run.ts';
import { dashboardAuthHeaders, SECRETS, sentryHeaders, TEST_DASHBOARD_TOKEN } from '../helpers/app.ts';
import { startCli } from '../helpers/cli.ts';
import { commit, gitIn } from '../helpers/git-repo.ts';
import { freePort, PrivateRedis } from '../helpers/redis-server.ts';
import { bwrapUnavailable } from '../helpers/sandbox-probes.ts';

const REPO = path.resolve(import.meta.dirname, '../fixtures/repro-repos/js-cart');

test('a fixed run through the queues says which commit introduced the failure', { skip: bwrapUnavailable(), timeout: 900_000 }, async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-pipeline-bisect-'));
  await chmod(dir, 0o711);
  t.after(() => rm(dir, { recursive: true, force: true }));
  const repo = path.join(dir, 'shop-api');
  await cp(REPO, repo, { recursive: true, filter: (src) => !src.endsWith('incident.sentry.json') });
  const buggy = await readFile(path.join(repo, 'src/cart.js'), 'utf8');
  const safe = buggy.replace('const coupon = findCoupon(code);', 'const coupon = findCoupon(code) ?? { rate: 0 };');
  assert.notEqual(safe, buggy);
  await writeFile(path.join(repo, 'src/cart.js'), safe);
  await gitIn(repo, 'init', '-q', '-b', 'main');
  await gitIn(repo, 'add', '-A');
  await gitIn(repo, 'commit', '-q', '-m', 'shop-api 1.4.0');
  await commit(repo, { 'README.md': 'shop-api\n' }, 'docs: readme');
  const introducing = await commit(repo, { 'src/cart.js': buggy }, 'cart: coupon codes are always known');
  await commit(repo, { 'README.md': 'shop-api 1.4.2\n' }, 'shop-api 1.4.2');

  const redis = new PrivateRedis(await freePort());
  await redis.start();
  t.after(() => redis.stop());
  const port = await freePort();
  const cli = startCli(['serve'], {
    PORT: String(port),
    TRACEFIX_DATA_DIR: path.join(dir, 'data'),
    TRACEFIX_DASHBOARD_TOKEN: TEST_DASHBOARD_TOKEN,
    REDIS_URL: redis.url,
    TRACEFIX_QUEUE_PREFIX: `bisect-${randomBytes(4).toString('hex')}`,
    TRACEFIX_OUTBOX_INTERVAL_MS: '100',
    TRACEFIX_SENTRY_CLIENT_SECRET: SECRETS.TRACEFIX_SENTRY_CLIENT_SECRET,
    TRACEFIX_SERVICE_REPOS: JSON.stringify({ 'shop-api': repo }),
    TRACEFIX_SANDBOX_DRIVER: 'local',
  });
  t.after(() => cli.child.kill('SIGKILL'));
  await cli.waitFor(/tracefix is serving/, 400_000);
  const base = `http://127.0.0.1:${port}`;

  const body = await readFile(path.join(REPO, 'incident.sentry.json'));
  const res = await fetch(`${base}/webhooks/sentry`, { method: 'POST', body, headers: sentryHeaders(body, 'event_alert', randomBytes(16).toString('hex')) });
  assert.equal(res.status, 202);
  const { incidentId } = (await res.json()) as { incidentId: string };

  let run: { status: string; reason: string | null; record: unknown } | undefined;
  for (let i = 0; i < 800; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const runs = await fetch(`${base}/api/incidents/${incidentId}/runs`, { headers: dashboardAuthHeaders() });
    if (runs.status !== 200) continue;
    run = ((await runs.json()) as { items: (typeof run & object)[] }).items[0];
    if (run && !['reproducing', 'repairing'].includes(run.status)) break;
  }
  assert.ok(run, `a run was created\n${cli.output().slice(-3000)}`);
  assert.equal(run.status, 'fixed', `${run.reason}\n${cli.output().slice(-3000)}`);
  const record = Run.parse(run.record);
  assert.equal(record.bisect?.status, 'found', `${record.bisect?.reason}`);
  assert.equal(record.bisect?.firstBad?.sha, introducing);
  assert.equal(record.bisect?.firstBad?.subject, 'cart: coupon codes are always known');
  assert.match(record.proposal?.body ?? '', new RegExp(`## Introduced by\\n\\n\`${introducing.slice(0, 12)}\` cart: coupon codes are always known`));
  cli.child.kill('SIGTERM');
  assert.equal(await cli.exited, 0);
});
