import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Alert, type Frame } from '../../../schemas/alert.ts';
import { alertRuleFromConfig, ALERTS_OFF, type OtlpAlertRule } from '../../../src/intake/otlp/alert-rule.ts';
import { alertsFromLogs, alertsFromSpans, isExceptionLog } from '../../../src/intake/otlp/alerts.ts';
import type { StackParser } from '../../../src/intake/otlp/exception-alert.ts';
import { spansFromRequest } from '../../../src/traces/otlp/traces-request.ts';
import { hexId, makeLog, makeSpan } from '../../helpers/otlp.ts';

const ON: OtlpAlertRule = { enabled: true, services: [], routes: [] };
const STACK = "TypeError: Cannot read properties of undefined (reading 'price')\n    at totalPrice (/app/src/cart.js:42:17)\n    at handle (/app/src/server.js:10:3)";
const now = new Date('2024-05-01T12:00:00.000Z');

/** A stand-in for src/evidence/stack-text.ts: V8 frames, caller → callee. */
const v8Parser: StackParser = (stack) =>
  [...stack.matchAll(/^\s+at (?:(\S+) \()?(.+?):(\d+):(\d+)\)?$/gm)]
    .map((m): Frame => ({ function: m[1], absPath: m[2], file: m[2]!.replace(/^\/app\//, ''), line: Number(m[3]), column: Number(m[4]), inApp: true }))
    .reverse();

const RESOURCE = {
  'service.name': 'checkout',
  'service.version': '1.4.2',
  'deployment.environment.name': 'production',
  'vcs.ref.head.revision': 'ABCDEF1234567890ABCDEF1234567890ABCDEF12',
  'vcs.repository.url.full': 'https://github.com/acme/shop',
  'telemetry.sdk.language': 'nodejs',
};

function errorSpan(overrides: Parameters<typeof makeSpan>[0] = {}) {
  return makeSpan({
    statusCode: 2,
    statusMessage: 'boom',
    resource: RESOURCE,
    attributes: { 'http.route': '/cart/:id', 'http.request.method': 'POST', 'url.full': 'https://shop/cart/7' },
    events: [
      {
        name: 'exception',
        timeUnixNano: '1714564800000000000',
        attributes: { 'exception.type': 'TypeError', 'exception.message': "Cannot read properties of undefined (reading 'price')", 'exception.stacktrace': STACK },
      },
    ],
    ...overrides,
  });
}

describe('alertsFromSpans', () => {
  test('an error span with an exception event becomes a complete Alert', () => {
    const span = errorSpan();
    const [alert, ...rest] = alertsFromSpans([span, makeSpan()], ON, { parseStack: v8Parser, now });
    assert.equal(rest.length, 0);
    assert.deepEqual(Alert.parse(alert), alert);
    assert.equal(alert?.source, 'otlp');
    assert.equal(alert?.kind, 'span.exception');
    assert.equal(alert?.deliveryId, `otlp:${span.traceId}:${span.spanId}`);
    assert.equal(alert?.receivedAt, now.toISOString());
    assert.equal(alert?.errorType, 'TypeError');
    assert.equal(alert?.message, "Cannot read properties of undefined (reading 'price')");
    assert.equal(alert?.title, "TypeError: Cannot read properties of undefined (reading 'price')");
    assert.deepEqual(alert?.frames.map((f) => `${f.file}:${f.line}`), ['src/server.js:10', 'src/cart.js:42']);
    assert.equal(alert?.exceptions[0]?.rawStack, STACK);
    assert.equal(alert?.traceId, span.traceId);
    assert.equal(alert?.spanId, span.spanId);
    assert.equal(alert?.service, 'checkout');
    assert.equal(alert?.release, '1.4.2');
    assert.equal(alert?.environment, 'production');
    assert.equal(alert?.commitSha, 'abcdef1234567890abcdef1234567890abcdef12');
    assert.equal(alert?.repoHint, 'https://github.com/acme/shop');
    assert.deepEqual(alert?.request, { method: 'POST', url: 'https://shop/cart/7' });
    assert.equal(alert?.tags['http.route'], '/cart/:id');
  });

  test('no alert when the rule is off, the status is not ERROR, or there is no exception event', () => {
    assert.deepEqual(alertsFromSpans([errorSpan()], ALERTS_OFF), []);
    assert.deepEqual(alertsFromSpans([errorSpan({ statusCode: 0 })], ON), []);
    assert.deepEqual(alertsFromSpans([errorSpan({ events: [] })], ON), []);
  });

  test('by default, stack text is parsed by src/evidence/stack-text.ts (V8 here)', () => {
    const [alert] = alertsFromSpans([errorSpan()], ON);
    const top = alert?.frames.at(-1);
    assert.equal(alert?.frames.length, 2);
    assert.equal(top?.function, 'totalPrice');
    assert.equal(top?.line, 42);
    assert.match(top?.absPath ?? top?.file ?? '', /cart\.js$/);
  });

  test('the vaadin capture alerts only once its span status is ERROR', () => {
    const body = JSON.parse(readFileSync(new URL('../../fixtures/otlp/vaadin-observability-kit-browser-span-with-exception-event.json', import.meta.url), 'utf8'));
    const { records } = spansFromRequest(body);
    assert.deepEqual(alertsFromSpans(records, ON), []);
    const [alert] = alertsFromSpans([{ ...records[0]!, statusCode: 2 }], ON, { parseStack: v8Parser });
    assert.equal(alert?.errorType, 'Error');
    assert.equal(alert?.message, 'A client side error');
    assert.equal(alert?.deliveryId, 'otlp:df0d98d8e9a800608b087d9d00172e49:9a728acf16177e63');
    assert.equal(alert?.frames.length, 7);
  });

  test('without a stack, frames come from code.* in either spelling', () => {
    const noStack = (span: ReturnType<typeof errorSpan>) => {
      delete span.events[0]!.attributes['exception.stacktrace'];
      return span;
    };
    const newNames = noStack(errorSpan({
      attributes: { 'code.file.path': '/app/src/cart.js', 'code.line.number': 42, 'code.column.number': 17, 'code.function.name': 'cart.totalPrice' },
    }));
    assert.deepEqual(alertsFromSpans([newNames], ON)[0]?.frames, [
      { file: '/app/src/cart.js', function: 'cart.totalPrice', line: 42, column: 17 },
    ]);
    const oldNames = noStack(errorSpan({
      attributes: { 'code.filepath': 'cart.py', 'code.lineno': '42', 'code.function': 'total_price', 'code.namespace': 'shop.cart' },
    }));
    assert.deepEqual(alertsFromSpans([oldNames], ON)[0]?.frames, [
      { file: 'cart.py', function: 'shop.cart.total_price', module: 'shop.cart', line: 42 },
    ]);
  });

  test('a parser that throws loses the frames, not the alert', () => {
    const [alert] = alertsFromSpans([errorSpan()], ON, { parseStack: () => { throw new Error('parser bug'); } });
    assert.equal(alert?.frames.length, 0);
    assert.equal(alert?.exceptions[0]?.rawStack, STACK);
  });

  test('the old deployment.environment and a non-hex revision', () => {
    const span = errorSpan({ resource: { 'service.name': 'x', 'deployment.environment': 'staging', 'vcs.ref.head.revision': 'main' } });
    const [alert] = alertsFromSpans([span], ON);
    assert.equal(alert?.environment, 'staging');
    assert.equal(alert?.commitSha, undefined);
  });

  test('service and route globs; the route is found on an ancestor span of the batch', () => {
    const traceId = hexId(16);
    const server = makeSpan({ traceId, attributes: { 'http.route': '/api/orders/:id' } });
    const db = errorSpan({ traceId, parentSpanId: server.spanId, attributes: { 'db.system': 'postgresql' } });
    const rule = (services: string[], routes: string[]) => ({ enabled: true, services, routes });
    assert.equal(alertsFromSpans([server, db], rule(['check*'], ['/api/**'])).length, 1);
    assert.equal(alertsFromSpans([server, db], rule(['billing'], [])).length, 0);
    assert.equal(alertsFromSpans([server, db], rule([], ['/admin/**'])).length, 0);
    assert.equal(alertsFromSpans([db], rule([], ['/api/**'])).length, 0, 'an unknown route does not match a route filter');
    assert.equal(alertsFromSpans([server, db], rule([], ['/api/**']))[0]?.tags['http.route'], '/api/orders/:id');
  });

  test('alertRuleFromConfig: absent is off; present is read', () => {
    assert.equal(alertRuleFromConfig({ otlp: {} }).enabled, false);
    assert.deepEqual(alertRuleFromConfig({ otlp: { alerts: { enabled: true, services: ['a'] } } }), { enabled: true, services: ['a'], routes: [] });
  });
});

describe('alertsFromLogs', () => {
  const exceptionLog = (overrides: Parameters<typeof makeLog>[0] = {}) =>
    makeLog({
      traceId: hexId(16),
      spanId: hexId(8),
      severityNumber: 17,
      eventName: 'exception',
      resource: RESOURCE,
      attributes: { 'exception.type': 'ValueError', 'exception.message': 'bad amount', 'exception.stacktrace': STACK, 'code.filepath': 'pay.py', 'code.lineno': 9 },
      ...overrides,
    });

  test('an exception log record becomes an Alert keyed by its span', () => {
    const log = exceptionLog();
    const [alert] = alertsFromLogs([log], ON, { parseStack: v8Parser, now });
    assert.deepEqual(Alert.parse(alert), alert);
    assert.equal(alert?.kind, 'log.exception');
    assert.equal(alert?.deliveryId, `otlp:${log.traceId}:${log.spanId}`);
    assert.equal(alert?.errorType, 'ValueError');
    assert.equal(alert?.frames.length, 2);
    assert.equal(alert?.commitSha, 'abcdef1234567890abcdef1234567890abcdef12');
  });

  test('the same exception as span event and log record (logs/dup) has one deliveryId', () => {
    const span = errorSpan();
    const log = exceptionLog({ traceId: span.traceId, spanId: span.spanId });
    assert.equal(alertsFromSpans([span], ON)[0]?.deliveryId, alertsFromLogs([log], ON)[0]?.deliveryId);
  });

  test('which records count as exceptions', () => {
    assert.equal(isExceptionLog(exceptionLog()), true);
    assert.equal(isExceptionLog(exceptionLog({ eventName: undefined, severityNumber: 21 })), true, 'FATAL without an event name');
    assert.equal(isExceptionLog(exceptionLog({ eventName: 'http.client.request.exception', severityNumber: 0 })), true);
    assert.equal(isExceptionLog(exceptionLog({ severityNumber: 13 })), false, 'a handled exception at WARN');
    assert.equal(isExceptionLog(exceptionLog({ eventName: 'browser.page_view', severityNumber: 9 })), false);
    assert.equal(isExceptionLog(makeLog({ severityNumber: 17 })), false, 'an ERROR line without exception.*');
  });

  test('without ids, the deliveryId is a stable hash; without a stack, code.* gives the frame', () => {
    const log = exceptionLog({ traceId: undefined, spanId: undefined });
    delete log.traceId;
    delete log.spanId;
    delete log.attributes['exception.stacktrace'];
    const [a] = alertsFromLogs([log], ON);
    const [b] = alertsFromLogs([structuredClone(log)], ON);
    assert.match(a!.deliveryId, /^otlp:log:[0-9a-f]{32}$/);
    assert.equal(a!.deliveryId, b!.deliveryId);
    assert.deepEqual(a!.frames, [{ file: 'pay.py', line: 9 }]);
  });

  test('the route filter uses the record’s trace when given', () => {
    const server = makeSpan({ attributes: { 'http.route': '/pay' } });
    const log = exceptionLog({ traceId: server.traceId, spanId: server.spanId });
    const rule = { enabled: true, services: [], routes: ['/pay'] };
    assert.equal(alertsFromLogs([log], rule).length, 0);
    assert.equal(alertsFromLogs([log], rule, { spans: [server] }).length, 1);
  });

  test('oversized texts are clipped to what the Alert schema allows', () => {
    const [alert] = alertsFromLogs([exceptionLog({ attributes: { 'exception.type': 'E'.repeat(600), 'exception.message': 'm'.repeat(10_000) } })], ON);
    assert.equal(alert?.errorType.length, 512);
    assert.equal(alert?.message.length, 8192);
    assert.equal(alert?.title.length, 1024);
  });
});
