// Which frame gets a test, with which arguments, and why the others do not. Runs nothing of the
// fixture repositories: JS modules are parsed in-process; Python's are read by a python3 `ast`
// process (host helper sandbox over the fixture directory, read-only).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/types.ts';
import { synthesizeCandidates, type FramePlan } from '../../../src/reproduce/synthesize/index.ts';
import { routeParams } from '../../../src/reproduce/synthesize/inputs.ts';
import { listWorkspaceFiles } from '../../../src/reproduce/workspace-paths.ts';
import { createHostSandbox } from '../../helpers/host-sandbox.ts';
import { fixtureBundle, repoConfig, REPRO_REPOS, sentryFileBundle, sentryFrames } from './helpers.ts';

/** Reads files of a directory; runs nothing. */
function readOnlySandbox(dir: string): Sandbox {
  return {
    id: 'read-only',
    driver: 'local',
    exec: async () => {
      throw new Error('exec is not available in this test');
    },
    readFile: (rel) => readFile(path.join(dir, rel), 'utf8'),
    writeFile: async () => {
      throw new Error('read-only');
    },
    diff: async () => '',
    destroy: async () => undefined,
  };
}

const JS_GLOBS = ['**/*.test.{js,ts}', '**/test/**/*.{js,ts}'];

async function plans(name: string, edit?: Parameters<typeof fixtureBundle>[1]): Promise<FramePlan[]> {
  const python = name.startsWith('py-');
  const bundle = await fixtureBundle(name, edit);
  // The host helper keeps a HOME beside its directory: give it a copy, not the fixture.
  const dir = python ? await mkdtemp(path.join(os.tmpdir(), 'tracefix-synth-')) : path.join(REPRO_REPOS, name);
  if (python) await cp(path.join(REPRO_REPOS, name), path.join(dir, 'repo'), { recursive: true });
  const root = python ? path.join(dir, 'repo') : dir;
  try {
    return await synthesizeCandidates({
      bundle,
      sandbox: python ? createHostSandbox(root, { env: { PYTHONDONTWRITEBYTECODE: '1', PATH: `/usr/bin:/bin:${process.env['PATH'] ?? ''}` } }) : readOnlySandbox(root),
      config: python ? repoConfig('pytest', ['**/test_*.py']) : repoConfig('node-test', JS_GLOBS),
      workspaceFiles: (await listWorkspaceFiles(root)).filter((f) => !f.startsWith('incident')),
    });
  } finally {
    if (python) await rm(dir, { recursive: true, force: true });
  }
}

const summary = (p: FramePlan) => (p.kind === 'test' ? `test ${p.frame.function}: ${p.arguments.map((a) => `${a.name}←${a.source}`).join(', ')}` : `skip ${p.frame.function}: ${p.reason}`);

describe('synthesizeCandidates (JS)', () => {
  it('plans the crash frame first and walks out through the callers', async () => {
    const out = await plans('js-cart');
    assert.deepEqual(out.map(summary), [
      'test applyCoupon: total←locals, code←locals',
      'test checkout: cart←locals',
      'test handleCheckout: req←request, res←stub',
    ]);
    const first = out[0];
    assert.equal(first?.kind === 'test' && first.testFile, 'test/tracefix-7f3a9c21.test.js');
    assert.equal(first?.kind === 'test' && first.testId, 'test/tracefix-7f3a9c21.test.js::tracefix incident 7f3a9c21: applyCoupon as called in production');
    // The Node SDK dropped cart.items (nested); the request body agrees with the rest and has them.
    const checkout = out[1];
    assert.ok(checkout?.kind === 'test');
    assert.match(checkout.content, /const cart = \{\n {4}couponCode: 'SPRING24',\n {4}items: \[/);
    assert.match(checkout.arguments[0]?.detail ?? '', /taken from the request body/);
  });

  it("hands a handler a response stand-in with node:http's ServerResponse methods", async () => {
    const handler = (await plans('js-cart')).find((p) => p.frame.function === 'handleCheckout');
    assert.ok(handler?.kind === 'test');
    assert.deepEqual(handler.arguments[1], { name: 'res', source: 'stub', detail: 'a response stand-in (node:http ServerResponse and Express/Fastify methods)' });
    const expr = /^ {2}const res = ([\s\S]*?);\n {2}await /m.exec(handler.content)?.[1];
    assert.ok(expr, handler.content);
    const res = new Function(`return ${expr};`)();
    // What a plain node:http handler does: headers, writeHead (chainable), end.
    assert.equal(res.setHeader('Content-Type', 'application/json').getHeader('content-type'), 'application/json');
    assert.equal(res.writeHead(500).end('{}'), res);
    assert.deepEqual([res.statusCode, res.headersSent, res.writableEnded], [500, true, true]);
    assert.equal(res.status(201).json({ total: 1 }), res);
  });

  it('says why a frame cannot be called', async () => {
    const out = await plans('js-cart', (event) => {
      const frames = sentryFrames(event);
      const crash = frames.at(-1) as Record<string, any>;
      crash['vars'] = { total: 40, coupon: '<undefined>' }; // no `code`
      frames.splice(1, 0, { filename: '/app/src/vendor/legacy.js', abs_path: '/app/src/vendor/legacy.js', function: 'legacy', lineno: 3, in_app: true });
    });
    assert.deepEqual(out.map(summary).slice(0, 2), [
      'skip applyCoupon: applyCoupon: no value for parameter code: no local, request field or span attribute has it',
      'test checkout: cart←locals',
    ]);
    assert.ok(out.some((p) => p.kind === 'skipped' && p.reason === 'src/vendor/legacy.js is not a file of the workspace'));
  });

  it('takes a missing argument from the caller when the crash frame has no locals', async () => {
    const out = await plans('ts-invoices');
    assert.deepEqual(out.map(summary), ['test formatDueDate: invoice←caller-locals', 'test summarize: invoice←locals']);
    const first = out[0];
    assert.ok(first?.kind === 'test');
    assert.equal(first.testFile, 'test/tracefix-2b81d04c.test.ts');
    assert.match(first.content, /import \{ formatDueDate \} from '\.\.\/src\/dates\.ts';/);
  });
});

describe('destructured parameters (examples/invoices-ts)', () => {
  const dir = path.resolve(import.meta.dirname, '../../../examples/invoices-ts');
  const example = async (edit?: (event: Record<string, any>) => void) => {
    const bundle = await sentryFileBundle(path.join(dir, 'incidents/overpaid-progress-bar/sentry.json'), 'inc_9d0e1f2a3b', edit);
    const workspaceFiles = (await listWorkspaceFiles(dir)).filter((f) => !f.startsWith('incidents/'));
    const out = await synthesizeCandidates({ bundle, sandbox: readOnlySandbox(dir), config: repoConfig('node-test', ['test/**/*.test.ts']), workspaceFiles });
    const plan = out.find((p) => p.kind === 'test' && p.frame.function === 'renderStatement');
    assert.ok(plan?.kind === 'test', JSON.stringify(out.map(summary)));
    return plan;
  };

  it('credits each key to where its value came from: the event has no locals, the request body has them all', async () => {
    const plan = await example();
    assert.deepEqual(plan.arguments, ['id', 'customer', 'currency', 'lines', 'payments'].map((k) => ({ name: `{${k}}`, source: 'request', detail: `request body field "${k}"` })));
    assert.match(plan.content, /const options: any = \{\n {4}id: 'INV-2207',/);
  });

  it('mixes sources key by key, and records a key nothing held as left out', async () => {
    const plan = await example((event) => {
      const frame = sentryFrames(event).find((f) => f['function'] === 'renderStatement') as Record<string, any>;
      frame['vars'] = { id: 'INV-2207', currency: 'EUR' };
      delete event['request'].data.customer;
    });
    const frame = plan.frame.index;
    assert.deepEqual(
      plan.arguments.map((a) => `${a.name}←${a.source}: ${a.detail}`),
      [
        `{id}←locals: frame ${frame} local "id"`,
        '{customer}←default: nothing recorded it: left out of the object',
        `{currency}←locals: frame ${frame} local "currency"`,
        '{lines}←request: request body field "lines"',
        '{payments}←request: request body field "payments"',
      ],
    );
    assert.doesNotMatch(plan.content, /customer/);
  });

  it("takes the Node SDK's arrays of nulls back from the request body's arrays named like them", async () => {
    const plan = await example((event) => {
      const frame = sentryFrames(event).find((f) => f['function'] === 'renderStatement') as Record<string, any>;
      // What LocalVariables sends for this frame: arrays of objects as one null per item. Two
      // lines make both arrays the same length: only the names tell them apart.
      event['request'].data.lines.push({ description: 'Travel', quantity: 1, unitPrice: 0 });
      frame['vars'] = { id: 'INV-2207', customer: 'Umbrella Corp', currency: 'EUR', lines: [null, null], payments: [null, null], total: 600, paid: 660, percent: 110 };
    });
    const filled = ' (parts the SDK or the depth limit cut taken from the request body)';
    assert.deepEqual(
      plan.arguments.filter((a) => a.name === '{lines}' || a.name === '{payments}').map((a) => `${a.name}←${a.source}: ${a.detail}`),
      [`{lines}←locals: frame ${plan.frame.index} local "lines"${filled}`, `{payments}←locals: frame ${plan.frame.index} local "payments"${filled}`],
    );
    assert.match(plan.content, /lines: \[\n? *\{ description: 'Consulting, April', quantity: 4, unitPrice: 150 \},\n? *\{ description: 'Travel'/);
    assert.match(plan.content, /payments: \[\{ amount: 600, date: '2026-05-02' \}, \{ amount: 60, date: '2026-05-03' \}\]/);
  });
});

const hasPython = (() => {
  try {
    execFileSync('python3', ['-c', 'import ast'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('synthesizeCandidates (Python)', { skip: hasPython ? false : 'python3 is not installed' }, () => {
  it('plans line_total(line) with the repr locals, then the callers with depth cuts filled from the request', async () => {
    const out = await plans('py-orders');
    assert.deepEqual(out.map(summary), ['test line_total: line←locals', 'test order_total: order←locals', 'test create_order: payload←locals']);
    const first = out[0];
    assert.ok(first?.kind === 'test');
    assert.equal(first.testFile, 'tests/test_tracefix_c4e59a11.py');
    assert.equal(first.testId, 'tests/test_tracefix_c4e59a11.py::test_tracefix_c4e59a11');
    assert.match(first.content, /^from app\.orders import line_total$/m);
    assert.match(first.content, /^ {4}line = \{'sku': 'LEGACY-9', 'unit_price': 4\.25, 'qty': 3\}$/m);
    const second = out[1];
    assert.ok(second?.kind === 'test');
    // The bundle is canonical JSON: dict keys come back sorted.
    assert.match(second.content, /'lines': \[\{'price': 9\.5, 'qty': 2, 'sku': 'A-1'\}, \{'qty': 3, 'sku': 'LEGACY-9', 'unit_price': 4\.25\}\]/);
  });

  it('skips what cannot be rebuilt: an object repr, a generator frame', async () => {
    const out = await plans('py-orders', (event) => {
      const frames = sentryFrames(event);
      (frames.at(-1) as Record<string, any>)['vars'] = { line: '<app.models.Line object at 0x7f3a2c1b9d10>' };
      // The caller's `line` too, or the planner would take it from there.
      (frames.at(-2) as Record<string, any>)['vars']['line'] = '<app.models.Line object at 0x7f3a2c1b9d10>';
      frames.push({ filename: 'app/orders.py', abs_path: '/srv/app/app/orders.py', function: '<genexpr>', lineno: 5, in_app: true, vars: { '.0': '<list_iterator object at 0x7f>' } });
    });
    assert.deepEqual(out.map(summary).slice(0, 2), [
      'skip <genexpr>: <genexpr> is not a callable function',
      'skip line_total: line_total: no value for parameter line (line: an object repr (<app.models.Line object at 0x7f3a2c1b9d10>) cannot be rebuilt)',
    ]);
    assert.equal(out[2]?.kind, 'test');
  });
});

describe('inputs from spans and the route', () => {
  it('takes a parameter nobody recorded as a local from a span attribute on the error path', async () => {
    const dir = path.join(REPRO_REPOS, 'ts-invoices');
    const bundle = await fixtureBundle('ts-invoices', (event) => {
      for (const f of sentryFrames(event)) delete f['vars'];
    });
    bundle.trace.errorSpan = {
      spanId: 'b7ad6b7169203331',
      name: 'GET /invoices/:id/summary',
      kind: 'server',
      start: '2025-07-01T12:03:00.000Z',
      durationMs: 12,
      status: 'error',
      attributes: { 'app.invoice': '{"id":"INV-1042","customer":"Globex","dueDate":"31/12/2025"}' },
      attributesOmitted: 0,
      events: [],
    };
    const out = await synthesizeCandidates({ bundle, sandbox: readOnlySandbox(dir), config: repoConfig('node-test', JS_GLOBS), workspaceFiles: await listWorkspaceFiles(dir) });
    const first = out[0];
    assert.ok(first?.kind === 'test');
    assert.deepEqual(first.arguments, [{ name: 'invoice', source: 'span', detail: 'span "GET /invoices/:id/summary" attribute app.invoice' }]);
    assert.match(first.content, /const invoice: any = \{ id: 'INV-1042', customer: 'Globex', dueDate: '31\/12\/2025' \};/);
  });

  it('reads route parameters against the path', () => {
    assert.deepEqual(routeParams('/orders/:orderId/lines/{line}', '/orders/o-42/lines/3'), { orderId: 'o-42', line: '3' });
    assert.deepEqual(routeParams('/orders/<int:order_id>', '/orders/7'), { order_id: '7' });
    assert.deepEqual(routeParams('/orders/:id', '/users/7'), {});
  });
});
