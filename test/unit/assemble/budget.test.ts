// The token budget: a huge incident is cut below the limit in the documented order, the crash
// frame, the top in-app frame, the error span and the exception always stay, and `dropped` says
// what went. Counts stay consistent so the model knows how much it is not seeing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Frame } from '../../../schemas/alert.ts';
import { BudgetStep, type Bundle } from '../../../schemas/bundle.ts';
import type { LogRecord, SpanRecord } from '../../../schemas/telemetry.ts';
import { loadTokenizer } from '../../../src/assemble/tokens.ts';
import { assemble, log, ns, options, pythonAlert, span, spanId, T0_MS, TRACE_ID } from './helpers.ts';

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];

function hugeIncident() {
  const root = spanId();
  const path = [root];
  const spans: SpanRecord[] = [span({ spanId: root, kind: 2, name: 'POST /checkout', attributes: { 'http.request.method': 'POST', 'http.route': '/checkout', 'http.request.header.accept': ['*/*'] } })];
  for (let depth = 1; depth < 8; depth++) {
    const id = spanId();
    spans.push(span({ spanId: id, parentSpanId: path.at(-1), name: `layer.${depth}`, attributes: { 'code.function.name': `layer${depth}`, 'db.statement': 'SELECT 1'.repeat(20) } }));
    path.push(id);
  }
  const errorId = spanId();
  spans.push(span({
    spanId: errorId, parentSpanId: path.at(-1), name: 'cart.total', statusCode: 2,
    events: [{ name: 'exception', timeUnixNano: ns(T0_MS), attributes: { 'exception.type': 'TypeError', 'exception.message': 'price is undefined' } }],
  }));
  for (let i = 0; i < 2000; i++) {
    spans.push(span({
      spanId: spanId(), parentSpanId: i < 80 ? errorId : root, name: `${WORDS[i % 10]}.${Math.floor(i / 10) % 40}`,
      startTimeUnixNano: ns(T0_MS + (i % 100)), attributes: { 'http.route': `/r/${i}`, 'db.statement': `SELECT * FROM t${i}` },
    }));
  }
  const logs: LogRecord[] = [];
  for (let i = 0; i < 20_000; i++) {
    // 400 distinct templates, some near the error, most far from it.
    const body = `${WORDS[i % 10]} ${WORDS[Math.floor(i / 10) % 10]} ${WORDS[Math.floor(i / 100) % 4]} step ${i} done in ${i % 97}ms`;
    logs.push(log({ body, traceId: i % 2 ? TRACE_ID : undefined, timeUnixNano: ns(T0_MS + ((i * 7919) % 50_000) - 25_000) }));
  }
  const frames: Frame[] = Array.from({ length: 60 }, (_, i) => ({
    file: i % 2 ? `src/app/mod${i}.ts` : `node_modules/lib/l${i}.js`, function: `fn${i}`, line: i + 1, inApp: i % 2 === 1,
    contextLine: `  return compute${i}(input, options); // some long line of code ${'x'.repeat(60)}`,
    preContext: Array.from({ length: 5 }, (_, k) => `  const v${k} = await step${k}(input); // ${'y'.repeat(40)}`),
    postContext: Array.from({ length: 5 }, (_, k) => `  log.info({ v${k} }, 'done'); // ${'z'.repeat(40)}`),
    vars: { input: { items: Array.from({ length: 30 }, (_, k) => ({ id: k, price: k })) }, note: 'n'.repeat(400), i },
  }));
  const alert = pythonAlert({
    traceId: TRACE_ID,
    errorType: 'TypeError',
    message: 'price is undefined',
    frames,
    exceptions: [
      { type: 'KeyError', message: 'price', frames: frames.slice(0, 20) },
      { type: 'TypeError', message: 'price is undefined', frames },
    ],
    request: { method: 'POST', url: 'https://shop.example.com/checkout', headers: { accept: '*/*', 'x-trace': 'a'.repeat(500) }, data: { items: Array.from({ length: 200 }, (_, k) => ({ sku: `SKU-${k}`, qty: k })) } },
  });
  return { alert, spans, logs, errorId, crash: frames.at(-1) as Frame, topInApp: frames.at(-1) as Frame };
}

function checkAccounting(bundle: Bundle, totalFrames: number) {
  const trace = bundle.trace;
  const shown = (trace.errorSpan ? 1 : 0) + trace.ancestors.length + trace.children.length;
  const grouped = trace.summary.groups.reduce((n, g) => n + g.count, 0);
  assert.equal(shown + grouped + trace.summary.spansOmitted, trace.summary.totalSpans, 'every span shown, grouped or counted as omitted');
  const logs = bundle.logs;
  assert.equal(logs.entries.reduce((n, e) => n + e.count, 0) + logs.recordsOmitted, logs.traceRecords + logs.windowRecords, 'every record counted');
  assert.equal(bundle.exception.frames.length + bundle.exception.framesOmitted, totalFrames, 'every frame counted');
  for (const input of bundle.repro.inputs) assert.ok(bundle.exception.frames[input.frameIndex]?.locals, 'inputs point at frames with locals');
}

test('a huge incident is cut below the budget; the crash site, the error span and the exception stay', async () => {
  const incident = hugeIncident();
  const limit = 4000;
  const { bundle, canonicalJson } = await assemble({ alerts: [incident.alert], spans: incident.spans, logs: incident.logs, options: options({ tokenBudget: limit }) });
  const budget = bundle.budget;
  const count = await loadTokenizer('o200k_base');
  assert.equal(count(canonicalJson), budget.tokensAfter, 'tokensAfter is the exact count of the stored JSON');
  assert.ok(budget.tokensAfter <= limit, `${budget.tokensAfter} > ${limit}`);
  assert.ok(budget.tokensBefore > limit * 3);
  assert.equal(budget.overBudget, false);
  assert.equal(budget.tokenizer, 'o200k_base');

  // What stays.
  const ex = bundle.exception;
  assert.equal(ex.type, 'TypeError');
  assert.equal(ex.message, 'price is undefined');
  assert.equal(ex.frames[0]?.function, incident.crash.function, 'crash frame');
  assert.ok(ex.frames[0]?.locals, 'crash frame keeps its locals');
  assert.ok(ex.frames[0]?.contextLine, 'and its context');
  assert.equal(ex.frames[ex.topInAppFrame]?.function, incident.topInApp.function);
  assert.equal(bundle.trace.errorSpan?.spanId, incident.errorId);
  assert.equal(bundle.trace.errorSpan?.events[0]?.attributes['exception.type'], 'TypeError');

  // What went, in BudgetStep order, each step once.
  const steps = budget.dropped.map((d) => d.step);
  assert.ok(steps.length >= 5, JSON.stringify(budget.dropped));
  assert.deepEqual(steps, BudgetStep.options.filter((s) => steps.includes(s)));
  assert.equal(steps[0], 'window-log-templates');
  for (const d of budget.dropped) assert.ok(d.items > 0 && d.tokens > 0);
  checkAccounting(bundle, 60);
});

test('the same huge incident with the default budget drops less, and still every count adds up', async () => {
  const incident = hugeIncident();
  const { bundle } = await assemble({ alerts: [incident.alert], spans: incident.spans, logs: incident.logs });
  assert.ok(bundle.budget.tokensAfter <= 12_000);
  assert.ok(bundle.exception.frames.filter((f) => f.inApp).length === 30, 'every in-app frame kept at 12k');
  checkAccounting(bundle, 60);
});

test('when even the protected evidence does not fit, overBudget says so and nothing protected is lost', async () => {
  const alert = pythonAlert({ message: 'word '.repeat(1600), exceptions: [] });
  const { bundle } = await assemble({ alerts: [alert], options: options({ tokenBudget: 500 }) });
  assert.equal(bundle.budget.overBudget, true);
  assert.ok(bundle.budget.tokensAfter > 500);
  assert.equal(bundle.exception.message.length, 8000);
  assert.equal(bundle.exception.frames[0]?.function, 'main');
});

test('a small incident is not touched: before = after, nothing dropped', async () => {
  const { bundle } = await assemble({ alerts: [pythonAlert()] });
  assert.equal(bundle.budget.tokensBefore, bundle.budget.tokensAfter);
  assert.deepEqual(bundle.budget.dropped, []);
});
