// The reproduce stage as a BullMQ worker on a real Redis and database: retries with backoff are
// for infrastructure only. An incident whose repository nobody mapped fails at once (one attempt),
// an unreachable Docker engine is retried until the attempts run out; either way the run row ends
// `failed` with the reason, and the reason is what a person can act on.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { assembleIncident } from '../../../src/assemble/assemble-incident.ts';
import { loadConfig } from '../../../src/config.ts';
import { ArtifactStore } from '../../../src/store/artifacts.ts';
import { recordOutcome } from '../../../src/store/incident-store.ts';
import { listRuns } from '../../../src/store/run-store.ts';
import { MemoryTraceStore } from '../../../src/traces/memory-trace-store.ts';
import { reproduceProcessor } from '../../../workers/reproduce.ts';
import { makeAlert } from '../../helpers/alerts.ts';
import { ENGINES } from '../../helpers/databases.ts';
import { gitIn } from '../../helpers/git-repo.ts';
import { freePort, PrivateRedis } from '../../helpers/redis-server.ts';

const log = pino({ level: 'silent' });

async function runReproduceJob(t: { after(fn: () => unknown): void }, env: Record<string, string>, alert: ReturnType<typeof makeAlert>, attempts: number) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-run-stages-'));
  await chmod(dataDir, 0o711);
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const engine = ENGINES[0]!;
  const { db, drop } = await engine.open();
  t.after(drop);
  const config = loadConfig({ TRACEFIX_DATA_DIR: dataDir, ...env });
  const artifacts = new ArtifactStore(dataDir);
  const recorded = await recordOutcome(db, { kind: 'alert', alert });
  const incidentId = (recorded as { incidentId: string }).incidentId;
  await assembleIncident({ config, db, traceStore: new MemoryTraceStore(), artifacts, log }, incidentId);

  const redisServer = new PrivateRedis(await freePort());
  await redisServer.start();
  const connection = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  const eventsConnection = connection.duplicate();
  const prefix = `stages-${randomBytes(4).toString('hex')}`;
  const enqueued: string[] = [];
  const worker = new Worker('reproduce', reproduceProcessor({ config, db, artifacts, log, enqueue: async (q, _d, id) => void enqueued.push(`${q}:${id}`) }), { connection, prefix });
  const queue = new Queue('reproduce', { connection, prefix });
  const events = new QueueEvents('reproduce', { connection: eventsConnection, prefix });
  // Clients first, the server last: a client whose server is gone reconnects noisily.
  t.after(async () => {
    await Promise.all([worker.close(), queue.close(), events.close()]);
    connection.disconnect();
    eventsConnection.disconnect();
    await redisServer.stop();
  });
  await events.waitUntilReady();
  const job = await queue.add('reproduce', { incidentId }, { jobId: incidentId, attempts, backoff: { type: 'fixed', delay: 50 } });
  await assert.rejects(job.waitUntilFinished(events, 120_000));
  const finished = await queue.getJob(incidentId);
  const runs = await listRuns(db, incidentId);
  return { attemptsMade: finished?.attemptsMade, failedReason: finished?.failedReason, run: runs[0], runs, enqueued };
}

test('an incident with no known repository fails at once, without retries, and the run says what to set', async (t) => {
  const { attemptsMade, run, enqueued } = await runReproduceJob(t, {}, makeAlert({ service: 'billing', repoHint: undefined }), 3);
  assert.equal(attemptsMade, 1, 'not retried');
  assert.equal(run?.status, 'failed');
  assert.match(run?.reason ?? '', /no repository is known for service billing: map it in TRACEFIX_SERVICE_REPOS/);
  assert.deepEqual(enqueued, [], 'no repair job');
});

test('an unreachable Docker engine is infrastructure: retried with backoff, then the run fails with the reason', async (t) => {
  const repo = await mkdtemp(path.join(os.tmpdir(), 'tracefix-run-stages-repo-'));
  t.after(() => rm(repo, { recursive: true, force: true }));
  await writeFile(path.join(repo, 'package.json'), '{ "name": "billing", "scripts": { "test": "node --test" } }\n');
  await gitIn(repo, 'init', '-q', '-b', 'main');
  await gitIn(repo, 'add', '-A');
  await gitIn(repo, 'commit', '-q', '-m', 'billing');
  const previous = process.env['DOCKER_HOST'];
  // dockerode reads DOCKER_HOST when the driver is made, inside the job.
  process.env['DOCKER_HOST'] = `unix://${path.join(repo, 'no-docker.sock')}`;
  t.after(() => (previous === undefined ? delete process.env['DOCKER_HOST'] : (process.env['DOCKER_HOST'] = previous)));
  const env = { TRACEFIX_SERVICE_REPOS: JSON.stringify({ billing: repo }), TRACEFIX_SANDBOX_DRIVER: 'docker' };
  const { attemptsMade, run, runs, failedReason } = await runReproduceJob(t, env, makeAlert({ service: 'billing' }), 2);
  assert.equal(attemptsMade, 2, `retried until the attempts ran out (${failedReason}; run: ${run?.reason})`);
  assert.equal(runs.length, 1, 'the retries continue one run');
  assert.equal(run?.status, 'failed');
  assert.match(run?.reason ?? '', /no-docker\.sock/);
});
