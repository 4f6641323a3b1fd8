// The OTLP/HTTP receiver plugin on a Fastify instance of its own, with the memory trace store.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test, type TestContext } from 'node:test';
import zlib from 'node:zlib';
import Fastify from 'fastify';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { OtlpAlertRule } from '../../../src/intake/otlp/alert-rule.ts';
import { otlpRoutes, type OtlpRoutesOptions } from '../../../src/intake/otlp/plugin.ts';
import { decodeLogsResponse, decodeStatus, decodeTraceResponse } from '../../../src/traces/otlp/protobuf.ts';
import type { IntakeOutcome } from '../../../src/intake/types.ts';
import { MemoryTraceStore } from '../../../src/traces/memory-trace-store.ts';
import type { TraceStore } from '../../../src/traces/types.ts';
import { exceptionAttributes, hexId, jsonLog, jsonSpan, logsRequest, traceRequest } from '../../helpers/otlp.ts';

const ON: OtlpAlertRule = { enabled: true, services: [], routes: [] };

async function setup(t: TestContext, overrides: Partial<OtlpRoutesOptions> & { token?: string; bodyLimit?: number } = {}) {
  const store = overrides.traceStore ?? new MemoryTraceStore();
  const outcomes: IntakeOutcome[] = [];
  const app = Fastify();
  await app.register(otlpRoutes, {
    traceStore: store,
    config: { otlp: { token: overrides.token, bodyLimit: overrides.bodyLimit ?? 1024 * 1024 } },
    onAlerts: overrides.onAlerts ?? ((o) => void outcomes.push(...o)),
    ...(overrides.alertRule ? { alertRule: overrides.alertRule } : {}),
  });
  t.after(() => app.close());
  return { app, store: store as TraceStore, outcomes };
}

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST' as const,
  headers: { 'content-type': 'application/json', ...headers },
  payload: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('OTLP/HTTP receiver', () => {
  test('JSON traces: 200 {} and the spans are stored', async (t) => {
    const { app, store } = await setup(t);
    const span = jsonSpan({ traceId: hexId(16).toUpperCase() });
    const res = await app.inject({ url: '/v1/traces', ...json(traceRequest([span])) });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.deepEqual(res.json(), {});
    const [stored] = await store.getTrace(String(span.traceId).toLowerCase());
    assert.equal(stored?.spanId, span.spanId);
    assert.equal(stored?.service, 'checkout');
  });

  test('JSON logs with a charset parameter: 200 and stored', async (t) => {
    const { app, store } = await setup(t);
    const traceId = hexId(16);
    const res = await app.inject({ url: '/v1/logs', ...json(logsRequest([jsonLog({ traceId, body: 'hello' })]), { 'content-type': 'application/json; charset=utf-8' }) });
    assert.equal(res.statusCode, 200);
    assert.deepEqual((await store.getLogs({ traceId, limit: 5 })).map((l) => l.body), ['hello']);
  });

  test('protobuf traces: the response is a protobuf ExportTraceServiceResponse', async (t) => {
    const { app, store } = await setup(t);
    const exporter = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('t');
    tracer.startSpan('work').end();
    const [span] = exporter.getFinishedSpans();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/traces',
      headers: { 'content-type': 'application/x-protobuf' },
      payload: Buffer.from(ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans())!),
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/x-protobuf');
    assert.equal((decodeTraceResponse(res.rawPayload) as { partialSuccess: unknown }).partialSuccess, null);
    assert.equal(res.rawPayload.length, 0, 'an empty message: full success');
    assert.equal((await store.getTrace(span!.spanContext().traceId))[0]?.name, 'work');
  });

  test('gzip bodies are inflated', async (t) => {
    const { app, store } = await setup(t);
    const span = jsonSpan();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/traces',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: zlib.gzipSync(JSON.stringify(traceRequest([span]))),
    });
    assert.equal(res.statusCode, 200);
    assert.equal((await store.getTrace(String(span.traceId))).length, 1);
  });

  test('base64 ids: partialSuccess with the count and the reason, JSON and protobuf alike', async (t) => {
    const { app, store } = await setup(t);
    const good = jsonSpan();
    const res = await app.inject({
      url: '/v1/traces',
      ...json(traceRequest([good, jsonSpan({ traceId: 'W47/95gDgQPSabYzgT/GDA==', spanId: '7uGbfsPBsXQ=' })])),
    });
    assert.equal(res.statusCode, 200);
    const { partialSuccess } = res.json();
    assert.equal(partialSuccess.rejectedSpans, '1');
    assert.match(partialSuccess.errorMessage, /^1 spans rejected: .*traceId "W47\/95gDgQPSabYzgT\/GDA==" looks base64-encoded/);
    assert.equal((await store.getTrace(String(good.traceId))).length, 1);

    const logs = await app.inject({ url: '/v1/logs', ...json(logsRequest([jsonLog({ spanId: '7uGbfsPBsXQ=' })])) });
    assert.equal(logs.json().partialSuccess.rejectedLogRecords, '1');
  });

  test('a rejected record in a protobuf request comes back as a protobuf partialSuccess', async (t) => {
    const { app } = await setup(t);
    // An 8-byte trace id is valid protobuf but not a valid OTLP trace id.
    const { encodeLogsRequestForTest } = await import('../../helpers/otlp-protobuf.ts');
    const res = await app.inject({
      method: 'POST',
      url: '/v1/logs',
      headers: { 'content-type': 'application/x-protobuf' },
      payload: encodeLogsRequestForTest([{ traceId: Buffer.alloc(8, 1), body: 'short id' }]),
    });
    assert.equal(res.statusCode, 200);
    const decoded = decodeLogsResponse(res.rawPayload) as { partialSuccess: { rejectedLogRecords: { toNumber(): number }; errorMessage: string } };
    assert.equal(decoded.partialSuccess.rejectedLogRecords.toNumber(), 1);
    assert.match(decoded.partialSuccess.errorMessage, /traceId has 8 bytes, expected 16/);
  });

  test('unknown fields are ignored', async (t) => {
    const { app, store } = await setup(t);
    const span = jsonSpan({ brandNewField: 'x' });
    const res = await app.inject({ url: '/v1/traces', ...json({ ...traceRequest([span]), extension: { a: 1 } }) });
    assert.deepEqual(res.json(), {});
    assert.equal((await store.getTrace(String(span.traceId))).length, 1);
  });

  test('undecodable bodies: 400 with a google.rpc.Status naming the problem', async (t) => {
    const { app } = await setup(t);
    const bad = await app.inject({ url: '/v1/traces', ...json('{"resourceSpans": [') });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 3);
    assert.match(bad.json().message, /^The body is not valid JSON/);
    const shape = await app.inject({ url: '/v1/traces', ...json({ resourceSpans: 'nope' }) });
    assert.equal(shape.statusCode, 400);
    assert.equal(shape.json().message, 'request.resourceSpans must be an array');
    const proto = await app.inject({
      method: 'POST',
      url: '/v1/logs',
      headers: { 'content-type': 'application/x-protobuf' },
      payload: Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]),
    });
    assert.equal(proto.statusCode, 400);
    assert.match(decodeStatus(proto.rawPayload).message, /not a protobuf ExportLogsServiceRequest/);
    const gzip = await app.inject({
      method: 'POST',
      url: '/v1/traces',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: Buffer.from('not gzip at all'),
    });
    assert.equal(gzip.statusCode, 400);
    assert.match(gzip.json().message, /not valid gzip/);
  });

  test('other content types: 415; other encodings: 415', async (t) => {
    const { app } = await setup(t);
    const text = await app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': 'text/plain' }, payload: 'hi' });
    assert.equal(text.statusCode, 415);
    assert.match(text.json().message, /application\/json or application\/x-protobuf/);
    const none = await app.inject({ method: 'POST', url: '/v1/logs', payload: 'hi' });
    assert.equal(none.statusCode, 415);
    const br = await app.inject({ url: '/v1/traces', ...json(traceRequest([]), { 'content-encoding': 'br' }) });
    assert.equal(br.statusCode, 415);
  });

  test('bodies above the limit: 413, before and after inflating', async (t) => {
    const { app } = await setup(t, { bodyLimit: 10_000 });
    const big = traceRequest(Array.from({ length: 100 }, () => jsonSpan()));
    const plain = await app.inject({ url: '/v1/traces', ...json(big) });
    assert.equal(plain.statusCode, 413);
    assert.equal(plain.json().code, 8);
    const zipped = zlib.gzipSync(JSON.stringify(big));
    assert.ok(zipped.length < 10_000);
    const inflated = await app.inject({
      method: 'POST',
      url: '/v1/traces',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: zipped,
    });
    assert.equal(inflated.statusCode, 413);
    assert.match(inflated.json().message, /decompressed body is larger than 10000 bytes/);
  });

  test('a gzip bomb over real HTTP: 413 quickly, without inflating it', async (t) => {
    const { app } = await setup(t, { bodyLimit: 1024 * 1024 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    // 512 MiB of zeros in ~0.5 MiB: 32 gzip members of 16 MiB each (gunzip reads concatenated members).
    const member = zlib.gzipSync(Buffer.alloc(16 * 1024 * 1024));
    const bomb = Buffer.concat(Array.from({ length: 32 }, () => member));
    assert.ok(bomb.length < 1024 * 1024, `bomb is ${bomb.length} bytes`);
    const heapBefore = process.memoryUsage().heapUsed;
    const started = Date.now();
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        { port, host: '127.0.0.1', path: '/v1/traces', method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.length } },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        },
      );
      req.on('error', reject);
      req.end(bomb);
    });
    assert.equal(status, 413);
    assert.match(JSON.parse(body).message, /decompressed/);
    assert.ok(Date.now() - started < 5000, 'answered without inflating all 512 MiB');
    assert.ok(process.memoryUsage().heapUsed - heapBefore < 64 * 1024 * 1024, 'memory stayed bounded');
  });

  test('bearer token: missing or wrong → 401, right → 200', async (t) => {
    const { app } = await setup(t, { token: 'otlp-secret' });
    const body = traceRequest([jsonSpan()]);
    const missing = await app.inject({ url: '/v1/traces', ...json(body) });
    assert.equal(missing.statusCode, 401);
    assert.equal(missing.json().code, 16);
    assert.equal(missing.headers['www-authenticate'], 'Bearer');
    const wrong = await app.inject({ url: '/v1/traces', ...json(body, { authorization: 'Bearer otlp-secreT' }) });
    assert.equal(wrong.statusCode, 401);
    const right = await app.inject({ url: '/v1/traces', ...json(body, { authorization: 'Bearer otlp-secret' }) });
    assert.equal(right.statusCode, 200);
  });

  test('error spans and exception logs reach onAlerts when the rule is on', async (t) => {
    const { app, outcomes } = await setup(t, { alertRule: ON });
    const error = new TypeError('x is undefined');
    const span = jsonSpan({ status: { code: 2 }, events: [{ name: 'exception', attributes: exceptionAttributes(error) }] });
    await app.inject({ url: '/v1/traces', ...json(traceRequest([span, jsonSpan()])) });
    const log = jsonLog({ traceId: hexId(16), spanId: hexId(8), eventName: 'exception', attributes: exceptionAttributes(new RangeError('too big')) });
    await app.inject({ url: '/v1/logs', ...json(logsRequest([log, jsonLog({ body: 'fine' })])) });
    assert.deepEqual(
      outcomes.map((o) => (o.kind === 'alert' ? [o.alert.kind, o.alert.errorType, o.alert.deliveryId] : [])),
      [
        ['span.exception', 'TypeError', `otlp:${span.traceId}:${span.spanId}`],
        ['log.exception', 'RangeError', `otlp:${log.traceId}:${log.spanId}`],
      ],
    );
  });

  test('no alerts while the rule is off (the default)', async (t) => {
    const { app, outcomes } = await setup(t);
    const span = jsonSpan({ status: { code: 2 }, events: [{ name: 'exception', attributes: exceptionAttributes(new Error('x')) }] });
    await app.inject({ url: '/v1/traces', ...json(traceRequest([span])) });
    assert.equal(outcomes.length, 0);
  });

  test('a log route filter looks the route up in the stored trace', async (t) => {
    const { app, outcomes } = await setup(t, { alertRule: { enabled: true, services: [], routes: ['/pay/**'] } });
    const server = jsonSpan({ attributes: { 'http.route': '/pay/:id' } });
    await app.inject({ url: '/v1/traces', ...json(traceRequest([server])) });
    const log = jsonLog({ traceId: server.traceId, spanId: server.spanId, attributes: exceptionAttributes(new Error('declined')) });
    await app.inject({ url: '/v1/logs', ...json(logsRequest([log])) });
    assert.equal(outcomes.length, 1);
  });

  test('a failing store or alert sink answers 503 so the exporter retries', async (t) => {
    const failing = new MemoryTraceStore();
    failing.writeSpans = async () => {
      throw new Error('disk full');
    };
    const { app } = await setup(t, { traceStore: failing });
    const res = await app.inject({ url: '/v1/traces', ...json(traceRequest([jsonSpan()])) });
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().code, 14);

    const sink = await setup(t, { alertRule: ON, onAlerts: async () => { throw new Error('db down'); } });
    const span = jsonSpan({ status: { code: 2 }, events: [{ name: 'exception', attributes: exceptionAttributes(new Error('x')) }] });
    const alerted = await sink.app.inject({ url: '/v1/traces', ...json(traceRequest([span])) });
    assert.equal(alerted.statusCode, 503);
  });
});
