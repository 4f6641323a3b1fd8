// JS/TS mutation templates: boundary/off-by-one, operator swaps, same-type variable replacement,
// missing await. Each on a small realistic bug, run with Node after patching.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertDiffApplies, candidatesAt, changedLines, patched, pick, runJs } from './helpers.ts';

test('off-by-one: `<` → `<=` for an inclusive bound', async () => {
  const src = `/** Whether n is within the inclusive range [min, max]. */
function inRange(n, min, max) {
  return n >= min && n < max;
}
`;
  assert.equal(runJs(src, 'inRange(10, 0, 10)'), false);
  const c = pick(await candidatesAt('src/range.js', src, [3]), 'off-by-one', /^< → <=/);
  assert.deepEqual(changedLines(c.diff), { removed: ['  return n >= min && n < max;'], added: ['  return n >= min && n <= max;'] });
  assertDiffApplies(c, src);
  assert.equal(runJs(patched(c), 'inRange(10, 0, 10)'), true);
  assert.equal(runJs(patched(c), 'inRange(11, 0, 10)'), false);
});

test('off-by-one: a stray `- 1` on a slice bound is dropped', async () => {
  const src = `function lastItems(items, count) {
  return items.slice(items.length - count - 1);
}
`;
  assert.deepEqual(runJs(src, 'lastItems([1, 2, 3, 4], 2)'), [2, 3, 4]);
  const c = pick(await candidatesAt('src/last.js', src, [2]), 'off-by-one', /drop the - 1/);
  assert.deepEqual(changedLines(c.diff).added, ['  return items.slice(items.length - count);']);
  assertDiffApplies(c, src);
  assert.deepEqual(runJs(patched(c), 'lastItems([1, 2, 3, 4], 2)'), [3, 4]);
});

test('operator-swap: `||` → `&&`', async () => {
  const src = `function canCheckout(user, cart) {
  return user.verified || cart.items.length > 0;
}
`;
  assert.equal(runJs(src, 'canCheckout({ verified: true }, { items: [] })'), true);
  const c = pick(await candidatesAt('src/checkout.js', src, [2]), 'operator-swap', /^\|\| → &&/);
  assert.deepEqual(changedLines(c.diff).added, ['  return user.verified && cart.items.length > 0;']);
  assertDiffApplies(c, src);
  assert.equal(runJs(patched(c), 'canCheckout({ verified: true }, { items: [] })'), false);
  assert.equal(runJs(patched(c), 'canCheckout({ verified: true }, { items: [1] })'), true);
});

test('operator-swap: `===` → `!==`', async () => {
  const src = `function visibleItems(items) {
  return items.filter((item) => item.status === 'hidden');
}
`;
  const c = pick(await candidatesAt('src/visible.js', src, [2]), 'operator-swap', /^=== → !==/);
  assertDiffApplies(c, src);
  assert.deepEqual(runJs(patched(c), "visibleItems([{ status: 'hidden' }, { status: 'shown' }])"), [{ status: 'shown' }]);
});

test('variable-replace: a TS variable is replaced by another of the same declared type only', async () => {
  const src = `function averageSpeed(distanceKm: number, hours: number, label: string, minutes: number): number {
  return distanceKm / minutes;
}
`;
  const cands = await candidatesAt('src/speed.ts', src, [2], 'typescript');
  const replaced = cands.filter((c) => c.template === 'variable-replace').map((c) => c.description);
  assert.ok(replaced.some((d) => d.startsWith('minutes → hours')));
  assert.ok(!replaced.some((d) => /→ label/.test(d)), `a string stood in for a number: ${replaced.join(', ')}`);
  const c = pick(cands, 'variable-replace', /^minutes → hours/);
  assert.deepEqual(changedLines(c.diff).added, ['  return distanceKm / hours;']);
  assertDiffApplies(c, src);
  assert.equal(runJs(patched(c), "averageSpeed(100, 2, 'x', 120)", 'ts'), 50);
});

test('missing-await: a Promise used as a value inside an async function', async () => {
  const src = `async function loadUser(id) {
  return { id, name: 'Ada' };
}

async function greeting(id) {
  const user = loadUser(id);
  return \`Hello, \${user.name}\`;
}
`;
  assert.equal(runJs(src, 'greeting(1)'), 'Hello, undefined');
  const c = pick(await candidatesAt('src/greet.js', src, [6]), 'missing-await', /await loadUser\(id\)/);
  assert.deepEqual(changedLines(c.diff).added, ['  const user = await loadUser(id);']);
  assertDiffApplies(c, src);
  assert.equal(runJs(patched(c), 'greeting(1)'), 'Hello, Ada');
});

test('missing-await: `(await f()).x` when the promise is dereferenced (TypeScript)', async () => {
  const src = `async function loadCart(): Promise<{ items: string[] }> {
  return { items: ['a', 'b'] };
}

async function itemCount(): Promise<number> {
  return loadCart().items.length;
}
`;
  const c = pick(await candidatesAt('src/cart.ts', src, [6], 'typescript'), 'missing-await', /await loadCart\(\)/);
  assert.deepEqual(changedLines(c.diff).added, ['  return (await loadCart()).items.length;']);
  assertDiffApplies(c, src);
  assert.equal(runJs(patched(c), 'itemCount()', 'ts'), 2);
});
