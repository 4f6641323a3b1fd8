// Correlation: which alert speaks, which span is the error, where it sits in its trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { correlate, pickAlert } from '../../../src/assemble/correlate.ts';
import { ns, pythonAlert, span, spanId, T0_MS, TRACE_ID } from './helpers.ts';

test('pickAlert: the latest alert with frames, else the latest', () => {
  const old = pythonAlert({ receivedAt: new Date(T0_MS).toISOString(), deliveryId: 'old' });
  const newer = pythonAlert({ receivedAt: new Date(T0_MS + 1000).toISOString(), deliveryId: 'newer' });
  const newestNoFrames = pythonAlert({ receivedAt: new Date(T0_MS + 2000).toISOString(), deliveryId: 'bare', frames: [], exceptions: [] });
  assert.equal(pickAlert([old, newestNoFrames, newer]).deliveryId, 'newer');
  assert.equal(pickAlert([newestNoFrames]).deliveryId, 'bare');
  assert.throws(() => pickAlert([]), /at least one alert/);
});

test('exception-event selection prefers a matching exception type, then the closest time', () => {
  const alert = pythonAlert({ traceId: TRACE_ID, errorType: 'ValueError', receivedAt: new Date(T0_MS).toISOString() });
  const exceptionAt = (id: string, ms: number, type: string) =>
    span({ spanId: id, statusCode: 2, events: [{ name: 'exception', timeUnixNano: ns(ms), attributes: { 'exception.type': type } }] });
  const close = spanId();
  const matching = spanId();
  const corr = correlate(alert, [exceptionAt(close, T0_MS, 'KeyError'), exceptionAt(matching, T0_MS - 60_000, 'ValueError')]);
  assert.equal(corr.selection, 'exception-event');
  assert.equal(corr.errorSpan?.spanId, matching);
});

test('deepest error span; ancestors stop at a missing parent; cycles do not hang', () => {
  const a = spanId();
  const b = spanId();
  const c = spanId();
  const missing = spanId();
  const alert = pythonAlert({ traceId: TRACE_ID });
  const spans = [
    span({ spanId: a, parentSpanId: missing, statusCode: 2 }),
    span({ spanId: b, parentSpanId: a, statusCode: 2 }),
    span({ spanId: c, parentSpanId: b, statusCode: 2 }),
    span({ spanId: spanId(), parentSpanId: c, startTimeUnixNano: ns(T0_MS + 5) }),
    span({ spanId: spanId(), parentSpanId: c, startTimeUnixNano: ns(T0_MS + 1) }),
  ];
  const corr = correlate(alert, spans);
  assert.equal(corr.selection, 'deepest-error');
  assert.equal(corr.errorSpan?.spanId, c);
  assert.deepEqual(corr.ancestors.map((s) => s.spanId), [a, b]);
  assert.equal(corr.rootMissing, true);
  assert.deepEqual(corr.children.map((s) => s.startTimeUnixNano), [ns(T0_MS + 1), ns(T0_MS + 5)]);

  const x = spanId();
  const y = spanId();
  const cyclic = correlate(alert, [span({ spanId: x, parentSpanId: y, statusCode: 2 }), span({ spanId: y, parentSpanId: x })]);
  assert.equal(cyclic.errorSpan?.spanId, x);
  assert.deepEqual(cyclic.ancestors.map((s) => s.spanId), [y]);
});

test('without an alert trace id, the error span picks the trace; other traces are ignored', () => {
  const alert = pythonAlert();
  const mine = spanId();
  const corr = correlate(alert, [
    span({ spanId: mine, statusCode: 2 }),
    span({ spanId: spanId(), parentSpanId: mine }),
    span({ spanId: spanId(), traceId: 'a'.repeat(32) }),
  ]);
  assert.equal(corr.traceId, TRACE_ID);
  assert.equal(corr.traceSpans.length, 2);
  assert.equal(correlate(alert, []).selection, 'none');
});
