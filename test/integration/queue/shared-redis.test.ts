// A Redis shared by more than one tracefix (issue 20): the prefix belongs to one database, a
// stranger's job is left for its owner rather than failed, an incident whose job was lost is
// enqueued again, and a Redis outage is three log lines, not a hundred stacks. Real Redis servers
// (private, so they can be stopped), real databases, real BullMQ workers.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { loadConfig } from '../../../src/config.ts';
import { claimQueuePrefix, instanceId, PrefixClaimedError } from '../../../src/queue/instance.ts';
import { createQueues } from '../../../src/queue/producers.ts';
import { requeueStuckIncidents } from '../../../src/queue/stuck-incidents.ts';
import { ArtifactStore } from '../../../src/store/artifacts.ts';
import { getIncident, recordOutcome } from '../../../src/store/incident-store.ts';
import { MemoryTraceStore } from '../../../src/traces/memory-trace-store.ts';
import { assembleProcessor } from '../../../workers/assemble.ts';
import { startStageWorkers } from '../../../workers/main.ts';
import { makeAlert } from '../../helpers/alerts.ts';
import { pgliteDb, postgresDb } from '../../helpers/databases.ts';
import { freePort, PrivateRedis } from '../../helpers/redis-server.ts';

function capturedLog() {
  let raw = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      raw += chunk.toString();
      done();
    },
  });
  const log = pino({ level: 'debug' }, sink);
  const lines = () => raw.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { log, lines };
}

/** A private Redis and a cleanup list: node:test runs after-hooks in the order they were added,
 * and clients must close before their server goes (or they wait for it forever). */
async function privateRedis(t: { after(fn: () => unknown): void }) {
  const server = new PrivateRedis(await freePort());
  await server.start();
  const closers: (() => unknown)[] = [];
  t.after(async () => {
    for (const close of closers.reverse()) await close();
    await server.stop();
  });
  return Object.assign(server, { onClose: (fn: () => unknown) => void closers.push(fn) });
}

test('two databases cannot claim one queue prefix; the same database can, again', async (t) => {
  const server = await privateRedis(t);
  const redis = new Redis(server.url);
  server.onClose(() => redis.disconnect());
  const a = await pgliteDb();
  const b = await postgresDb();
  t.after(() => Promise.all([a.drop(), b.drop()]));
  const idA = await instanceId(a.db);
  assert.equal(await instanceId(a.db), idA, 'the id is stored, not made anew');
  const idB = await instanceId(b.db);
  assert.notEqual(idA, idB);

  await claimQueuePrefix(redis, 'shared', idA);
  await claimQueuePrefix(redis, 'shared', idA); // a restart of the same database
  await assert.rejects(claimQueuePrefix(redis, 'shared', idB), (error: unknown) => {
    assert.ok(error instanceof PrefixClaimedError);
    assert.match(error.message, /TRACEFIX_QUEUE_PREFIX: the queue prefix "shared" on this Redis belongs to another tracefix database/);
    assert.ok(error.message.includes(idA) && error.message.includes(idB));
    assert.match(error.message, /redis-cli DEL shared:instance/);
    return true;
  });
  await claimQueuePrefix(redis, 'other', idB); // its own prefix is fine
});

test("a worker leaves another instance's job (and a job whose incident it does not know) for its owner instead of failing it", async (t) => {
  const server = await privateRedis(t);
  const connection = new Redis(server.url, { maxRetriesPerRequest: null });
  server.onClose(() => connection.disconnect());
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-stranger-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const owner = await pgliteDb();
  const stranger = await pgliteDb();
  t.after(() => Promise.all([owner.drop(), stranger.drop()]));
  const ownerId = await instanceId(owner.db);
  const strangerId = await instanceId(stranger.db);
  const recorded = await recordOutcome(owner.db, { kind: 'alert', alert: makeAlert() });
  const incidentId = (recorded as { incidentId: string }).incidentId;

  const prefix = `stranger-${randomBytes(4).toString('hex')}`;
  const { log, lines } = capturedLog();
  const config = loadConfig({ TRACEFIX_DATA_DIR: dataDir });
  const processor = assembleProcessor({ config, db: stranger.db, traceStore: new MemoryTraceStore(), artifacts: new ArtifactStore(dataDir), log, instanceId: strangerId });
  const queue = new Queue('assemble', { connection, prefix });
  server.onClose(() => queue.close());
  // One job names its owner; one (enqueued before jobs carried the id) does not.
  await queue.add('assemble', { incidentId, instance: ownerId }, { jobId: incidentId, attempts: 1 });
  await queue.add('assemble', { incidentId: 'inc_000000000bbbbbbbbbbbbbbbb' }, { jobId: 'unknown-incident', attempts: 1 });
  const worker = new Worker('assemble', processor, { connection, prefix });
  server.onClose(() => worker.close());
  for (let i = 0; i < 100 && (await queue.getDelayedCount()) < 2; i++) await sleep(100);
  await worker.close();

  assert.equal(await queue.getDelayedCount(), 2, 'both are back in the queue, delayed');
  assert.equal(await queue.getFailedCount(), 0, 'nothing was failed');
  const job = await queue.getJob(incidentId);
  assert.equal(job?.attemptsMade, 0, 'no attempt was consumed');
  const left = lines().filter((l) => l.msg === 'Job belongs to another tracefix instance; left for it');
  assert.equal(left.length, 2);
  assert.equal(left[0]?.owner, ownerId);

  // The owner's worker takes it and assembles the incident.
  const ownerWorker = new Worker('assemble', assembleProcessor({ config, db: owner.db, traceStore: new MemoryTraceStore(), artifacts: new ArtifactStore(dataDir), log, instanceId: ownerId }), { connection, prefix });
  server.onClose(() => ownerWorker.close());
  await (await queue.getJob(incidentId))?.promote();
  for (let i = 0; i < 150 && (await getIncident(owner.db, incidentId))?.status !== 'assembled'; i++) await sleep(100);
  assert.equal((await getIncident(owner.db, incidentId))?.status, 'assembled');
});

test('an incident whose job was lost is enqueued again; one whose job is alive is not', async (t) => {
  const server = await privateRedis(t);
  const connection = new Redis(server.url, { maxRetriesPerRequest: null });
  server.onClose(() => connection.disconnect());
  const { db, drop } = await postgresDb();
  t.after(drop);
  const prefix = `stuck-${randomBytes(4).toString('hex')}`;
  const queues = createQueues(connection, prefix);
  server.onClose(() => queues.close());
  await sleep(200);

  const lost = ((await recordOutcome(db, { kind: 'alert', alert: makeAlert({ errorType: 'LostError' }) })) as { incidentId: string }).incidentId;
  const alive = ((await recordOutcome(db, { kind: 'alert', alert: makeAlert({ errorType: 'AliveError' }) })) as { incidentId: string }).incidentId;
  const failed = ((await recordOutcome(db, { kind: 'alert', alert: makeAlert({ errorType: 'FailedError' }) })) as { incidentId: string }).incidentId;
  // The outbox rows were dispatched; only `alive` still has its job. `failed`'s job was failed by
  // a worker that did not know the incident (what a shared prefix did before the instance check).
  await db.query('update outbox set dispatched_at = now()');
  await queues.assemble.add('assemble', { incidentId: alive }, { jobId: alive, delay: 60_000 });
  await queues.assemble.add('assemble', { incidentId: failed }, { jobId: failed, attempts: 1 });
  const failer = new Worker('assemble', async (job) => {
    throw new Error(`No incident ${job.data.incidentId}`);
  }, { connection, prefix, autorun: false });
  server.onClose(() => failer.close(true));
  failer.run().catch(() => undefined);
  for (let i = 0; i < 100 && (await queues.assemble.getJobState(failed)) !== 'failed'; i++) await sleep(50);
  await failer.close(true);
  await db.query("update incidents set updated_at = now() - interval '10 minutes'");

  const requeued = await requeueStuckIncidents(db, queues, { olderThanMs: 60_000 });
  assert.deepEqual(requeued.sort(), [failed, lost].sort());
  const rows = await db.query<{ job_id: string; payload: { incidentId: string } }>("select job_id, payload from outbox where dispatched_at is null order by id");
  assert.deepEqual(rows.map((r) => r.payload.incidentId).sort(), [failed, lost].sort());
  for (const r of rows) assert.match(r.job_id, /^inc_\w+-q[0-9a-z]+$/);
  // Their new rows are pending: the next sweep leaves them to the dispatcher.
  assert.deepEqual(await requeueStuckIncidents(db, queues, { olderThanMs: 60_000 }), []);
  // A fresh incident is not stuck yet.
  await db.query("update incidents set updated_at = now() where id = $1", [lost]);
  await db.query('update outbox set dispatched_at = now()');
  assert.ok(!(await requeueStuckIncidents(db, queues, { olderThanMs: 60_000 })).includes(lost));
});

test('a Redis outage is logged once, then its recovery; not an error per reconnect', async (t) => {
  const server = await privateRedis(t);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-outage-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const { db, drop } = await pgliteDb();
  t.after(drop);
  const { log, lines } = capturedLog();
  const config = loadConfig({ TRACEFIX_DATA_DIR: dataDir, REDIS_URL: server.url, TRACEFIX_QUEUE_PREFIX: `outage-${randomBytes(4).toString('hex')}` });
  const workers = await startStageWorkers({ config, log, db, traceStore: new MemoryTraceStore() });
  server.onClose(() => workers.close());
  await Promise.all(workers.workers.map((w) => w.waitUntilReady()));
  await server.stop();
  await sleep(4000);
  const during = lines();
  const errors = during.filter((l) => l.msg === 'Worker error' || l.msg === 'Redis is unavailable; workers wait for it');
  assert.equal(errors.length, 1, JSON.stringify(errors.slice(0, 5)));
  assert.equal(errors[0]?.msg, 'Redis is unavailable; workers wait for it');
  assert.ok(!JSON.stringify(errors[0]).includes('    at '), 'no stack trace');
  await server.start();
  for (let i = 0; i < 100 && !lines().some((l) => l.msg === 'Redis is available again'); i++) await sleep(100);
  const back = lines().filter((l) => l.msg === 'Redis is available again');
  assert.equal(back.length, 1);
  assert.ok(Number(back[0]?.downForMs) >= 3000, `downForMs ${back[0]?.downForMs}`);
  assert.ok(Number(back[0]?.suppressed) > 0, 'the reconnect errors were counted, not logged');
});
