// Grouping: variable data must not split an incident; a different crash site must.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Frame } from '../../../schemas/alert.ts';
import { fingerprint, normalizeFramePath, normalizeMessage, topInAppFrame } from '../../../src/evidence/fingerprint.ts';
import { parseSentryDelivery } from '../../../src/intake/sentry/parse-delivery.ts';
import { parseStackText } from '../../../src/evidence/stack-text.ts';
import { delivery, expectAlert, fixtureJson } from '../intake/support.ts';

describe('normalizeMessage', () => {
  const cases: [string, string][] = [
    ["Cannot read properties of undefined (reading 'price')", 'Cannot read properties of undefined (reading <str>)'],
    ['Order 8812 not found for user 42', 'Order <num> not found for user <num>'],
    ['timeout after 1500ms (attempt 3/5)', 'timeout after <num>ms (attempt <num>/<num>)'],
    ['price -12.50 is below minimum 0', 'price <num> is below minimum <num>'],
    ['Document 65f1c2a9e4b0d3f7a1c2b3d4 missing', 'Document <hex> missing'],
    ['<Session object at 0x7f3a9c2b1d60> is closed', '<Session object at <hex>> is closed'],
    ['no tenant 3f2b8c1e-9a4d-4e2f-b6c1-0d7e5a9f3b21', 'no tenant <uuid>'],
    ['GET https://api.example.com/v2/orders/991?expand=items failed', 'GET <url> failed'],
    ['invite for ada.lovelace+test@example.co.uk expired', 'invite for <email> expired'],
    ['KeyError: "user_42"', 'KeyError: <str>'],
    ['unknown column `created_at` in table', 'unknown column <str> in table'],
    ["can't find user's cart 'c_91'", "can't find user's cart <str>"],
    ['  line one\n\tline   two  ', 'line one line two'],
    ['utf8 user42 and v2 keep their digits', 'utf8 user42 and v2 keep their digits'],
    ['deadbeef is a word, cafe0042 is not', 'deadbeef is a word, <hex> is not'],
  ];
  for (const [input, expected] of cases) {
    it(JSON.stringify(input), () => assert.equal(normalizeMessage(input), expected));
  }
});

describe('topInAppFrame', () => {
  const app: Frame = { file: 'src/cart.js', function: 'total', inApp: true };
  const lib: Frame = { file: 'node_modules/x/index.js', function: 'run', inApp: false };
  const unknown: Frame = { file: 'src/util.js', function: 'helper' };
  it('is the last frame not marked as library code', () => {
    assert.equal(topInAppFrame([app, lib]), app);
    assert.equal(topInAppFrame([app, unknown, lib]), unknown);
  });
  it('falls back to the last frame, and is undefined without frames', () => {
    assert.equal(topInAppFrame([lib, { ...lib, function: 'inner' }])?.function, 'inner');
    assert.equal(topInAppFrame([]), undefined);
  });
});

describe('normalizeFramePath', () => {
  const cases: [Pick<Frame, 'file' | 'absPath'>, string][] = [
    [{ file: 'app/views.py', absPath: '/srv/www/app/views.py' }, 'app/views.py'],
    [{ file: './src/cart.js' }, 'src/cart.js'],
    [{ absPath: '/app/src/routes/cart.js' }, 'src/routes/cart.js'],
    [{ file: '/usr/src/app/src/routes/cart.js' }, 'src/routes/cart.js'],
    [{ file: 'file:///app/src/server.mjs' }, 'src/server.mjs'],
    [{ file: '/home/alice/projects/shop/src/cart.js' }, 'src/cart.js'],
    [{ file: 'C:\\builds\\shop\\src\\cart.js' }, 'src/cart.js'],
    [{ absPath: 'https://cdn.example.com/assets/app.min.js?v=3' }, 'assets/app.min.js'],
    [{ absPath: 'webpack:///./src/components/Cart.tsx' }, 'src/components/Cart.tsx'],
    [{ file: '/srv/app/.venv/lib/python3.12/site-packages/flask/app.py' }, 'site-packages/flask/app.py'],
    [{ file: '/app/node_modules/express/lib/router/layer.js' }, 'node_modules/express/lib/router/layer.js'],
    [{}, ''],
  ];
  for (const [frame, expected] of cases) {
    it(`${JSON.stringify(frame)} → ${expected || '(empty)'}`, () => assert.equal(normalizeFramePath(frame), expected));
  }
});

describe('fingerprint', () => {
  const stack = (user: number, order: string, root: string, fn = 'totalPrice') => `TypeError: Cannot read properties of undefined (reading '${order}') for user ${user}
    at ${fn} (${root}/src/routes/cart.js:${40 + user % 7}:30)
    at checkout (${root}/src/routes/cart.js:88:17)
    at Layer.handle [as handle_request] (${root}/node_modules/express/lib/router/layer.js:95:5)`;
  const alertOf = (text: string) => {
    const chain = parseStackText(text);
    const raised = chain.at(-1);
    assert.ok(raised);
    return { errorType: raised.type, message: raised.message, frames: raised.frames };
  };

  it('is a sha256 hex digest', () => {
    assert.match(fingerprint(alertOf(stack(1, 'price', '/app'))), /^[0-9a-f]{64}$/);
  });

  it('the same bug with other numbers, quoted values, line numbers and deploy roots hashes the same', () => {
    const a = fingerprint(alertOf(stack(17, 'price', '/app')));
    const b = fingerprint(alertOf(stack(90210, 'qty', '/usr/src/app')));
    assert.equal(a, b);
  });

  it('a different crash function, error type or message shape hashes differently', () => {
    const base = fingerprint(alertOf(stack(1, 'price', '/app')));
    assert.notEqual(fingerprint(alertOf(stack(1, 'price', '/app', 'subtotal'))), base);
    assert.notEqual(fingerprint({ ...alertOf(stack(1, 'price', '/app')), errorType: 'RangeError' }), base);
    assert.notEqual(fingerprint({ ...alertOf(stack(1, 'price', '/app')), message: 'Cannot read properties of null' }), base);
  });

  it('a Sentry issue alert and its full event fingerprint alike (metadata names the crash frame)', () => {
    const frame = { filename: 'app/cart.py', function: 'total', lineno: 12, in_app: true };
    const event = { metadata: { type: 'KeyError', value: "'sku_1'" }, exception: { values: [{ type: 'KeyError', value: "'sku_1'", stacktrace: { frames: [{ filename: 'app/main.py', function: 'main', lineno: 3, in_app: true }, frame] } }] } };
    const issue = { id: '77', title: "KeyError: 'sku_1'", metadata: { type: 'KeyError', value: "'sku_2'", filename: 'app/cart.py', function: 'total' } };
    const fromEvent = expectAlert(parseSentryDelivery(delivery({ action: 'triggered', data: { event } }, { 'sentry-hook-resource': 'event_alert' })));
    const fromIssue = expectAlert(parseSentryDelivery(delivery({ action: 'created', data: { issue } }, { 'sentry-hook-resource': 'issue' })));
    assert.equal(fingerprint(fromIssue), fingerprint(fromEvent));
  });

  it('fixture events of different bugs do not collide', () => {
    const one = expectAlert(parseSentryDelivery(delivery(fixtureJson('sentry/integration-error-created.json'), { 'sentry-hook-resource': 'error' })));
    const two = expectAlert(parseSentryDelivery(delivery(fixtureJson('sentry/integration-event-alert-triggered.json'), { 'sentry-hook-resource': 'event_alert' })));
    assert.notEqual(fingerprint(one), fingerprint(two));
  });
});

describe('normalizeMessage on hostile input', () => {
  it('a 200k-character word is masked in linear time', () => {
    const started = performance.now();
    assert.equal(normalizeMessage('a'.repeat(200_000)).length, 200_000);
    normalizeMessage(`${'x.'.repeat(100_000)}@`);
    assert.ok(performance.now() - started < 2000, `took ${performance.now() - started} ms`);
  });
});
