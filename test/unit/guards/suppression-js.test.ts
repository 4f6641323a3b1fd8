// The symptom-suppression guard on JS/TS patches: every suppression form is rejected with its
// reason; genuine fixes (a null guard for the null case only, optional chaining) are accepted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSuppression } from '../../../src/repair/guards/index.ts';

const FILE = 'src/cart.js';
const BEFORE = `/** Total of the cart's prices; 0 when there is no cart. */
function cartTotal(cart) {
  const items = cart.items;
  const total = items.reduce((sum, item) => sum + item.price, 0);
  return Math.round(total * 100) / 100;
}
module.exports = { cartTotal };
`;
// The incident: TypeError on line 3 (cart is undefined).
const CRASH = { file: FILE, line: 3, function: 'cartTotal' };

const check = (after: string, before = BEFORE, crashSite = CRASH) =>
  checkSuppression({ before: new Map([[FILE, before]]), after: new Map([[FILE, after]]), crashSite });

const body = (lines: string) => `/** Total of the cart's prices; 0 when there is no cart. */
function cartTotal(cart) {
${lines}
}
module.exports = { cartTotal };
`;

async function rejected(after: string, reason: RegExp): Promise<void> {
  const verdict = await check(after);
  assert.equal(verdict.suppressed, true, `accepted:\n${after}`);
  assert.match((verdict as { reason: string }).reason, reason);
}

test('rejects a try/catch around the crash site with an empty catch', async () => {
  await rejected(
    body(`  try {
    const items = cart.items;
    const total = items.reduce((sum, item) => sum + item.price, 0);
    return Math.round(total * 100) / 100;
  } catch (e) {}`),
    /wraps the crash site in cartTotal\(\) in a handler that swallows the error \(an empty catch/,
  );
});

test('rejects a catch that only logs, and one that only returns', async () => {
  await rejected(
    body(`  let items = [];
  try {
    items = cart.items;
  } catch (err) {
    console.error('cart failed', err);
  }
  const total = items.reduce((sum, item) => sum + item.price, 0);
  return Math.round(total * 100) / 100;`),
    /swallows the error \(only logs/,
  );
  await rejected(
    body(`  try {
    const items = cart.items;
    const total = items.reduce((sum, item) => sum + item.price, 0);
    return Math.round(total * 100) / 100;
  } catch {
    return 0;
  }`),
    /swallows the error \(only returns/,
  );
});

test('rejects a promise .catch that swallows the failing call', async () => {
  const before = `async function refresh(client, id) {
  const user = await client.fetchUser(id);
  return user.name;
}
`;
  const after = `async function refresh(client, id) {
  const user = await client.fetchUser(id).catch(() => {});
  return user?.name;
}
`;
  const verdict = await check(after, before, { file: FILE, line: 2, function: 'refresh' });
  assert.equal(verdict.suppressed, true);
  assert.match((verdict as { reason: string }).reason, /\.catch that is empty/);
});

test('rejects deleting the failing call', async () => {
  const before = `function cartTotal(cart) {
  const total = sumPrices(cart.items);
  return format(total);
}
`;
  const after = `function cartTotal(cart) {
  const total = 0;
  return format(total);
}
`;
  const verdict = await check(after, before, { file: FILE, line: 2, function: 'cartTotal' });
  assert.deepEqual(verdict, {
    suppressed: true,
    reason: 'deletes the failing call sumPrices() from the crash line of cartTotal() without a replacement',
  });
});

test('rejects an unconditional return at the start of the function', async () => {
  await rejected(
    body(`  return 0;
  const items = cart.items;
  const total = items.reduce((sum, item) => sum + item.price, 0);
  return Math.round(total * 100) / 100;`),
    /returns unconditionally at the start of cartTotal\(\): every input takes the early exit/,
  );
});

test('rejects guards whose condition holds for every input', async () => {
  for (const condition of ['true', 'cart == null || cart != null', '!false', 'typeof cart !== "object" || typeof cart === "object"', 'cart.items.length >= 0 || !cart']) {
    await rejected(
      body(`  if (${condition}) return 0;
  const items = cart.items;
  const total = items.reduce((sum, item) => sum + item.price, 0);
  return Math.round(total * 100) / 100;`),
      /adds a guard in cartTotal\(\) whose condition \(.+\) holds for every input/,
    );
  }
});

test('accepts a genuine null guard that returns the documented default only for the null case', async () => {
  const verdict = await check(
    body(`  if (cart == null) return 0;
  const items = cart.items;
  const total = items.reduce((sum, item) => sum + item.price, 0);
  return Math.round(total * 100) / 100;`),
  );
  assert.deepEqual(verdict, { suppressed: false });
});

test('accepts optional chaining with a default, and a patch that leaves the crash file alone', async () => {
  const verdict = await check(
    body(`  const items = cart?.items ?? [];
  const total = items.reduce((sum, item) => sum + item.price, 0);
  return Math.round(total * 100) / 100;`),
  );
  assert.deepEqual(verdict, { suppressed: false });
  assert.deepEqual(await check(BEFORE), { suppressed: false });
});

test('accepts a catch that handles the error (rethrows other errors, keeps the call)', async () => {
  const verdict = await check(
    body(`  let items;
  try {
    items = cart.items;
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    items = [];
  }
  const total = items.reduce((sum, item) => sum + item.price, 0);
  return Math.round(total * 100) / 100;`),
  );
  assert.deepEqual(verdict, { suppressed: false });
});

test('a TypeScript method is found by its class path', async () => {
  const before = `export class Cart {
  total(items: { price: number }[] | undefined): number {
    return items.reduce((s, i) => s + i.price, 0);
  }
}
`;
  const after = before.replace('    return items.reduce', '    return 0;\n    return items.reduce');
  const verdict = await checkSuppression({
    before: new Map([['src/cart.ts', before]]),
    after: new Map([['src/cart.ts', after]]),
    crashSite: { file: 'src/cart.ts', line: 3, function: 'Cart.total' },
  });
  assert.equal(verdict.suppressed, true);
  assert.match((verdict as { reason: string }).reason, /Cart\.total\(\)/);
});
