// Concurrent webhook deliveries share one database statement (group commit): each is still
// answered with its own outcome, a repeat within the batch is a duplicate, one the database
// refuses gets a 503 that says why while the others are stored, and each request logs one line.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { getIncident } from '../../../src/store/incident-store.ts';
import { buildTestApp, sentryHeaders } from '../../helpers/app.ts';
import { ENGINES, POISON_TRIGGER } from '../../helpers/databases.ts';

const body = readFileSync(new URL('../../fixtures/sentry/integration-event-alert-triggered.json', import.meta.url));
let n = 0;
const uid = () => `${Date.now().toString(16)}${(n++).toString(16).padStart(8, '0')}`.padEnd(32, '0');


for (const engine of ENGINES) {
  describe(`concurrent Sentry deliveries on ${engine.name}`, () => {
    test('are answered one by one from a shared write, a refused one with a 503 naming the problem', async (t) => {
      const testDb = await engine.open();
      await testDb.db.exec(POISON_TRIGGER);
      const app = await buildTestApp(undefined, { db: testDb });
      t.after(() => app.close());
      const send = (id: string) =>
        app.app.inject({ method: 'POST', url: '/webhooks/sentry', payload: body, headers: sentryHeaders(body, 'event_alert', id) });
      const ids = [uid(), uid(), uid(), 'poison-0001', uid()];
      const responses = await Promise.all([...ids.map(send), send(ids[0]!)]);

      assert.deepEqual(responses.map((r) => r.statusCode), [202, 202, 202, 503, 202, 200]);
      const [first, ...rest] = responses.map((r) => r.json());
      assert.equal(first.status, 'created');
      for (const r of [rest[0], rest[1], rest[3]]) assert.deepEqual([r.status, r.incidentId], ['attached', first.incidentId]);
      assert.deepEqual([rest[4].status, rest[4].incidentId], ['duplicate', first.incidentId], 'a repeat within the batch names the incident');
      assert.equal(rest[2].code, 'TF_STORE_FAILED');
      assert.equal(
        rest[2].message,
        'The delivery could not be stored: the database refused a value of this delivery (SQLSTATE 22023); it was not accepted, deliver it again later',
      );
      assert.equal((await getIncident(testDb.db, first.incidentId))?.alertCount, 4);
      assert.deepEqual(app.created, [first.incidentId]);

      const lines = app.logs();
      assert.ok(lines.some((l) => l.msg === 'Batch write failed; writing its deliveries one at a time' && l.size === 6));
      assert.ok(lines.some((l) => l.msg === 'Delivery could not be stored' && l.deliveryId === 'poison-0001' && l.level === 50));
      const completed = lines.filter((l) => l.msg === 'Request completed');
      assert.equal(completed.length, 6, 'one line per request');
      assert.equal(lines.filter((l) => l.msg === 'incoming request' || l.msg === 'request completed').length, 0);
      const line = completed.find((l) => l.deliveryId === ids[1]);
      assert.deepEqual(
        { source: line?.source, status: line?.status, incidentId: line?.incidentId, statusCode: line?.statusCode },
        { source: 'sentry', status: 'attached', incidentId: first.incidentId, statusCode: 202 },
      );
      assert.equal(completed.find((l) => l.deliveryId === 'poison-0001')?.code, 'TF_STORE_FAILED');
    });
  });
}
