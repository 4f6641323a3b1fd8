// What a new user met running `tracefix serve` for real (issue 20), as real processes: a run that
// fails for a missing repository mapping says so in one line and leaves the incident `failed` like
// its run; after the mapping is set, `tracefix retry` runs it again to `fixed`, at HEAD of the
// default branch because no commit was known, and says so. Plus: a prefix another database owns
// stops startup, `--version`, and a service whose parent exits stops too.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { Run } from '../../schemas/run.ts';
import { recordOutcome } from '../../src/store/incident-store.ts';
import { createRun, failRun } from '../../src/store/run-store.ts';
import { makeAlert } from '../helpers/alerts.ts';
import { dashboardAuthHeaders, SECRETS, sentryHeaders, TEST_DASHBOARD_TOKEN } from '../helpers/app.ts';
import { REPO_ROOT, runCli, startCli, TRACEFIX_BIN } from '../helpers/cli.ts';
import { postgresDb } from '../helpers/databases.ts';
import { gitIn } from '../helpers/git-repo.ts';
import { freePort, PrivateRedis } from '../helpers/redis-server.ts';
import { bwrapUnavailable } from '../helpers/sandbox-probes.ts';

const REPO = path.resolve(import.meta.dirname, '../fixtures/repro-repos/js-cart');

interface RunRow {
  id: string;
  status: string;
  reason: string | null;
  configFix: string | null;
  record: unknown;
}

function jsonLines(output: string): Record<string, unknown>[] {
  return output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function latestRun(base: string, incidentId: string, done: (run: RunRow) => boolean, tries = 500): Promise<RunRow | undefined> {
  let run: RunRow | undefined;
  for (let i = 0; i < tries; i++) {
    await sleep(1000);
    const res = await fetch(`${base}/api/incidents/${incidentId}/runs`, { headers: dashboardAuthHeaders() });
    if (res.status !== 200) continue;
    run = ((await res.json()) as { items: RunRow[] }).items[0];
    if (run && done(run)) return run;
  }
  return run;
}

test('a configuration failure is one line and a failed incident; after the fix, tracefix retry runs it to fixed and says the commit was unknown', { skip: bwrapUnavailable(), timeout: 900_000 }, async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-ops-'));
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
  const base = `http://127.0.0.1:${port}`;
  const env = {
    PORT: String(port),
    TRACEFIX_DATA_DIR: path.join(dir, 'data'),
    TRACEFIX_DASHBOARD_TOKEN: TEST_DASHBOARD_TOKEN,
    REDIS_URL: redis.url,
    TRACEFIX_QUEUE_PREFIX: `ops-${randomBytes(4).toString('hex')}`,
    TRACEFIX_OUTBOX_INTERVAL_MS: '100',
    TRACEFIX_SENTRY_CLIENT_SECRET: SECRETS.TRACEFIX_SENTRY_CLIENT_SECRET,
    TRACEFIX_SANDBOX_DRIVER: 'local',
  };

  // 1. No repository mapped: the run fails at once, for a reason the operator can act on.
  const first = startCli(['serve'], env);
  t.after(() => first.child.kill('SIGKILL'));
  await first.waitFor(/tracefix is serving/);
  const body = await readFile(path.join(REPO, 'incident.sentry.json'));
  const res = await fetch(`${base}/webhooks/sentry`, { method: 'POST', body, headers: sentryHeaders(body, 'event_alert', randomBytes(16).toString('hex')) });
  assert.equal(res.status, 202);
  const { incidentId } = (await res.json()) as { incidentId: string };
  const failed = await latestRun(base, incidentId, (r) => r.status === 'failed', 120);
  assert.equal(failed?.status, 'failed', first.output().slice(-3000));
  assert.equal(failed?.configFix, 'TRACEFIX_SERVICE_REPOS');
  const incident = (await (await fetch(`${base}/api/incidents/${incidentId}`, { headers: dashboardAuthHeaders() })).json()) as Record<string, unknown>;
  assert.equal(incident.status, 'failed', 'the incident follows its run');
  assert.equal(incident.service, 'shop-api');
  await sleep(300);
  const lines = jsonLines(first.output());
  const config = lines.filter((l) => l.msg === 'Run needs configuration');
  assert.equal(config.length, 1, 'one line');
  assert.equal(config[0]?.fix, 'TRACEFIX_SERVICE_REPOS');
  assert.ok(!('err' in (config[0] ?? {})), 'no stack trace');
  assert.ok(!lines.some((l) => l.msg === 'Job failed'), 'not also logged as a job failure');
  const ended = lines.find((l) => l.msg === 'Run ended');
  assert.equal(ended?.outcome, 'failed');
  assert.equal(ended?.incidentId, incidentId);
  assert.equal(typeof ended?.durationMs, 'number');
  assert.match(String(ended?.reason), /map it in TRACEFIX_SERVICE_REPOS/);
  first.child.kill('SIGTERM');
  assert.equal(await first.exited, 0);

  // 2. The mapping is set; the incident is retried from the command line (over HTTP: PGlite).
  const second = startCli(['serve'], { ...env, TRACEFIX_SERVICE_REPOS: JSON.stringify({ 'shop-api': repo }) });
  t.after(() => second.child.kill('SIGKILL'));
  await second.waitFor(/tracefix is serving/);
  const retried = await runCli(['retry', incidentId, '--engine', 'templates'], { ...env }, 240_000);
  assert.equal(retried.code, 0, retried.output);
  assert.match(retried.output, new RegExp(`queued ${incidentId} \\(engine templates`));
  const fixed = await latestRun(base, incidentId, (r) => r.id !== failed?.id && !['reproducing', 'repairing'].includes(r.status));
  assert.equal(fixed?.status, 'fixed', `${fixed?.reason}\n${second.output().slice(-3000)}`);
  const record = Run.parse(fixed?.record);
  assert.equal(record.repo.note, 'commit unknown; repaired at HEAD of main');
  const runDir = path.join(env.TRACEFIX_DATA_DIR, 'runs', fixed!.id);
  assert.match(await readFile(path.join(runDir, 'pr.md'), 'utf8'), /commit unknown; repaired at HEAD of main/);
  assert.match(await readFile(path.join(runDir, 'result.json'), 'utf8'), /"note": "commit unknown; repaired at HEAD of main"/);
  const after = (await (await fetch(`${base}/api/incidents/${incidentId}`, { headers: dashboardAuthHeaders() })).json()) as Record<string, unknown>;
  assert.equal(after.status, 'fixed');
  assert.equal(after.repo, repo, 'the repository the bundle resolved');
  const byService = (await (await fetch(`${base}/api/incidents?service=shop-api&status=fixed`, { headers: dashboardAuthHeaders() })).json()) as { items: { id: string }[] };
  assert.deepEqual(byService.items.map((i) => i.id), [incidentId]);
  await sleep(300);
  const out = jsonLines(second.output());
  assert.ok(out.some((l) => l.msg === 'Run ended' && l.outcome === 'fixed' && l.runId === fixed?.id));
  assert.ok(out.some((l) => l.msg === 'Commit unknown; repairing the default branch' && l.branch === 'main'));
  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0);
});

test('a queue prefix registered by another database stops startup with a message naming TRACEFIX_QUEUE_PREFIX', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-prefix-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const prefix = `claimed-${randomBytes(4).toString('hex')}`;
  const redis = new Redis('redis://127.0.0.1:6379');
  t.after(async () => {
    await redis.del(`${prefix}:instance`);
    redis.disconnect();
  });
  await redis.set(`${prefix}:instance`, 'tfi_0123456789abcdef');
  // Postgres, for a quick start; the prefix check is the same with PGlite.
  const { url, drop } = await postgresDb();
  t.after(drop);
  const { code, output } = await runCli(['serve'], { PORT: String(await freePort()), TRACEFIX_DATA_DIR: dir, TRACEFIX_QUEUE_PREFIX: prefix, DATABASE_URL: url! }, 240_000);
  assert.equal(code, 2, output);
  assert.match(output, new RegExp(`TRACEFIX_QUEUE_PREFIX: the queue prefix "${prefix}" on this Redis belongs to another tracefix database \\(instance tfi_0123456789abcdef`));
  assert.ok(!/\n\s+at /.test(output), 'no stack trace');
});

test('tracefix --version prints the package version', async () => {
  const pkg = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  const { code, output } = await runCli(['--version'], {});
  assert.equal(code, 0);
  assert.equal(output.trim(), `tracefix ${pkg.version}`);
});

test('the service exits when the parent that started it goes away without passing a signal on (npm start under a process manager)', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-parent-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const port = await freePort();
  // A shell that runs the service as a child and never forwards signals. The service writes to a file: a pipe to this test would close with the shell.
  const logFile = path.join(dir, 'serve.log');
  const pidFile = path.join(dir, 'serve.pid');
  const parent = spawn('sh', ['-c', `"${process.execPath}" "${TRACEFIX_BIN}" serve > "${logFile}" 2>&1 & echo $! > "${pidFile}"; wait`], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', PORT: String(port), TRACEFIX_DATA_DIR: path.join(dir, 'data'), REDIS_URL: `redis://127.0.0.1:${await freePort()}` },
    stdio: 'ignore',
  });
  const output = () => readFile(logFile, 'utf8').catch(() => '');
  let out = '';
  for (let i = 0; i < 3000 && !out.includes('tracefix is serving'); i++) {
    await sleep(100);
    out = await output();
  }
  const serving = jsonLines(out).find((l) => l.msg === 'tracefix is serving');
  assert.ok(serving, out);
  const pid = Number((await readFile(pidFile, 'utf8')).trim());
  assert.ok(pid > 0);
  process.kill(pid, 0); // alive before the parent goes
  t.after(() => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone, as it should be
    }
  });
  parent.kill('SIGKILL');
  let alive = true;
  for (let i = 0; i < 600 && alive; i++) {
    await sleep(100);
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
  }
  assert.equal(alive, false, 'the service exited');
  assert.match(await output(), /"signal":"parent-exited"/, 'it stopped because its parent went away');
  const free = await new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
  assert.ok(free, 'the port is free');
});

test('tracefix retry with DATABASE_URL writes the retry itself: one incident, or every configuration failure', async (t) => {
  const { db, url, drop } = await postgresDb();
  t.after(drop);
  const env = { DATABASE_URL: url! };
  const failedRun = async (fix: string | undefined) => {
    const { incidentId } = (await recordOutcome(db, { kind: 'alert', alert: makeAlert({ errorType: `E${randomBytes(4).toString('hex')}` }) })) as { incidentId: string };
    const runId = `run-cli${randomBytes(3).toString('hex')}-${randomBytes(4).toString('hex')}`;
    await createRun(db, { id: runId, incidentId, bundleSha256: null });
    await failRun(db, runId, 'no repository is known for service billing: map it in TRACEFIX_SERVICE_REPOS', fix);
    return incidentId;
  };
  const one = await failedRun(undefined);
  const single = await runCli(['retry', one, '--engine', 'templates'], env, 240_000);
  assert.equal(single.code, 0, single.output);
  assert.match(single.output, new RegExp(`queued ${one} \\(engine templates, job ${one}-r`));
  const busy = await runCli(['retry', one], env, 240_000);
  assert.equal(busy.code, 1, busy.output);
  assert.match(busy.output, /is queued: its pipeline is still running/);

  const configA = await failedRun('TRACEFIX_SERVICE_REPOS');
  const configB = await failedRun('npx tracefix images build');
  const infra = await failedRun(undefined);
  const bulk = await runCli(['retry', '--config-failures'], env, 240_000);
  assert.equal(bulk.code, 0, bulk.output);
  assert.match(bulk.output, /2 queued, 0 skipped/);
  const statuses = await db.query<{ id: string; status: string }>('select id, status from incidents where id = any($1)', [[configA, configB, infra]]);
  assert.deepEqual(Object.fromEntries(statuses.map((r) => [r.id, r.status])), { [configA]: 'queued', [configB]: 'queued', [infra]: 'failed' });
  const bad = await runCli(['retry', 'not-an-id'], env, 240_000);
  assert.equal(bad.code, 2);
  assert.match(bad.output, /not an incident id/);
});
