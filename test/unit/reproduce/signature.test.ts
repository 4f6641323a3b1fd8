import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeSignature, matchSignature, sameFunction, signatureFromBundle, type Observation } from '../../../src/reproduce/signature.ts';
import { mapToWorkspace, pathSegments, samePath } from '../../../src/reproduce/workspace-paths.ts';
import { fixtureBundle, sentryFrames } from './helpers.ts';

const FILES = ['package.json', 'src/cart.js', 'src/coupons.js', 'src/server.js', 'lib/cart.js', 'test/cart.test.js', 'index.js', 'src/index.js', 'app/orders.py', 'app/api.py', 'app/__init__.py'];

describe('mapToWorkspace', () => {
  it('maps container paths by their longest matching suffix', () => {
    assert.equal(mapToWorkspace('/app/src/cart.js', FILES), 'src/cart.js');
    assert.equal(mapToWorkspace('/usr/src/app/lib/cart.js', FILES), 'lib/cart.js');
    assert.equal(mapToWorkspace('/srv/app/app/orders.py', FILES), 'app/orders.py');
    assert.equal(mapToWorkspace('/home/runner/work/shop/shop/src/coupons.js', FILES), 'src/coupons.js');
  });

  it('understands file://, webpack and app:// URLs and Windows paths', () => {
    assert.equal(mapToWorkspace('file:///srv/app/app/orders.py', FILES), 'app/orders.py');
    assert.equal(mapToWorkspace('file:///app/src/server.js?v=3#x', FILES), 'src/server.js');
    assert.equal(mapToWorkspace('webpack:///./src/cart.js', FILES), 'src/cart.js');
    assert.equal(mapToWorkspace('webpack://shop-ui/./src/coupons.js', FILES), 'src/coupons.js');
    assert.equal(mapToWorkspace('app:///src/server.js', FILES), 'src/server.js');
    assert.equal(mapToWorkspace('C:\\build\\shop\\src\\cart.js', FILES), 'src/cart.js');
    assert.equal(mapToWorkspace('app/orders.py', FILES), 'app/orders.py');
  });

  it('prefers the file the path covers whole, and refuses to guess between equals', () => {
    // Only the basename matches both: the root file is the one /app/index.js names.
    assert.equal(mapToWorkspace('/app/index.js', FILES), 'index.js');
    assert.equal(mapToWorkspace('/app/src/index.js', FILES), 'src/index.js');
    assert.equal(mapToWorkspace('/app/x/cart.js', ['lib/cart.js', 'src/cart.js']), undefined);
    assert.equal(mapToWorkspace('/app/x/cart.js', ['src/cart.js', 'lib/cart.js']), undefined);
    // One file of that name: compiled output (dist/) still finds its source directory's file.
    assert.equal(mapToWorkspace('/app/dist/coupons.js', FILES), 'src/coupons.js');
  });

  it('never maps library code or unknown files', () => {
    assert.equal(mapToWorkspace('/app/node_modules/express/index.js', FILES), undefined);
    assert.equal(mapToWorkspace('/srv/app/.venv/lib/python3.12/site-packages/flask/app.py', FILES), undefined);
    assert.equal(mapToWorkspace('/app/src/payments.js', FILES), undefined);
    assert.equal(mapToWorkspace('', FILES), undefined);
    assert.equal(mapToWorkspace('<anonymous>', FILES), undefined);
  });

  it('splits and compares paths by segment', () => {
    assert.deepEqual(pathSegments('file:///a/./b/c.js'), ['a', 'b', 'c.js']);
    assert.ok(samePath('src/cart.js', '/workspace/src/cart.js'));
    assert.ok(!samePath('src/cart.js', 'lib/xsrc/cart.js'));
    assert.ok(!samePath('src/cart.js', 'src/coupons.js'));
  });
});

describe('signatureFromBundle', () => {
  it('takes type, masked message and the top in-app frame mapped into the workspace', async () => {
    const bundle = await fixtureBundle('js-cart');
    const sig = signatureFromBundle(bundle, FILES);
    assert.deepEqual(sig, {
      type: 'TypeError',
      message: "Cannot read properties of undefined (reading 'rate')",
      normalizedMessage: 'Cannot read properties of undefined (reading <str>)',
      frame: { file: 'src/cart.js', function: 'applyCoupon', line: 15 },
    });
  });

  it('skips library frames above the crash (Date.toISOString) for the in-app one', async () => {
    const bundle = await fixtureBundle('ts-invoices');
    const sig = signatureFromBundle(bundle, ['src/dates.ts', 'src/invoice.ts']);
    assert.equal(sig.type, 'RangeError');
    assert.deepEqual(sig.frame, { file: 'src/dates.ts', function: 'formatDueDate', line: 5 });
  });

  it('keeps Python types unqualified and maps /srv/app paths', async () => {
    const bundle = await fixtureBundle('py-orders');
    const sig = signatureFromBundle(bundle, FILES);
    assert.equal(sig.type, 'KeyError');
    assert.equal(sig.normalizedMessage, '<str>');
    assert.deepEqual(sig.frame, { file: 'app/orders.py', function: 'line_total', line: 5 });
  });

  it('falls back to the normalized production path when the file is not in the workspace', async () => {
    const bundle = await fixtureBundle('js-cart', (event) => {
      for (const f of sentryFrames(event)) if (f['filename'] === '/app/src/cart.js') f['filename'] = f['abs_path'] = '/app/src/legacy/cart.js';
    });
    assert.deepEqual(signatureFromBundle(bundle, FILES).frame, { file: 'src/legacy/cart.js', function: 'applyCoupon', line: 15 });
  });
});

describe('matchSignature', () => {
  const expected = makeSignature({
    type: 'TypeError',
    message: "Cannot read properties of undefined (reading 'rate')",
    frame: { file: 'src/cart.js', function: 'applyCoupon', line: 15 },
  });
  const failed = (over: Partial<Extract<Observation, { kind: 'failed' }>> = {}): Observation => ({
    kind: 'failed',
    type: 'TypeError',
    message: "Cannot read properties of undefined (reading 'rate')",
    frame: { file: 'src/cart.js', function: 'applyCoupon', line: 17 },
    ...over,
  });

  it('matches the same failure, whatever the line and the quoted literal', () => {
    assert.deepEqual(matchSignature(expected, failed()), { match: true });
    assert.deepEqual(matchSignature(expected, failed({ message: "Cannot read properties of undefined (reading 'discount')" })), { match: true });
    assert.deepEqual(matchSignature(expected, failed({ frame: { file: 'src/cart.js', function: 'Object.applyCoupon' } })), { match: true });
  });

  it('names every way a run can differ', () => {
    const reason = (o: Observation) => {
      const m = matchSignature(expected, o);
      assert.equal(m.match, false);
      return m.match ? '' : m.reason;
    };
    assert.equal(reason({ kind: 'passed' }), 'test passed');
    assert.equal(reason({ kind: 'skipped' }), 'test skipped');
    assert.equal(reason({ kind: 'timeout', detail: 'the test command timed out after 120s' }), 'timeout: the test command timed out after 120s');
    assert.equal(reason({ kind: 'missing', detail: 'the report has no test x' }), 'test did not run: the report has no test x');
    assert.equal(reason({ kind: 'import-error', type: 'Error', message: "Cannot find module '../src/cart.js'" }), "import error: Error: Cannot find module '../src/cart.js'");
    assert.equal(reason(failed({ type: 'RangeError' })), 'different exception RangeError vs TypeError in production');
    assert.equal(reason(failed({ type: undefined })), 'different exception unknown error vs TypeError in production');
    assert.match(reason(failed({ message: "Cannot read properties of null (reading 'rate')" })), /^message differs: got "Cannot read properties of null \(reading <str>\)", production "Cannot read properties of undefined \(reading <str>\)"$/);
    assert.equal(reason(failed({ frame: { file: 'src/cart.js', function: 'subtotal' } })), 'crash frame differs: got src/cart.js:subtotal, production src/cart.js:applyCoupon');
    assert.equal(reason(failed({ frame: { file: 'src/coupons.js', function: 'applyCoupon' } })), 'crash frame differs: got src/coupons.js:applyCoupon, production src/cart.js:applyCoupon');
    assert.equal(reason(failed({ frame: null })), 'crash frame differs: got no in-app frame, production src/cart.js:applyCoupon');
  });

  it('masks numbers, ids and quoted literals before comparing messages', () => {
    const sig = makeSignature({ type: 'ValueError', message: 'order 8841 for user 5f2b1c9a0e: bad qty "x" at 0x7f3a', frame: null });
    assert.deepEqual(matchSignature(sig, { kind: 'failed', type: 'ValueError', message: 'order 12 for user 0a1b2c3d4e5f: bad qty "yy" at 0x1', frame: null }), { match: true });
    assert.equal(matchSignature(sig, { kind: 'failed', type: 'ValueError', message: 'order 12 missing', frame: null }).match, false);
  });

  it('compares a message Sentry cut by its kept prefix', () => {
    const sig = makeSignature({ type: 'Error', message: 'upstream said: 503 Service Unavailable…[+900 chars]', frame: null });
    assert.deepEqual(matchSignature(sig, { kind: 'failed', type: 'Error', message: `upstream said: 503 Service Unavailable ${'x'.repeat(900)}`, frame: null }), { match: true });
  });

  it('accepts an import error when production raised the same one', () => {
    const sig = makeSignature({ type: 'ModuleNotFoundError', message: "No module named 'yaml'", frame: { file: 'app/config.py', function: '<module>' } });
    assert.deepEqual(matchSignature(sig, { kind: 'import-error', type: 'ModuleNotFoundError', message: "No module named 'yaml'" }), { match: true });
  });

  it("identifies the crash frame by the function around its line when the printed name is not the function's", () => {
    // jest's source-mapped stack: `at rate (src/cart.js:15:33)` inside applyCoupon.
    const jest = failed({ frame: { file: 'src/cart.js', function: 'rate', line: 15 } });
    const functionAt = (file: string, line: number) => (file === 'src/cart.js' && line >= 13 && line <= 16 ? 'applyCoupon' : 'checkout');
    assert.deepEqual(matchSignature(expected, jest, { functionAt }), { match: true });
    assert.equal(matchSignature(expected, jest).match, false);
    const elsewhere = failed({ frame: { file: 'src/cart.js', function: 'rate', line: 21 } });
    assert.deepEqual(matchSignature(expected, elsewhere, { functionAt }), { match: false, reason: 'crash frame differs: got src/cart.js:rate (in checkout), production src/cart.js:applyCoupon' });
  });

  it('compares function names by their own name, not the receiver V8 or a qualname adds', () => {
    assert.ok(sameFunction('applyCoupon', 'Object.applyCoupon'));
    assert.ok(sameFunction('Cart.total', 'total'));
    assert.ok(sameFunction('async handler', 'handler'));
    assert.ok(sameFunction('exports.total', 'total'));
    assert.ok(!sameFunction('total', 'subtotal'));
    assert.ok(!sameFunction('<anonymous>', 'Object.<anonymous>'));
  });
});
