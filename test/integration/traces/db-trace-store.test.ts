import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DbTraceStore } from '../../../src/traces/db-trace-store.ts';
import { ENGINES } from '../../helpers/databases.ts';
import { makeLog, makeSpan } from '../../helpers/otlp.ts';
import { traceStoreConformance } from '../../helpers/trace-store-conformance.ts';

for (const engine of ENGINES) {
  traceStoreConformance(`DbTraceStore on ${engine.name}`, async (options) => {
    const { db, drop } = await engine.open();
    const store = new DbTraceStore(db, { ...options, batchSize: 100 });
    return {
      store,
      close: async () => {
        await store.close();
        await drop();
      },
    };
  });

  describe(`DbTraceStore on ${engine.name}`, () => {
    test('values Postgres refuses (NUL, lone surrogates) are replaced, not fatal to the batch', async (t) => {
      const { db, drop } = await engine.open();
      t.after(drop);
      const store = new DbTraceStore(db);
      t.after(() => store.close());
      const span = makeSpan({ name: 'a\u0000b', attributes: { lone: 'x\ud800y', text: 'literal \\u0000 stays' } });
      await store.writeSpans([span]);
      const [back] = await store.getTrace(span.traceId);
      assert.equal(back?.name, 'a\ufffdb');
      assert.equal(back?.attributes.lone, 'x\ufffdy');
      assert.equal(back?.attributes.text, 'literal \\u0000 stays');
    });

    test('writes wait for the group commit and fail when the database does', async (t) => {
      const { db, drop } = await engine.open();
      t.after(drop);
      const store = new DbTraceStore(db, { flushIntervalMs: 5 });
      await db.exec('alter table trace_spans rename to trace_spans_gone');
      await assert.rejects(store.writeSpans([makeSpan()]), /trace_spans/);
      await db.exec('alter table trace_spans_gone rename to trace_spans');
      await store.writeSpans([makeSpan()]);
      await store.close();
    });
  });
}

for (const engine of ENGINES) {
  describe(`DbTraceStore resources on ${engine.name}`, () => {
    test('a resource is stored once and swept with the last record that used it', async (t) => {
      const { db, drop } = await engine.open();
      t.after(drop);
      const store = new DbTraceStore(db);
      t.after(() => store.close());
      const resource = { 'service.name': 'checkout', 'process.command_args': ['node', 'server.js'] };
      const spans = [makeSpan({ resource }), makeSpan({ resource: { ...resource } }), makeSpan({ resource: { 'service.name': 'billing' } })];
      await store.writeSpans(spans);
      await store.writeLogs([makeLog({ resource })]);
      const count = async () => Number((await db.query<{ n: number }>('select count(*)::int as n from trace_resources'))[0]?.n);
      assert.equal(await count(), 2);
      assert.deepEqual((await store.getTrace(spans[1]!.traceId))[0]?.resource, resource);
      await store.sweep(new Date(Date.now() + 71 * 3_600_000));
      assert.equal(await count(), 2);
      await store.sweep(new Date(Date.now() + 73 * 3_600_000));
      assert.equal(await count(), 0);
    });
  });
}
