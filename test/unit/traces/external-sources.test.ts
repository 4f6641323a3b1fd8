import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CompositeTraceStore } from '../../../src/traces/composite-trace-store.ts';
import { JaegerTraceSource } from '../../../src/traces/jaeger-trace-source.ts';
import { MemoryTraceStore } from '../../../src/traces/memory-trace-store.ts';
import { openTraceSource } from '../../../src/traces/open-trace-store.ts';
import { TempoTraceSource } from '../../../src/traces/tempo-trace-source.ts';
import { fakeJaeger, fakeTempo, type FakeBackend } from '../../helpers/fake-trace-backends.ts';
import { hexId, makeSpan } from '../../helpers/otlp.ts';
import type { SpanRecord } from '../../../schemas/telemetry.ts';

/** A two-span trace whose trace id has a zero high byte (Jaeger then prints it short). */
function sampleTrace(): SpanRecord[] {
  const traceId = `00${hexId(16).slice(2)}`;
  const root = makeSpan({ traceId, name: 'POST /checkout', startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000900000000' });
  const failing = makeSpan({
    traceId,
    parentSpanId: root.spanId,
    name: 'charge card',
    kind: 3,
    statusCode: 2,
    statusMessage: 'card declined',
    startTimeUnixNano: '1700000000100000000',
    endTimeUnixNano: '1700000000200000000',
    attributes: { 'peer.service': 'payments', retries: 2, ratio: 0.5, cached: false },
    events: [
      {
        name: 'exception',
        timeUnixNano: '1700000000150000000',
        attributes: { 'exception.type': 'CardError', 'exception.message': 'declined', 'exception.stacktrace': 'CardError: declined\n    at charge (/app/pay.js:10:5)' },
      },
    ],
  });
  return [root, failing];
}

async function withBackend(t: { after(fn: () => Promise<void>): void }, make: () => Promise<FakeBackend>) {
  const backend = await make();
  t.after(() => backend.close());
  return backend;
}

describe('external trace sources', () => {
  test('Tempo: base64 ids, `batches` and enum names read back as the spans we stored', async (t) => {
    const tempo = await withBackend(t, fakeTempo);
    const trace = sampleTrace();
    tempo.traces.set(trace[0]!.traceId, trace);
    const source = new TempoTraceSource({ baseUrl: tempo.url, token: 's3cret' });
    assert.deepEqual(await source.getTrace(trace[0]!.traceId.toUpperCase()), trace);
    assert.deepEqual(await source.getTrace(hexId(16)), []);
    assert.deepEqual(await source.getTrace('not-an-id'), []);
    assert.equal(tempo.requests[0]?.path, `/api/traces/${trace[0]!.traceId}`);
    assert.equal(tempo.requests[0]?.authorization, 'Bearer s3cret');
    assert.equal(tempo.requests.length, 2, 'an invalid id is not sent');
  });

  test('Jaeger v1 JSON: tags, logs and references map back to kind, status, events and parent', async (t) => {
    const jaeger = await withBackend(t, fakeJaeger);
    const trace = sampleTrace();
    jaeger.traces.set(trace[0]!.traceId, trace);
    const spans = await new JaegerTraceSource({ baseUrl: `${jaeger.url}/` }).getTrace(trace[0]!.traceId);
    assert.equal(jaeger.requests[0]?.path, `/api/traces/${trace[0]!.traceId}`);
    const [root, failing] = spans;
    assert.equal(root?.traceId, trace[0]!.traceId, 'the short Jaeger trace id is padded back to 32');
    assert.equal(failing?.parentSpanId, root?.spanId);
    assert.equal(failing?.kind, 3);
    assert.equal(failing?.statusCode, 2);
    assert.equal(failing?.statusMessage, 'card declined');
    assert.equal(failing?.service, 'checkout');
    assert.deepEqual(failing?.resource, { 'service.name': 'checkout', 'service.version': '1.4.2' });
    assert.deepEqual(failing?.attributes, trace[1]!.attributes);
    assert.deepEqual(failing?.events, trace[1]!.events);
    assert.equal(failing?.startTimeUnixNano, '1700000000100000000');
    assert.equal(failing?.endTimeUnixNano, '1700000000200000000');
    assert.deepEqual(await new JaegerTraceSource({ baseUrl: jaeger.url }).getTrace(hexId(16)), []);
  });

  test('Jaeger v3 (OTLP JSON in `result`) reads back exactly', async (t) => {
    const jaeger = await withBackend(t, fakeJaeger);
    const trace = sampleTrace();
    jaeger.traces.set(trace[0]!.traceId, trace);
    const source = new JaegerTraceSource({ baseUrl: jaeger.url, api: 'v3' });
    assert.deepEqual(await source.getTrace(trace[0]!.traceId), trace);
    assert.equal(jaeger.requests[0]?.path, `/api/v3/traces/${trace[0]!.traceId}`);
    assert.deepEqual(await source.getTrace(hexId(16)), []);
  });

  test('a failing source throws a TraceSourceError naming the status', async (t) => {
    const tempo = await withBackend(t, fakeTempo);
    tempo.failWith = 500;
    await assert.rejects(new TempoTraceSource({ baseUrl: tempo.url }).getTrace(hexId(16)), {
      name: 'TraceSourceError',
      message: /Tempo answered 500/,
    });
    await assert.rejects(new TempoTraceSource({ baseUrl: 'http://127.0.0.1:1' }).getTrace(hexId(16)), /unreachable/);
  });

  test('the composite reads local first, falls back to the source, and survives its outage', async (t) => {
    const tempo = await withBackend(t, fakeTempo);
    const remote = sampleTrace();
    tempo.traces.set(remote[0]!.traceId, remote);
    const local = new MemoryTraceStore();
    const errors: string[] = [];
    const store = new CompositeTraceStore(local, new TempoTraceSource({ baseUrl: tempo.url }), {
      onSourceError: (_error, name) => errors.push(name),
    });
    const mine = makeSpan();
    await store.writeSpans([mine]);
    assert.deepEqual(await store.getTrace(mine.traceId), [mine]);
    assert.equal(tempo.requests.length, 0, 'a local hit does not ask Tempo');
    assert.deepEqual(await store.getTrace(remote[0]!.traceId), remote);
    tempo.failWith = 503;
    assert.deepEqual(await store.getTrace(hexId(16)), []);
    assert.deepEqual(errors, ['tempo']);
  });

  test('openTraceSource picks the adapter from config', () => {
    const base = { sourceUrl: 'http://tempo:3200', retentionHours: 72, maxSpans: 10, maxLogs: 10 };
    assert.equal(openTraceSource({ ...base, source: 'local' }), undefined);
    assert.equal(openTraceSource({ ...base, source: 'tempo' })?.name, 'tempo');
    assert.equal(openTraceSource({ ...base, source: 'jaeger' })?.name, 'jaeger');
    assert.equal(openTraceSource({ ...base, source: 'jaeger-v3' })?.name, 'jaeger-v3');
    assert.throws(() => openTraceSource({ ...base, source: 'tempo', sourceUrl: undefined }), /TRACEFIX_TRACE_SOURCE_URL/);
  });
});
