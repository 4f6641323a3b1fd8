// The TraceStore contract, run against every adapter that stores (memory, PGlite, Postgres).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RetentionOptions, TraceStore } from '../../src/traces/types.ts';
import { hexId, makeLog, makeSpan } from './otlp.ts';

export type OpenStore = (options?: RetentionOptions) => Promise<{ store: TraceStore; close(): Promise<void> }>;

const HOUR = 3_600_000;

export function traceStoreConformance(name: string, open: OpenStore): void {
  describe(`TraceStore contract: ${name}`, () => {
    test('a trace reads back whole, ordered by start time, with 64-bit times exact', async (t) => {
      const { store, close } = await open();
      t.after(close);
      const traceId = hexId(16);
      const root = makeSpan({ traceId, startTimeUnixNano: '1700000000000000001', endTimeUnixNano: '9223372036854775807' });
      const child = makeSpan({
        traceId,
        parentSpanId: root.spanId,
        name: 'SELECT orders',
        kind: 3,
        startTimeUnixNano: '1700000000000000002',
        statusCode: 2,
        statusMessage: 'boom',
        attributes: { 'db.system': 'postgresql', big: '18446744073709551615', nested: { a: [1, 'x', true, null] } },
        events: [{ name: 'exception', timeUnixNano: '1700000000100000000', attributes: { 'exception.type': 'Error' } }],
      });
      const other = makeSpan();
      await store.writeSpans([child, other]);
      await store.writeSpans([root]);
      assert.deepEqual(await store.getTrace(traceId), [root, child]);
      assert.deepEqual(await store.getTrace(traceId.toUpperCase()), [root, child]);
      assert.deepEqual(await store.getTrace(hexId(16)), []);
    });

    test('a re-sent span is stored once', async (t) => {
      const { store, close } = await open();
      t.after(close);
      const span = makeSpan();
      await store.writeSpans([span, span]);
      await store.writeSpans([span]);
      assert.equal((await store.getTrace(span.traceId)).length, 1);
    });

    test('optional fields stay absent rather than null', async (t) => {
      const { store, close } = await open();
      t.after(close);
      const span = makeSpan();
      delete span.service;
      const log = makeLog({ traceId: span.traceId });
      delete log.severityText;
      delete log.service;
      await store.writeSpans([span]);
      await store.writeLogs([log]);
      const [back] = await store.getTrace(span.traceId);
      assert.deepEqual(back, span);
      assert.equal('parentSpanId' in back!, false);
      assert.deepEqual(await store.getLogs({ traceId: span.traceId, limit: 10 }), [log]);
    });

    test('logs filter by trace, service and time window, earliest first, limited', async (t) => {
      const { store, close } = await open();
      t.after(close);
      const traceId = hexId(16);
      const at = (ms: number) => (BigInt(ms) * 1_000_000n + 123n).toString();
      const base = Date.UTC(2024, 0, 1);
      const logs = [
        makeLog({ traceId, spanId: hexId(8), timeUnixNano: at(base + 2000), body: 'third' }),
        makeLog({ traceId, timeUnixNano: at(base), body: 'first', eventName: 'exception', severityNumber: 17 }),
        makeLog({ timeUnixNano: at(base + 1000), body: 'second (no trace)' }),
        makeLog({ service: 'billing', resource: { 'service.name': 'billing' }, timeUnixNano: at(base + 1500), body: 'billing' }),
      ];
      await store.writeLogs(logs);
      assert.deepEqual((await store.getLogs({ traceId, limit: 10 })).map((l) => l.body), ['first', 'third']);
      assert.deepEqual((await store.getLogs({ service: 'checkout', limit: 2 })).map((l) => l.body), ['first', 'second (no trace)']);
      const window = await store.getLogs({ from: new Date(base + 1000), to: new Date(base + 1500), limit: 10 });
      assert.deepEqual(window.map((l) => l.body), ['second (no trace)', 'billing']);
      const [first] = await store.getLogs({ traceId, limit: 1 });
      assert.deepEqual(first, logs[1]);
      assert.deepEqual(await store.getLogs({ limit: 0 }), []);
    });

    test('sweep deletes what is older than the retention, and keeps the rest', async (t) => {
      const { store, close } = await open({ retentionMs: 72 * HOUR });
      t.after(close);
      const span = makeSpan();
      await store.writeSpans([span]);
      await store.writeLogs([makeLog({ traceId: span.traceId })]);
      assert.deepEqual(await store.sweep(new Date(Date.now() + 71 * HOUR)), { spansDeleted: 0, logsDeleted: 0 });
      assert.equal((await store.getTrace(span.traceId)).length, 1);
      assert.deepEqual(await store.sweep(new Date(Date.now() + 73 * HOUR)), { spansDeleted: 1, logsDeleted: 1 });
      assert.deepEqual(await store.getTrace(span.traceId), []);
      assert.deepEqual(await store.getLogs({ traceId: span.traceId, limit: 10 }), []);
    });

    test('sweep enforces the size caps, evicting the oldest rows first', async (t) => {
      const { store, close } = await open({ maxSpans: 3, maxLogs: 2 });
      t.after(close);
      const spans = Array.from({ length: 5 }, (_, i) => makeSpan({ name: `span ${i}` }));
      for (const span of spans) await store.writeSpans([span]);
      for (const body of ['a', 'b', 'c', 'd']) await store.writeLogs([makeLog({ body })]);
      assert.deepEqual(await store.sweep(), { spansDeleted: 2, logsDeleted: 2 });
      for (const [i, span] of spans.entries()) {
        assert.equal((await store.getTrace(span.traceId)).length, i < 2 ? 0 : 1, `span ${i}`);
      }
      assert.deepEqual((await store.getLogs({ limit: 10 })).map((l) => l.body), ['c', 'd']);
      assert.deepEqual(await store.sweep(), { spansDeleted: 0, logsDeleted: 0 });
    });

    test('concurrent writers all land', async (t) => {
      const { store, close } = await open();
      t.after(close);
      const traceId = hexId(16);
      const spans = Array.from({ length: 250 }, () => makeSpan({ traceId }));
      await Promise.all(spans.map((s) => store.writeSpans([s])));
      assert.equal((await store.getTrace(traceId)).length, 250);
    });
  });
}
