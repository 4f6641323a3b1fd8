// Group commit (IntakeWriter + recordAlerts) on both engines: deliveries recorded together must
// come out exactly as if they had been recorded one at a time, and one the database refuses must
// fail alone.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Alert } from '../../../schemas/alert.ts';
import { getIncident, getIncidentAlerts, recordOutcome, type RecordResult } from '../../../src/store/incident-store.ts';
import { IntakeWriter } from '../../../src/intake/writer.ts';
import { countPendingOutbox } from '../../../src/store/outbox.ts';
import { openPostgres } from '../../../src/store/postgres-db.ts';
import { recordAlerts } from '../../../src/store/record-alerts.ts';
import { describeStoreFailure } from '../../../src/store/store-failure.ts';
import { makeAlert } from '../../helpers/alerts.ts';
import { ENGINES, POISON_TRIGGER } from '../../helpers/databases.ts';

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds)).toISOString();
const incidentOf = (r: RecordResult) => ('incidentId' in r ? r.incidentId : undefined);


for (const engine of ENGINES) {
  describe(`group commit on ${engine.name}`, () => {
    test('one fingerprint delivered many times in one batch: one incident, counted, one outbox row', async (t) => {
      const { db, drop } = await engine.open();
      t.after(drop);
      const alerts = [
        makeAlert({ message: 'order 1 has no items', receivedAt: at(3) }),
        makeAlert({ message: 'order 2 has no items', receivedAt: at(1), traceId: 'b'.repeat(32) }),
        makeAlert({ message: 'order 3 has no items', receivedAt: at(7), traceId: 'c'.repeat(32), commitSha: 'abcdef1' }),
        makeAlert({ errorType: 'RangeError', receivedAt: at(2) }),
      ];
      const results = await recordAlerts(db, alerts);
      assert.deepEqual(results.map((r) => r.status), ['created', 'attached', 'attached', 'created']);
      const id = incidentOf(results[0]!)!;
      assert.equal(incidentOf(results[1]!), id);
      assert.equal(incidentOf(results[2]!), id);
      assert.notEqual(incidentOf(results[3]!), id);
      const incident = await getIncident(db, id);
      assert.equal(incident?.alertCount, 3);
      assert.equal(incident?.message, 'order 1 has no items', 'described by the first delivery, as one at a time');
      assert.equal(incident?.firstSeen, at(1));
      assert.equal(incident?.lastSeen, at(7));
      assert.equal(incident?.traceId, 'b'.repeat(32), 'the first trace id the group carries');
      assert.equal(incident?.commitSha, 'abcdef1');
      assert.deepEqual((await getIncidentAlerts(db, id)).map((a) => a.deliveryId), alerts.slice(0, 3).map((a) => a.deliveryId));
      assert.equal(await countPendingOutbox(db), 2);

      // A later batch attaches to the open incident and keeps its first trace id.
      const later = await recordAlerts(db, [makeAlert({ receivedAt: at(9), traceId: 'd'.repeat(32), message: 'order 4 has no items' })]);
      assert.deepEqual(later, [{ status: 'attached', incidentId: id }]);
      const after = await getIncident(db, id);
      assert.equal(after?.alertCount, 4);
      assert.equal(after?.lastSeen, at(9));
      assert.equal(after?.traceId, 'b'.repeat(32));
      assert.equal(await countPendingOutbox(db), 2);
    });

    test('a delivery id twice in one batch, or already stored, is a duplicate naming its incident and counted once', async (t) => {
      const { db, drop } = await engine.open();
      t.after(drop);
      const stored = makeAlert({ errorType: 'StoredError' });
      const [first] = await recordAlerts(db, [stored]);
      const twice = makeAlert();
      const results = await recordAlerts(db, [twice, stored, { ...twice }, makeAlert()]);
      assert.equal(results[0]?.status, 'created');
      assert.deepEqual(results[1], { status: 'duplicate', incidentId: incidentOf(first!) });
      assert.deepEqual(results[2], { status: 'duplicate', incidentId: incidentOf(results[0]!) });
      assert.deepEqual(results[3], { status: 'attached', incidentId: incidentOf(results[0]!) });
      assert.equal((await getIncident(db, incidentOf(results[0]!)!))?.alertCount, 2);
      assert.equal((await getIncident(db, incidentOf(first!)!))?.alertCount, 1);
      assert.equal((await getIncidentAlerts(db, incidentOf(results[0]!)!)).length, 2);
    });

    test('the writer batches concurrent deliveries and answers each with its own result', async (t) => {
      const { db, drop } = await engine.open();
      t.after(drop);
      const batches: number[] = [];
      const counting = { ...db, query: (sql: string, params?: unknown[], options?: { name?: string }) => {
        if (options?.name) batches.push(JSON.parse(String(params?.[0])).length);
        return db.query(sql, params, options);
      } } as typeof db;
      const writer = new IntakeWriter(counting);
      const alerts: Alert[] = Array.from({ length: 12 }, (_, i) => makeAlert({ errorType: `E${i % 3}` }));
      const results = await Promise.all([...alerts, alerts[0]!].map((alert) => writer.record({ kind: 'alert', alert })));
      assert.deepEqual(batches, [12], 'deliveries that arrive together are written together, a repeated one once');
      assert.deepEqual(results.filter((r) => r.status === 'created').length, 3);
      assert.equal(results.filter((r) => r.status === 'attached').length, 9);
      assert.deepEqual(results[12], { status: 'duplicate', incidentId: incidentOf(results[0]!) });
      const ignored = await writer.record({ kind: 'ignored', source: 'github', deliveryId: 'ping-1', event: 'ping', reason: 'ping' });
      assert.deepEqual(ignored, { status: 'ignored', reason: 'ping' });
      await writer.drain();
    });

    test('a delivery the database refuses fails alone; the rest of its batch is stored', async (t) => {
      const { db, drop } = await engine.open();
      t.after(drop);
      await db.exec(POISON_TRIGGER);
      const failures: number[] = [];
      const writer = new IntakeWriter(db, { onBatchError: (_error, size) => failures.push(size) });
      const good = [makeAlert(), makeAlert({ errorType: 'OtherError' }), makeAlert()];
      const poison = makeAlert({ deliveryId: 'poison-1' });
      const settled = await Promise.allSettled([good[0], poison, good[1], good[2]].map((alert) => writer.record({ kind: 'alert', alert: alert! })));
      assert.deepEqual(failures, [4], 'the batch failed once and was retried one by one');
      assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      const error = (settled[1] as PromiseRejectedResult).reason;
      assert.equal(describeStoreFailure(error), 'the database refused a value of this delivery (SQLSTATE 22023)');
      const [a, , b, c] = settled.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
      assert.deepEqual([a?.status, b?.status, c?.status], ['created', 'created', 'attached']);
      assert.equal((await getIncident(db, incidentOf(a!)!))?.alertCount, 2);
      const poisoned = await db.query("select 1 from deliveries where delivery_id = 'poison-1'");
      assert.equal(poisoned.length, 0, 'nothing of the refused delivery was stored');
      // Its redelivery is not mistaken for a duplicate.
      await assert.rejects(recordOutcome(db, { kind: 'alert', alert: poison }));
    });

    test('text the database cannot hold (NUL) is stored with a replacement character instead of failing', async (t) => {
      const { db, drop } = await engine.open();
      t.after(drop);
      const alert = makeAlert({ message: 'bad \u0000 byte', title: 'Error: bad \u0000 byte', tags: { 'k\u0000': 'literal \\u0000 stays' } });
      const [batched] = await recordAlerts(db, [alert, makeAlert()]);
      const single = await recordOutcome(db, { kind: 'alert', alert: makeAlert({ errorType: 'NulError', message: '\u0000' }) });
      assert.equal(batched?.status, 'created');
      assert.equal(single.status, 'created');
      assert.equal((await getIncident(db, incidentOf(batched!)!))?.message, 'bad \uFFFD byte');
      const [stored] = await getIncidentAlerts(db, incidentOf(batched!)!);
      assert.equal(stored?.message, 'bad \uFFFD byte');
      assert.deepEqual(stored?.tags, { 'k\uFFFD': 'literal \\u0000 stays' }, 'an escaped backslash before u0000 is text and kept');
    });
  });
}

describe('group commit across processes (postgres)', () => {
  test('two writers on two pools, same fingerprints and crossing redeliveries: no deadlock, every delivery once', async (t) => {
    const { db, url, drop } = await ENGINES[1].open();
    t.after(drop);
    const other = await openPostgres(url!, { max: 3 });
    t.after(() => other.close());
    const [a, b] = [new IntakeWriter(db), new IntakeWriter(other)];
    const alerts = Array.from({ length: 60 }, (_, i) => makeAlert({ errorType: `E${i % 7}` }));
    // Each writer gets every alert, in opposite orders: each delivery id arrives twice, at once.
    const results = await Promise.all([
      ...alerts.map((alert) => a.record({ kind: 'alert', alert })),
      ...alerts.toReversed().map((alert) => b.record({ kind: 'alert', alert })),
    ]);
    assert.equal(results.filter((r) => r.status === 'duplicate').length, 60);
    assert.equal(results.filter((r) => r.status === 'created').length, 7);
    const counts = await db.query<{ n: number; alerts: number }>('select count(*)::int as n, sum(alert_count)::int as alerts from incidents');
    assert.deepEqual(counts, [{ n: 7, alerts: 60 }]);
    assert.equal(await countPendingOutbox(db), 7);
    const stored = await db.query<{ n: number }>('select count(*)::int as n from alerts');
    assert.equal(stored[0]?.n, 60);
  });
});
