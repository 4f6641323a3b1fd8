import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getIncident, getIncidentAlerts, listIncidents, recordOutcome } from '../../../src/store/incident-store.ts';
import { countPendingOutbox } from '../../../src/store/outbox.ts';
import { makeAlert } from '../../helpers/alerts.ts';
import { ENGINES } from '../../helpers/databases.ts';

for (const engine of ENGINES) {
  describe(`incident store on ${engine.name}`, () => {
    test('a new fingerprint creates an incident, its alert and one outbox row', async (t) => {
      const { db, drop } = await engine.open();
      t.after(drop);
      const alert = makeAlert({ service: 'checkout', traceId: 'a'.repeat(32) });
      const result = await recordOutcome(db, { kind: 'alert', alert });
      assert.equal(result.status, 'created');
      assert.ok('incidentId' in result && result.incidentId);
      const incident = await getIncident(db, result.incidentId!);
      assert.equal(incident?.errorType, 'TypeError');
      assert.equal(incident?.service, 'checkout');
      assert.equal(incident?.traceId, 'a'.repeat(32));
      assert.equal(incident?.alertCount, 1);
      assert.equal(incident?.topFrame, 'src/cart.js:totalPrice');
      const alerts = await getIncidentAlerts(db, result.incidentId!);
      assert.deepEqual(alerts[0]?.deliveryId, alert.deliveryId);
      assert.equal(await countPendingOutbox(db), 1);
    });

    test('the same failure with other numbers attaches to the open incident and enqueues nothing more', async (t) => {
      const { db, drop } = await engine.open();
      t.after(drop);
      const first = await recordOutcome(db, { kind: 'alert', alert: makeAlert({ message: 'order 1234 has no items' }) });
      const again = await recordOutcome(db, {
        kind: 'alert',
        alert: makeAlert({ message: 'order 98765 has no items', receivedAt: new Date(Date.now() + 5000).toISOString() }),
      });
      assert.equal(first.status, 'created');
      assert.equal(again.status, 'attached');
      assert.equal((again as { incidentId: string }).incidentId, (first as { incidentId: string }).incidentId);
      const incident = await getIncident(db, (first as { incidentId: string }).incidentId);
      assert.equal(incident?.alertCount, 2);
      assert.ok(Date.parse(incident!.lastSeen) > Date.parse(incident!.firstSeen));
      assert.equal(await countPendingOutbox(db), 1);
      assert.equal((await getIncidentAlerts(db, incident!.id)).length, 2);
    });

    test('a redelivered delivery id is a no-op that names the incident', async (t) => {
      const { db, drop } = await engine.open();
      t.after(drop);
      const alert = makeAlert();
      const first = await recordOutcome(db, { kind: 'alert', alert });
      const second = await recordOutcome(db, { kind: 'alert', alert });
      assert.deepEqual(second, { status: 'duplicate', incidentId: (first as { incidentId: string }).incidentId });
      const incident = await getIncident(db, (first as { incidentId: string }).incidentId);
      assert.equal(incident?.alertCount, 1);
    });

    test('an ignored delivery is recorded so its redelivery is recognised', async (t) => {
      const { db, drop } = await engine.open();
      t.after(drop);
      const ignored = { kind: 'ignored', source: 'github', deliveryId: 'd-1', event: 'ping', reason: 'ping' } as const;
      assert.deepEqual(await recordOutcome(db, ignored), { status: 'ignored', reason: 'ping' });
      assert.deepEqual(await recordOutcome(db, ignored), { status: 'duplicate', incidentId: null });
      assert.equal((await listIncidents(db, { limit: 10 })).items.length, 0);
    });

    test('listing pages with a cursor and filters by source and service', async (t) => {
      const { db, drop } = await engine.open();
      t.after(drop);
      for (let i = 0; i < 5; i++) {
        await recordOutcome(db, {
          kind: 'alert',
          alert: makeAlert({
            errorType: `E${i}`,
            service: i % 2 ? 'api' : 'web',
            receivedAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
          }),
        });
      }
      const page1 = await listIncidents(db, { limit: 2 });
      assert.deepEqual(page1.items.map((i) => i.errorType), ['E4', 'E3']);
      assert.ok(page1.nextCursor);
      const page2 = await listIncidents(db, { limit: 2, cursor: page1.nextCursor! });
      assert.deepEqual(page2.items.map((i) => i.errorType), ['E2', 'E1']);
      const page3 = await listIncidents(db, { limit: 2, cursor: page2.nextCursor! });
      assert.deepEqual(page3.items.map((i) => i.errorType), ['E0']);
      assert.equal(page3.nextCursor, null);
      const api = await listIncidents(db, { limit: 10, service: 'api' });
      assert.deepEqual(api.items.map((i) => i.errorType), ['E3', 'E1']);
      assert.equal((await listIncidents(db, { limit: 10, source: 'datadog' })).items.length, 0);
    });
  });
}

describe('incident store under concurrency (postgres)', () => {
  test('parallel deliveries of one fingerprint make one incident; parallel redeliveries one alert', async (t) => {
    const { db, drop } = await ENGINES[1].open();
    t.after(drop);
    const same = makeAlert();
    const results = await Promise.all([
      ...Array.from({ length: 10 }, () => recordOutcome(db, { kind: 'alert', alert: makeAlert() })),
      ...Array.from({ length: 5 }, () => recordOutcome(db, { kind: 'alert', alert: same })),
    ]);
    const ids = new Set(results.map((r) => ('incidentId' in r ? r.incidentId : null)));
    assert.equal(ids.size, 1);
    assert.equal(results.filter((r) => r.status === 'created').length, 1);
    assert.equal(results.filter((r) => r.status === 'duplicate').length, 4);
    const incident = await getIncident(db, [...ids][0]!);
    assert.equal(incident?.alertCount, 11);
    assert.equal(await countPendingOutbox(db), 1);
  });
});
