// Both encodings of both signals decode to the stored records: the spec's example fixtures, a real
// browser SDK capture, and requests serialized by the OpenTelemetry JS SDK's own serializers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  JsonLogsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OtlpDecodeError } from '../../../src/traces/otlp/decoded.ts';
import { logsFromRequest } from '../../../src/traces/otlp/logs-request.ts';
import { decodeLogsRequest, decodeTraceRequest } from '../../../src/traces/otlp/protobuf.ts';
import { spansFromRequest } from '../../../src/traces/otlp/traces-request.ts';
import { LogRecord, SpanRecord } from '../../../schemas/telemetry.ts';
import { jsonLog, jsonSpan, logsRequest, traceRequest } from '../../helpers/otlp.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/otlp/${name}`, import.meta.url), 'utf8'));

describe('OTLP/JSON fixtures', () => {
  test('opentelemetry-proto examples/trace.json: upper-case hex ids lower-cased, scope and resource kept', () => {
    const { records, rejected } = spansFromRequest(fixture('opentelemetry-proto-examples-trace.json'));
    assert.equal(rejected, 0);
    assert.deepEqual(records, [
      {
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: 'eee19b7ec3c1b174',
        parentSpanId: 'eee19b7ec3c1b173',
        name: "I'm a server span",
        kind: 2,
        startTimeUnixNano: '1544712660000000000',
        endTimeUnixNano: '1544712661000000000',
        statusCode: 0,
        attributes: { 'my.span.attr': 'some value' },
        resource: { 'service.name': 'my.service' },
        events: [],
        service: 'my.service',
      },
    ]);
    SpanRecord.parse(records[0]);
  });

  test('opentelemetry-proto examples/logs.json: every AnyValue kind, ids lower-cased', () => {
    const { records, rejected } = logsFromRequest(fixture('opentelemetry-proto-examples-logs.json'));
    assert.equal(rejected, 0);
    assert.deepEqual(records, [
      {
        timeUnixNano: '1544712660300000000',
        severityNumber: 10,
        severityText: 'Information',
        body: 'Example log record',
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: 'eee19b7ec3c1b174',
        attributes: {
          'string.attribute': 'some string',
          'boolean.attribute': true,
          'int.attribute': 10,
          'double.attribute': 637.704,
          'array.attribute': ['many', 'values'],
          'map.attribute': { 'some.map.key': 'some value' },
        },
        resource: { 'service.name': 'my.service' },
        service: 'my.service',
      },
    ]);
    LogRecord.parse(records[0]);
  });

  test('opentelemetry-proto examples/events.json: eventName and a kvlist body (as JSON text)', () => {
    const { records } = logsFromRequest(fixture('opentelemetry-proto-examples-events.json'));
    assert.equal(records.length, 1);
    assert.equal(records[0]?.eventName, 'browser.page_view');
    assert.equal(records[0]?.traceId, undefined);
    assert.deepEqual(JSON.parse(records[0]!.body), {
      type: 0,
      url: 'https://www.guidgenerator.com/online-guid-generator.aspx',
      referrer: 'https://wwww.google.com',
      title: 'Free Online GUID Generator',
    });
  });

  test('vaadin browser capture: numeric times, the exception event with its V8 stack', () => {
    const { records, rejected } = spansFromRequest(fixture('vaadin-observability-kit-browser-span-with-exception-event.json'));
    assert.equal(rejected, 0);
    const [span] = records;
    assert.equal(span?.traceId, 'df0d98d8e9a800608b087d9d00172e49');
    assert.equal(span?.kind, 1);
    assert.equal(span?.statusCode, 0);
    assert.equal(span?.service, 'unknown_service');
    assert.equal(span?.resource['telemetry.sdk.language'], 'webjs');
    assert.match(span!.startTimeUnixNano, /^16786917487035\d{5}$/);
    const event = span!.events[0]!;
    assert.equal(event.name, 'exception');
    assert.equal(event.attributes['exception.type'], 'Error');
    assert.equal(event.attributes['exception.message'], 'A client side error');
    assert.match(String(event.attributes['exception.stacktrace']), /^Error: A client side error\n {4}at ProblematicComponent\._throwError/);
    SpanRecord.parse(span);
  });
});

describe('OTLP/JSON leniency and rejection', () => {
  test('unknown fields are ignored at every level', () => {
    const request = traceRequest([jsonSpan({ futureField: { x: 1 }, status: { code: 2, extra: true } })]);
    (request as Record<string, unknown>).somethingNew = [1, 2];
    (request.resourceSpans[0] as Record<string, unknown>).schemaUrl = 'https://opentelemetry.io/schemas/1.30.0';
    const { records, rejected } = spansFromRequest(request);
    assert.equal(rejected, 0);
    assert.equal(records[0]?.statusCode, 2);
  });

  test('legacy instrumentationLibrarySpans, string enums and numeric ints are accepted', () => {
    const request = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'old' } }] },
          instrumentationLibrarySpans: [
            {
              instrumentationLibrary: { name: 'lib' },
              spans: [jsonSpan({ kind: 'SPAN_KIND_CLIENT', status: { code: 'STATUS_CODE_ERROR' }, start: 1700000000000000000, end: '1700000000000000001' })],
            },
          ],
        },
      ],
    };
    const [span] = spansFromRequest(request).records;
    assert.equal(span?.kind, 3);
    assert.equal(span?.statusCode, 2);
    assert.equal(span?.service, 'old');
    assert.equal(span?.endTimeUnixNano, '1700000000000000001');
  });

  test('a span with base64 ids is rejected with a reason; its neighbours are kept', () => {
    const good = jsonSpan();
    const base64 = jsonSpan({ traceId: 'W47/95gDgQPSabYzgT/GDA==', spanId: '7uGbfsPBsXQ=' });
    const { records, rejected, reasons } = spansFromRequest(traceRequest([good, base64, jsonSpan({ spanId: '' })]));
    assert.equal(records.length, 1);
    assert.equal(records[0]?.spanId, good.spanId);
    assert.equal(rejected, 2);
    assert.match(reasons[0]!, /spans\[1\]: traceId "W47\/95gDgQPSabYzgT\/GDA==" looks base64-encoded/);
    assert.match(reasons[1]!, /spans\[2\]: spanId is missing/);
  });

  test('a log record with a base64 trace id is rejected; one without ids is fine', () => {
    const { records, rejected, reasons } = logsFromRequest(
      logsRequest([jsonLog({ traceId: 'W47/95gDgQPSabYzgT/GDA==' }), jsonLog({ timeUnixNano: '0', observedTimeUnixNano: '1700000000000000009' })]),
    );
    assert.equal(rejected, 1);
    assert.match(reasons[0]!, /base64/);
    assert.equal(records[0]?.timeUnixNano, '1700000000000000009', 'an unknown time falls back to the observed time');
  });

  test('a body of the wrong shape is a decode error naming the problem', () => {
    assert.throws(() => spansFromRequest([]), OtlpDecodeError);
    assert.throws(() => spansFromRequest({ resourceSpans: {} }), /request\.resourceSpans must be an array/);
    assert.throws(() => logsFromRequest({ resourceLogs: [{ scopeLogs: 3 }] }), /resourceLogs\[0\]\.scopeLogs must be an array/);
    assert.deepEqual(spansFromRequest({}).records, []);
  });
});

describe('OTLP/protobuf with the SDK serializers', () => {
  function sdkSpans() {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'checkout', 'service.version': '2.0.1', 'vcs.ref.head.revision': 'abc1234' }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('decode-test', '1.0.0');
    const parent = tracer.startSpan('POST /checkout', { kind: 1, attributes: { 'http.route': '/checkout', 'int': 2 ** 40 } });
    const ctx = trace.setSpan(context.active(), parent);
    const child = tracer.startSpan('charge', { attributes: { ratio: 0.25, tags: ['a', 'b'], ok: false } }, ctx);
    child.recordException(new TypeError('card is undefined'));
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'charge failed' });
    child.end();
    parent.end();
    return exporter.getFinishedSpans();
  }

  test('protobuf and JSON serializations of the same spans decode to the same records', () => {
    const spans = sdkSpans();
    const fromProto = spansFromRequest(decodeTraceRequest(ProtobufTraceSerializer.serializeRequest(spans)!));
    const fromJson = spansFromRequest(JSON.parse(Buffer.from(JsonTraceSerializer.serializeRequest(spans)!).toString('utf8')));
    assert.equal(fromProto.rejected, 0);
    assert.deepEqual(fromProto.records, fromJson.records);
    const [child, parent] = fromProto.records;
    assert.equal(child?.traceId, spans[0]!.spanContext().traceId);
    assert.equal(child?.spanId, spans[0]!.spanContext().spanId);
    assert.equal(child?.parentSpanId, parent?.spanId);
    assert.equal(child?.statusCode, 2);
    assert.equal(child?.statusMessage, 'charge failed');
    assert.deepEqual(child?.attributes, { ratio: 0.25, tags: ['a', 'b'], ok: false });
    assert.equal(child?.events[0]?.attributes['exception.type'], 'TypeError');
    assert.equal(parent?.kind, 2, 'API SpanKind.SERVER (1) is OTLP SPAN_KIND_SERVER (2)');
    assert.equal(parent?.attributes.int, 2 ** 40);
    assert.equal(parent?.resource['vcs.ref.head.revision'], 'abc1234');
    const [s, ns] = spans[0]!.startTime;
    assert.equal(child?.startTimeUnixNano, (BigInt(s) * 1_000_000_000n + BigInt(ns)).toString());
    for (const record of fromProto.records) SpanRecord.parse(record);
  });

  test('protobuf and JSON serializations of the same log records decode to the same records', () => {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'checkout' }),
      processors: [new SimpleLogRecordProcessor({ exporter })],
    });
    const tracer = new BasicTracerProvider().getTracer('t');
    const span = tracer.startSpan('s');
    provider.getLogger('decode-test').emit({
      eventName: 'exception',
      severityNumber: SeverityNumber.ERROR,
      severityText: 'ERROR',
      body: 'payment failed',
      attributes: { 'code.file.path': '/app/pay.js', 'code.line.number': 12 },
      exception: new RangeError('amount out of range'),
      context: trace.setSpan(context.active(), span),
    });
    const logs = exporter.getFinishedLogRecords();
    const fromProto = logsFromRequest(decodeLogsRequest(ProtobufLogsSerializer.serializeRequest(logs)!));
    const fromJson = logsFromRequest(JSON.parse(Buffer.from(JsonLogsSerializer.serializeRequest(logs)!).toString('utf8')));
    assert.deepEqual(fromProto, fromJson);
    const [log] = fromProto.records;
    assert.equal(log?.traceId, span.spanContext().traceId);
    assert.equal(log?.spanId, span.spanContext().spanId);
    assert.equal(log?.eventName, 'exception');
    assert.equal(log?.severityNumber, 17);
    assert.equal(log?.body, 'payment failed');
    assert.equal(log?.attributes['exception.type'], 'RangeError');
    assert.equal(log?.attributes['code.line.number'], 12);
    LogRecord.parse(log);
  });

  test('int64 attributes past 2^53 stay exact in protobuf (as strings)', () => {
    const exporter = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('t');
    tracer.startSpan('s', { attributes: { big: 2 ** 60, negative: -5 } }).end();
    const [span] = spansFromRequest(decodeTraceRequest(ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans())!)).records;
    assert.equal(span?.attributes.big, '1152921504606846976');
    assert.equal(span?.attributes.negative, -5);
  });

  test('bytes that are not the message throw', () => {
    assert.throws(() => decodeTraceRequest(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01])));
  });
});
