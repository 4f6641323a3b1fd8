import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { pino } from 'pino';
import { createProducerConnection } from '../../../src/queue/connection.ts';
import { OutboxDispatcher } from '../../../src/queue/outbox-dispatcher.ts';
import { createQueues } from '../../../src/queue/producers.ts';
import { recordOutcome } from '../../../src/store/incident-store.ts';
import { countPendingOutbox } from '../../../src/store/outbox.ts';
import { makeAlert } from '../../helpers/alerts.ts';
import { ENGINES } from '../../helpers/databases.ts';
import { freePort, PrivateRedis } from '../../helpers/redis-server.ts';

for (const engine of ENGINES) {
  test(`with Redis down, accepted incidents wait in the outbox and are enqueued once when it is back (${engine.name})`, async (t) => {
    const { db, drop } = await engine.open();
    t.after(drop);
    const redisServer = new PrivateRedis(await freePort());
    t.after(() => redisServer.stop());
    const redis = createProducerConnection(redisServer.url);
    t.after(() => redis.disconnect());
    const queues = createQueues(redis, `test-${randomBytes(4).toString('hex')}`);
    t.after(() => queues.close());
    const dispatcher = new OutboxDispatcher({ db, queues, log: pino({ level: 'silent' }), intervalMs: 50 });

    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await recordOutcome(db, { kind: 'alert', alert: makeAlert({ errorType: `Down${i}` }) });
      ids.push((r as { incidentId: string }).incidentId);
    }
    await assert.rejects(dispatcher.drainOnce());
    assert.equal(await countPendingOutbox(db), 3);

    await redisServer.start();
    // ioredis reconnects on its own schedule; dispatch as the poll loop would until it gets through.
    let delivered = 0;
    for (let i = 0; i < 100 && delivered === 0; i++) {
      delivered = await dispatcher.drainOnce().catch(() => 0);
      if (!delivered) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(delivered, 3);
    assert.equal(await countPendingOutbox(db), 0);
    const jobs = await queues.assemble.getJobs(['waiting']);
    assert.deepEqual(jobs.map((j) => j.id).sort(), [...ids].sort());
    assert.deepEqual(jobs.map((j) => j.data.incidentId).sort(), [...ids].sort());

    // Re-adding a job whose outbox row was delivered (a crash before the row was marked) is not a second job.
    await queues.assemble.add('assemble', { incidentId: ids[0] }, { jobId: ids[0] });
    assert.equal(await queues.assemble.count(), 3);
    assert.equal(await dispatcher.drainOnce(), 0);
  });
}
