// The `publish` stage as a BullMQ worker on a real Redis and database: retries with backoff are for
// infrastructure only. GitHub answering 502 more often than one call retries is retried by the
// queue until it publishes; a missing permission fails the job after one attempt, with the
// permission named on the run's publication; TRACEFIX_PUBLISH=approval waits for a person.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { loadConfig } from '../../../src/config.ts';
import { GithubClients } from '../../../src/publish/github-client.ts';
import { ArtifactStore } from '../../../src/store/artifacts.ts';
import { recordOutcome } from '../../../src/store/incident-store.ts';
import { getPublication } from '../../../src/store/publication-store.ts';
import { createRun, finishRun } from '../../../src/store/run-store.ts';
import { publishProcessor } from '../../../workers/publish.ts';
import { makeAlert } from '../../helpers/alerts.ts';
import { ENGINES } from '../../helpers/databases.ts';
import { startFakeGithub, type FakeGithubOptions } from '../../helpers/fake-github.ts';
import { publishFixture } from '../../helpers/publish-fixture.ts';
import { freePort, PrivateRedis } from '../../helpers/redis-server.ts';
import { fixtureBundle } from '../../unit/reproduce/helpers.ts';

const log = pino({ level: 'silent' });
const TOKEN = `ghp_${randomBytes(16).toString('hex')}`;

async function publishJob(t: { after(fn: () => unknown): void }, fakeOptions: Omit<FakeGithubOptions, 'token'>, env: Record<string, string>, prepare?: (gh: Awaited<ReturnType<typeof startFakeGithub>>) => void, maxRateLimitWaitSeconds?: number) {
  const fixture = await publishFixture();
  t.after(fixture.close);
  const gh = await startFakeGithub({ token: TOKEN, ...fakeOptions });
  t.after(() => gh.close());
  await gh.state.importRepo('acme/shop-api', fixture.repoDir);
  prepare?.(gh);
  const { db, drop } = await ENGINES[0]!.open();
  t.after(drop);
  const dataDir = path.join(fixture.dir, 'data');
  const config = loadConfig({ TRACEFIX_DATA_DIR: dataDir, TRACEFIX_GITHUB_TOKEN: TOKEN, TRACEFIX_GITHUB_API_URL: gh.url, ...env });
  const artifacts = new ArtifactStore(dataDir);
  const incidentId = ((await recordOutcome(db, { kind: 'alert', alert: makeAlert({ service: 'shop-api' }) })) as { incidentId: string }).incidentId;
  const bundle = await fixtureBundle('js-cart');
  bundle.incident.id = incidentId;
  bundle.repo.name = 'acme/shop-api';
  const sha = await artifacts.put(JSON.stringify(bundle));
  const run = { ...fixture.run, incident: { ...fixture.run.incident, id: incidentId } };
  await createRun(db, { id: run.id, incidentId, bundleSha256: sha });
  await finishRun(db, run);
  await cp(fixture.runDir, path.join(dataDir, 'runs', run.id), { recursive: true });

  const redis = new PrivateRedis(await freePort());
  await redis.start();
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  const eventsConnection = connection.duplicate();
  const prefix = `publish-${randomBytes(4).toString('hex')}`;
  const clients = maxRateLimitWaitSeconds === undefined ? undefined : new GithubClients({ apiUrl: gh.url, credentials: { kind: 'token', token: TOKEN }, maxRateLimitWaitSeconds });
  const worker = new Worker('publish', publishProcessor({ config, db, artifacts, log, enqueue: async () => undefined, ...(clients ? { clients } : {}) }), { connection, prefix });
  const queue = new Queue('publish', { connection, prefix });
  const events = new QueueEvents('publish', { connection: eventsConnection, prefix });
  t.after(async () => {
    await Promise.all([worker.close(), queue.close(), events.close()]);
    connection.disconnect();
    eventsConnection.disconnect();
    await redis.stop();
  });
  await events.waitUntilReady();
  const job = await queue.add('publish', { incidentId, runId: run.id }, { jobId: run.id, attempts: 4, backoff: { type: 'fixed', delay: 100 } });
  const outcome = await job.waitUntilFinished(events, 180_000).then(
    (value: unknown) => ({ ok: true as const, value }),
    (error: Error) => ({ ok: false as const, error }),
  );
  const finished = await queue.getJob(run.id);
  return { outcome, attemptsMade: finished?.attemptsMade, publication: await getPublication(db, run.id), gh };
}

test('a missing permission fails the job at once and names the permission', { timeout: 300_000 }, async (t) => {
  const { outcome, attemptsMade, publication, gh } = await publishJob(t, { tokenPermissions: { pull_requests: 'read' } }, {});
  assert.equal(outcome.ok, false);
  assert.equal(attemptsMade, 1, 'no retry');
  assert.equal(publication?.state, 'failed');
  assert.match(publication?.reason ?? '', /open the pull request on acme\/shop-api: GitHub answered 403 .*pull_requests=write/);
  assert.equal(gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pulls')).length, 1);
  assert.ok(!(publication?.reason ?? '').includes(TOKEN));
});

test('GitHub 5xx beyond one call\'s retries is retried by the queue until it publishes', { timeout: 300_000 }, async (t) => {
  const { outcome, attemptsMade, publication, gh } = await publishJob(t, {}, {}, (fake) =>
    fake.inject({ method: 'POST', path: /\/pulls$/, status: 502, body: { message: 'Server Error' }, times: 3 }),
  );
  assert.equal(outcome.ok, true, outcome.ok ? '' : outcome.error.message);
  assert.equal(attemptsMade, 2, 'one queue retry after the client gave up');
  assert.equal(publication?.state, 'published');
  assert.equal(gh.state.mustRepo('acme/shop-api').pulls.size, 1);
});

test('TRACEFIX_PUBLISH=approval waits for a person, writing nothing', { timeout: 300_000 }, async (t) => {
  const { outcome, publication, gh } = await publishJob(t, {}, { TRACEFIX_PUBLISH: 'approval' });
  assert.equal(outcome.ok, true);
  assert.equal(publication?.state, 'awaiting-approval');
  assert.equal(gh.requests.filter((r) => r.method !== 'GET').length, 0);
});

test('a rate limit longer than one call waits delays the job until GitHub\'s time, spending no attempt', { timeout: 300_000 }, async (t) => {
  const { outcome, attemptsMade, publication, gh } = await publishJob(
    t,
    {},
    {},
    (fake) => fake.inject({ method: 'POST', path: /\/pulls$/, status: 403, headers: { 'retry-after': '3' }, body: { message: 'You have exceeded a secondary rate limit.' } }),
    0,
  );
  assert.equal(outcome.ok, true, outcome.ok ? '' : outcome.error.message);
  assert.equal(publication?.state, 'published');
  assert.equal(attemptsMade, 1, 'the delay spent no attempt');
  const creates = gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pulls'));
  assert.deepEqual(creates.map((r) => r.status), [403, 201]);
  assert.ok(creates[1]!.at - creates[0]!.at >= 3000, `waited ${creates[1]!.at - creates[0]!.at} ms`);
});
