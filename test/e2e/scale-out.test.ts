// Scale out: one `serve` (TRACEFIX_WORKERS=off) and two `tracefix worker` processes with their own
// data directories, as on two hosts, against one Redis and one Postgres (the host's, in a queue
// prefix and a schema of their own). Ten incidents of ten services go in; each must be assembled,
// reproduced and repaired exactly once, both workers must take work, and a worker SIGKILLed
// in the middle of a repair must leave that job to the other through BullMQ's stalled-job
// recovery (shortened here through TRACEFIX_QUEUE_LOCK_MS / _STALLED_INTERVAL_MS).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Run } from '../../schemas/run.ts';
import { SECRETS, sentryHeaders } from '../helpers/app.ts';
import { startCli, type RunningCli } from '../helpers/cli.ts';
import { postgresDb } from '../helpers/databases.ts';
import { gitIn } from '../helpers/git-repo.ts';
import { freePort } from '../helpers/redis-server.ts';
import { bwrapUnavailable } from '../helpers/sandbox-probes.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/repro-repos/js-cart');
const INCIDENTS = 10;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Service i: the fixture with its buggy function renamed, so each incident has its own crash site
 * (the fingerprint) and its own repository. */
async function service(dir: string, i: number): Promise<{ name: string; repo: string; alert: Buffer }> {
  const name = `shop-${i}`;
  const repo = path.join(dir, name);
  const rename = (text: string) => text.replaceAll('applyCoupon', `applyCoupon${i}`);
  await cp(FIXTURE, repo, { recursive: true, filter: (src) => !src.endsWith('incident.sentry.json') });
  for (const file of ['src/cart.js', 'test/cart.test.js']) {
    const full = path.join(repo, file);
    await writeFile(full, rename(await readFile(full, 'utf8')));
  }
  await gitIn(repo, 'init', '-q', '-b', 'main');
  await gitIn(repo, 'add', '-A');
  await gitIn(repo, 'commit', '-q', '-m', `${name} 1.4.2`);
  const alert = rename(await readFile(path.join(FIXTURE, 'incident.sentry.json'), 'utf8')).replaceAll('"shop-api"', `"${name}"`);
  return { name, repo, alert: Buffer.from(alert) };
}

// Each worker has its own data directory, as on two hosts: the bundle one worker assembles is read
// by the other from the database (src/store/bundle-content.ts), the stalled-job handover included.
test('two workers share ten incidents; a worker killed mid-repair leaves its job to the other', { skip: bwrapUnavailable(), timeout: 1_500_000 }, async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-scale-'));
  await chmod(dir, 0o711);
  t.after(() => rm(dir, { recursive: true, force: true }));
  const services = [];
  for (let i = 0; i < INCIDENTS; i++) services.push(await service(dir, i));

  const testDb = await postgresDb();
  t.after(() => testDb.drop());
  const prefix = `scale-${randomBytes(4).toString('hex')}`;
  const port = await freePort();
  const common = {
    DATABASE_URL: testDb.url!,
    REDIS_URL,
    TRACEFIX_QUEUE_PREFIX: prefix,
    TRACEFIX_OUTBOX_INTERVAL_MS: '200',
    TRACEFIX_SERVICE_REPOS: JSON.stringify(Object.fromEntries(services.map((s) => [s.name, s.repo]))),
    TRACEFIX_SANDBOX_DRIVER: 'local',
    TRACEFIX_QUEUE_LOCK_MS: '4000',
    TRACEFIX_QUEUE_STALLED_INTERVAL_MS: '2000',
  };
  const serve = startCli(['serve'], { ...common, PORT: String(port), TRACEFIX_WORKERS: 'off', TRACEFIX_DATA_DIR: path.join(dir, 'serve'), TRACEFIX_SENTRY_CLIENT_SECRET: SECRETS.TRACEFIX_SENTRY_CLIENT_SECRET });
  t.after(async () => {
    serve.child.kill('SIGKILL');
    await serve.exited;
  });
  const dataDirs = [path.join(dir, 'worker-a'), path.join(dir, 'worker-b')];
  const workers: RunningCli[] = dataDirs.map((dataDir) => startCli(['worker'], { ...common, TRACEFIX_DATA_DIR: dataDir }));
  for (const w of workers) {
    t.after(async () => {
      w.child.kill('SIGKILL');
      await w.exited;
    });
  }
  await serve.waitFor(/tracefix is serving/);
  await Promise.all(workers.map((w) => w.waitFor(/tracefix worker is running/)));
  const base = `http://127.0.0.1:${port}`;

  const incidentIds: string[] = [];
  for (const s of services) {
    const res = await fetch(`${base}/webhooks/sentry`, { method: 'POST', body: s.alert, headers: sentryHeaders(s.alert, 'event_alert', randomBytes(16).toString('hex')) });
    const text = await res.text();
    assert.equal(res.status, 202, text);
    incidentIds.push((JSON.parse(text) as { incidentId: string }).incidentId);
  }
  assert.equal(new Set(incidentIds).size, INCIDENTS, 'ten distinct incidents');

  // Kill worker A as soon as it is inside a repair (its repair workspace exists).
  const [a] = workers as [RunningCli, RunningCli];
  let killedRun: string | undefined;
  for (let i = 0; i < 1200 && !killedRun; i++) {
    const entries = await readdir(path.join(dataDirs[0]!, 'workspaces')).catch(() => [] as string[]);
    const repairing = entries.find((e) => e.endsWith('-repair'));
    if (repairing) {
      a.child.kill('SIGKILL');
      killedRun = repairing.replace(/-repair$/, '');
    } else {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  assert.ok(killedRun, `worker A started a repair\n${a.output().slice(-3000)}`);
  await a.exited;

  const client = new pg.Client({ connectionString: testDb.url });
  await client.connect();
  t.after(() => client.end());
  let rows: { incident_id: string; id: string; status: string; record: unknown }[] = [];
  for (let i = 0; i < 1200; i++) {
    rows = (await client.query('select incident_id, id, status, record from runs')).rows;
    if (rows.length === INCIDENTS && rows.every((r) => !['reproducing', 'repairing', 'queued'].includes(r.status))) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const b = workers[1]!;
  assert.equal(rows.length, INCIDENTS, `one run per incident, no second run\n${b.output().slice(-3000)}`);
  assert.deepEqual(new Set(rows.map((r) => r.incident_id)), new Set(incidentIds));
  for (const row of rows) assert.equal(row.status, 'fixed', `run ${row.id}: ${JSON.stringify(row.record).slice(0, 500)}\n${b.output().slice(-2000)}`);
  for (const row of rows) assert.ok(Run.parse(row.record).proposal, `run ${row.id} has its proposal`);
  assert.ok(rows.some((r) => r.id === killedRun), 'the killed repair was finished by the other worker');

  // Assembled once: one bundle per incident.
  const bundles = (await client.query('select incident_id, count(*)::int as n from bundles group by incident_id')).rows as { incident_id: string; n: number }[];
  assert.equal(bundles.length, INCIDENTS);
  assert.ok(bundles.every((r) => r.n === 1), JSON.stringify(bundles));

  // One proposal (pr.md) per run across both data directories; the killed run's is worker B's.
  for (const row of rows) {
    const found = [];
    for (const dataDir of dataDirs) {
      if ((await readdir(path.join(dataDir, 'runs', row.id)).catch(() => [] as string[])).includes('pr.md')) found.push(dataDir);
    }
    assert.equal(found.length, 1, `run ${row.id}: pr.md in ${found.join(', ') || 'no data directory'}`);
    if (row.id === killedRun) assert.equal(found[0], dataDirs[1]);
  }

  // Reproduced and repaired once each, and both workers took work (BullMQ's processedBy).
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  t.after(() => connection.quit());
  const pids = new Set<string>();
  for (const stage of ['assemble', 'reproduce', 'repair'] as const) {
    const queue = new Queue(stage, { connection, prefix });
    // A run is recorded as finished before its job returns (the publish enqueue and the workspace
    // cleanup come after), so the last job may still be moving to completed: wait for it, bounded.
    let completed = await queue.getCompleted(0, 100);
    let failed = await queue.getFailed(0, 100);
    for (let i = 0; i < 120 && completed.length + failed.length < INCIDENTS; i++) {
      await new Promise((r) => setTimeout(r, 500));
      [completed, failed] = await Promise.all([queue.getCompleted(0, 100), queue.getFailed(0, 100)]);
    }
    await queue.close();
    assert.equal(completed.length, INCIDENTS, `${stage}: ${completed.length} completed, ${failed.length} failed`);
    assert.equal(new Set(completed.map((j) => j.id)).size, INCIDENTS);
    for (const job of completed) if (job.processedBy) pids.add(job.processedBy.split('/').at(-1)!);
  }
  assert.ok(pids.has(String(a.child.pid)), `worker A completed jobs (processed by ${[...pids].join(', ')})`);
  assert.ok(pids.has(String(b.child.pid)), 'worker B completed jobs');
  const repairB = await new Queue('repair', { connection, prefix }).getJob(killedRun!);
  assert.equal(repairB?.processedBy?.split('/').at(-1), String(b.child.pid), 'the killed repair was completed by worker B');

  b.child.kill('SIGTERM');
  serve.child.kill('SIGTERM');
  await Promise.all([b.exited, serve.exited]);
});
