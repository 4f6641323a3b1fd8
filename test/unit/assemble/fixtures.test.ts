// Real Sentry fixtures through the real intake, plus OTLP spans and logs shaped as the trace
// store returns them → a bundle with the expected crash frame, locals, span path and logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogRecord, SpanRecord } from '../../../schemas/telemetry.ts';
import { assemble, browserAlert, log, ns, pythonAlert, span, spanId, T0_MS, TRACE_ID } from './helpers.ts';

const SHA = '4f3c2a1b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b';

function reportTrace() {
  const ids = { root: spanId(), handle: spanId(), parse: spanId(), db: spanId(), cache: spanId(), other: spanId() };
  const resource = {
    'service.name': 'checkout',
    'service.version': '2.3.1',
    'process.runtime.name': 'CPython',
    'process.runtime.version': '3.13.5',
    'os.type': 'linux',
    'host.arch': 'amd64',
    'vcs.ref.head.revision': SHA,
    'vcs.repository.url.full': 'https://github.com/acme/reports.git',
  };
  const spans: SpanRecord[] = [
    span({
      spanId: ids.root, name: 'POST /api/report', kind: 2, service: 'gateway', resource: { 'service.name': 'gateway' },
      startTimeUnixNano: ns(T0_MS - 50), endTimeUnixNano: ns(T0_MS + 100), statusCode: 2,
      attributes: {
        'http.request.method': 'POST', 'http.route': '/api/report', 'url.path': '/api/report', 'url.query': 'tz_hint=none',
        'user_agent.original': 'curl/8.5.0', 'http.request.header.accept-language': ['fr-FR,fr;q=0.9'],
        'http.response.status_code': 500, 'feature_flag.strict_dates': true, 'internal.secret_sauce': 'x',
      },
    }),
    span({ spanId: ids.handle, parentSpanId: ids.root, name: 'report.handle', resource, startTimeUnixNano: ns(T0_MS - 20), endTimeUnixNano: ns(T0_MS + 60), statusCode: 2 }),
    span({
      spanId: ids.parse, parentSpanId: ids.handle, name: 'report.parse', resource, statusCode: 2, statusMessage: 'time data does not match format',
      startTimeUnixNano: ns(T0_MS), endTimeUnixNano: ns(T0_MS + 5), attributes: { 'code.function.name': 'parse_report', tz: 'UTC' },
      events: [{ name: 'exception', timeUnixNano: ns(T0_MS + 4), attributes: { 'exception.type': 'Exception', 'exception.message': 'This is an example Python exception' } }],
    }),
    span({ spanId: ids.db, parentSpanId: ids.parse, name: 'SELECT reports', kind: 3, resource, startTimeUnixNano: ns(T0_MS + 2), attributes: { 'db.system': 'postgresql' } }),
    span({ spanId: ids.cache, parentSpanId: ids.parse, name: 'cache.get', kind: 3, resource, startTimeUnixNano: ns(T0_MS + 1) }),
    // Another error span with an exception event, far from the alert in time: not the one.
    span({
      spanId: ids.other, parentSpanId: ids.root, name: 'audit.write', statusCode: 2, resource,
      events: [{ name: 'exception', timeUnixNano: ns(T0_MS - 3_600_000), attributes: { 'exception.type': 'Exception' } }],
    }),
    // The rest of the trace, and a span of some other trace.
    ...Array.from({ length: 30 }, (_, i) => span({ spanId: spanId(), parentSpanId: ids.root, name: i % 2 ? 'redis GET' : 'render', resource })),
    span({ spanId: spanId(), traceId: 'f'.repeat(32), name: 'unrelated', statusCode: 2 }),
  ];
  return { spans, ids };
}

function reportLogs(parseSpan: string): LogRecord[] {
  return [
    log({ body: "DEBUG parsing ts='2025-07-01 12:03'", severityNumber: 5, traceId: TRACE_ID, spanId: parseSpan, timeUnixNano: ns(T0_MS + 1) }),
    log({ body: "parse_failed reason='format'", severityNumber: 17, traceId: TRACE_ID, spanId: parseSpan, timeUnixNano: ns(T0_MS + 4) }),
    log({ body: 'request start path=/api/report', traceId: TRACE_ID, service: 'gateway', resource: { 'service.name': 'gateway' }, timeUnixNano: ns(T0_MS - 49) }),
    ...[17, 18, 19, 20, 21].map((n, i) => log({ body: `cache miss for key report:${n} after ${i * 3}ms`, timeUnixNano: ns(T0_MS - 5000 + i * 1000) })),
    log({ body: 'another service, same time', service: 'billing', resource: { 'service.name': 'billing' } }),
    log({ body: 'same service, two minutes later', timeUnixNano: ns(T0_MS + 120_000) }),
  ];
}

test('Sentry python event + OTLP trace and logs → crash frame, locals, span path, logs', async () => {
  const { spans, ids } = reportTrace();
  const alert = pythonAlert({ traceId: TRACE_ID });
  const { bundle } = await assemble({ alerts: [alert], spans, logs: reportLogs(ids.parse) });

  // Exception: innermost first; the crash frame is `main` at line 26 with its locals.
  const ex = bundle.exception;
  assert.equal(ex.type, 'Exception');
  assert.equal(ex.message, 'This is an example Python exception');
  assert.deepEqual(ex.frames.map((f) => `${f.function}:${f.line}`), ['main:26', '<module>:28']);
  assert.equal(ex.topInAppFrame, 0);
  assert.equal(ex.frames[0]?.contextLine, "    raise Exception('This is an example Python exception')");
  assert.deepEqual(ex.frames[0]?.locals, {
    dict_var: { key1: "'value1'", key2: "'value2'", key3: "'value3'" },
    int_var: '1',
    list_var: ['1', '2', '3'],
    str_var: "'Hello, world!'",
  });
  assert.equal(ex.frames[0]?.absPath, '/Users/user/test/main.py');

  // Trace: the error span found by its exception event, its path from the root, its children.
  const trace = bundle.trace;
  assert.equal(trace.traceId, TRACE_ID);
  assert.equal(trace.selection, 'exception-event');
  assert.equal(trace.errorSpan?.spanId, ids.parse);
  assert.equal(trace.errorSpan?.statusMessage, 'time data does not match format');
  assert.deepEqual(trace.ancestors.map((s) => s.name), ['POST /api/report', 'report.handle']);
  assert.equal(trace.rootMissing, false);
  assert.deepEqual(trace.children.map((s) => s.name), ['cache.get', 'SELECT reports']);
  assert.equal(trace.summary.totalSpans, 36);
  assert.deepEqual(trace.summary.groups.map((g) => [g.name, g.count, g.errorCount]), [['audit.write', 1, 1], ['redis GET', 15, 0], ['render', 15, 0]]);
  // Attributes went through the allowlist.
  const root = trace.ancestors[0];
  assert.equal(root?.attributes['http.route'], '/api/report');
  assert.equal(root?.attributes['internal.secret_sauce'], undefined);
  assert.ok((root?.attributesOmitted ?? 0) >= 1);

  // Logs: the trace's records first (by time), then the service's window, collapsed.
  const logs = bundle.logs;
  assert.deepEqual(logs.entries.map((e) => [e.origin, e.count]), [['trace', 1], ['trace', 1], ['trace', 1], ['window', 5]]);
  assert.deepEqual(logs.entries.slice(0, 3).map((e) => e.body), ['request start path=/api/report', "DEBUG parsing ts='2025-07-01 12:03'", "parse_failed reason='format'"]);
  const collapsed = logs.entries[3];
  assert.equal(collapsed?.template, 'cache miss for key report:<num> after <num>ms');
  assert.equal(collapsed?.body, 'cache miss for key report:21 after 12ms', 'the sample is the line nearest the error');
  assert.equal(logs.traceRecords, 3);
  assert.equal(logs.windowRecords, 5);
  assert.equal(logs.service, 'checkout');

  // Repro and environment from the server span, the resource and the alert.
  assert.deepEqual(bundle.repro.request && { ...bundle.repro.request, headers: undefined }, {
    method: 'POST', route: '/api/report', path: '/api/report', query: 'tz_hint=none', userAgent: 'curl/8.5.0', statusCode: 500,
    sources: ['span'], headers: undefined,
  });
  assert.equal(bundle.repro.env.tz, 'UTC');
  assert.equal(bundle.repro.env.locale, 'fr-FR');
  assert.deepEqual(bundle.repro.env.featureFlags, { strict_dates: true });
  assert.equal(bundle.repro.env.deploymentEnvironment, 'production');
  assert.deepEqual(bundle.repro.inputs.map((i) => [i.frameIndex, i.function]), [[0, 'main'], [1, '<module>']]);
  assert.deepEqual(bundle.environment, {
    runtime: { name: 'CPython', version: '3.13.5' }, os: { name: 'linux' }, arch: 'amd64', service: { name: 'checkout', version: '2.3.1' },
  });
  assert.deepEqual(bundle.repo, {
    url: 'https://github.com/acme/reports.git', name: 'acme/reports', repoSource: 'resource.vcs.repository.url.full',
    commitSha: SHA, commitSource: 'resource.vcs.ref.head.revision', release: '2.3.1',
  });
  assert.equal(bundle.incident.source, 'sentry');
  assert.equal(bundle.incident.title, 'Exception: This is an example Python exception');
});

test('the alert span id wins over exception events; without a trace the bundle still has the exception', async () => {
  const { spans, ids } = reportTrace();
  const pinned = await assemble({ alerts: [pythonAlert({ traceId: TRACE_ID, spanId: ids.cache })], spans });
  assert.equal(pinned.bundle.trace.selection, 'alert-span-id');
  assert.equal(pinned.bundle.trace.errorSpan?.spanId, ids.cache);

  const bare = await assemble({ alerts: [pythonAlert()] });
  assert.equal(bare.bundle.trace.selection, 'none');
  assert.equal(bare.bundle.trace.errorSpan, null);
  assert.equal(bare.bundle.exception.frames.length, 2);
});

test('Sentry issue-alert webhook (browser JS): library frames only, request from the alert', async () => {
  const { bundle } = await assemble({ alerts: [browserAlert()] });
  assert.equal(bundle.exception.type, 'ReferenceError');
  assert.equal(bundle.exception.message, 'heck is not defined');
  assert.deepEqual(bundle.exception.frames.map((f) => [f.file, f.line, f.column, f.inApp]), [
    ['<anonymous>', 3, 5, false],
    ['/js/prod/runner-4.1.7.min.js', 1, 13924, false],
    ['/js/prod/runner-4.1.7.min.js', 1, 10866, false],
  ]);
  // No in-app frame: the crash frame stands in for it.
  assert.equal(bundle.exception.topInAppFrame, 0);
  assert.equal(bundle.repro.request?.url, 'https://null.jsbin.com/runner');
  assert.match(bundle.repro.request?.userAgent ?? '', /^Mozilla\/5\.0/);
  assert.deepEqual(bundle.environment.os, { name: 'Mac OS X', version: '10.14.0' });
  assert.equal(bundle.environment.browser, 'Chrome 75.0.3770');
  assert.deepEqual(bundle.incident.links, ['https://sentry.io/organizations/test-org/issues/1117540176/events/e4874d664c3540c1a32eab185f12c5ab/']);
});

test('an OTLP-only alert (no frames) keeps the span stack as raw text; the deepest error span is found', async () => {
  const root = spanId();
  const mid = spanId();
  const leaf = spanId();
  const spans = [
    span({ spanId: root, statusCode: 2, name: 'GET /items' }),
    span({ spanId: mid, parentSpanId: root, statusCode: 2, name: 'items.load' }),
    span({
      spanId: leaf, parentSpanId: mid, statusCode: 2, name: 'items.parse',
      events: [{ name: 'log', timeUnixNano: ns(T0_MS), attributes: {} }],
      attributes: { 'exception.stacktrace': 'TypeError: x is undefined\n    at parse (src/items.js:3:7)' },
    }),
  ];
  const alert = pythonAlert({ source: 'otlp', traceId: TRACE_ID, frames: [], exceptions: [{ type: 'TypeError', message: 'x is undefined', frames: [], rawStack: 'TypeError: x is undefined\n    at parse (src/items.js:3:7)' }] });
  const { bundle } = await assemble({ alerts: [alert], spans });
  assert.equal(bundle.trace.selection, 'deepest-error');
  assert.equal(bundle.trace.errorSpan?.spanId, leaf);
  assert.equal(bundle.exception.frames.length, 0);
  assert.equal(bundle.exception.topInAppFrame, -1);
  assert.match(bundle.exception.rawStack ?? '', /at parse \(src\/items\.js:3:7\)/);
});
