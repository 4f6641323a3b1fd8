// JS guard templates on small realistic bugs: the right candidate exists, its diff is minimal and
// applies with git, and the patched code handles the failing input (run with Node).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertDiffApplies, candidatesAt, changedLines, patched, pick, runJs, throwsJs } from './helpers.ts';

test('null-guard: early return of the documented default before a dereference', async () => {
  const src = `/**
 * Sum of the cart's item prices.
 * @returns {number} the total, or 0 when there is no cart
 */
function cartTotal(cart) {
  let total = 0;
  for (const item of cart.items) {
    total += item.price;
  }
  return total;
}
`;
  assert.ok(throwsJs(src, 'cartTotal(undefined)'));
  const c = pick(await candidatesAt('src/cart.js', src, [7]), 'null-guard', /return 0 early when cart is null/);
  assert.deepEqual(changedLines(c.diff), { removed: [], added: ['  if (cart == null) return 0;'] });
  assertDiffApplies(c, src);
  assert.equal(runJs(patched(c), 'cartTotal(undefined)'), 0);
  assert.equal(runJs(patched(c), 'cartTotal({ items: [{ price: 2 }, { price: 3 }] })'), 5);
});

test('optional-chain: `a.b` → `a?.b` with `?? 0` where the value flows into arithmetic', async () => {
  const src = `function discountedPrice(product, user) {
  return product.price - product.price * user.discount.rate;
}
`;
  assert.ok(throwsJs(src, 'discountedPrice({ price: 100 }, {})'));
  const c = pick(await candidatesAt('src/price.js', src, [2]), 'optional-chain', /on user\.discount with \?\? 0/);
  assert.deepEqual(changedLines(c.diff), {
    removed: ['  return product.price - product.price * user.discount.rate;'],
    added: ['  return product.price - product.price * (user.discount?.rate ?? 0);'],
  });
  assertDiffApplies(c, src);
  assert.equal(runJs(patched(c), 'discountedPrice({ price: 100 }, {})'), 100);
  assert.equal(runJs(patched(c), 'discountedPrice({ price: 100 }, { discount: { rate: 0.25 } })'), 75);
});

test('zero-divisor: `x / n` → `n === 0 ? 0 : x / n`', async () => {
  const src = `function averageRating(ratings) {
  const sum = ratings.reduce((a, b) => a + b, 0);
  return sum / ratings.length;
}
`;
  assert.equal(runJs(src, 'averageRating([])'), null); // NaN serializes as null: the bug
  const c = pick(await candidatesAt('src/rating.js', src, [3]), 'zero-divisor', /instead of dividing by ratings\.length/);
  assert.deepEqual(changedLines(c.diff).added, ['  return ratings.length === 0 ? 0 : sum / ratings.length;']);
  assertDiffApplies(c, src);
  assert.equal(runJs(patched(c), 'averageRating([])'), 0);
  assert.equal(runJs(patched(c), 'averageRating([4, 5])'), 4.5);
});

test('empty-collection: `arr[0]` on an empty array gets a length guard', async () => {
  const src = `/** Name of the first listed owner, or null when there is none. */
function firstOwnerName(owners) {
  return owners[0].name;
}
`;
  assert.ok(throwsJs(src, 'firstOwnerName([])'));
  const c = pick(await candidatesAt('src/owners.js', src, [3]), 'empty-collection', /return null early when owners is empty/);
  assert.deepEqual(changedLines(c.diff), { removed: [], added: ['  if (owners.length === 0) return null;'] });
  assertDiffApplies(c, src);
  assert.equal(runJs(patched(c), 'firstOwnerName([])'), null);
  assert.equal(runJs(patched(c), "firstOwnerName([{ name: 'Ada' }])"), 'Ada');
});

test('reduce-initial: reduce without an initial value gets the reducer identity', async () => {
  const src = `function totalQuantity(lines) {
  return lines.map((l) => l.qty).reduce((a, b) => a + b);
}
`;
  assert.ok(throwsJs(src, 'totalQuantity([])'));
  const c = pick(await candidatesAt('src/qty.js', src, [2]), 'reduce-initial', /initial value 0/);
  assert.deepEqual(changedLines(c.diff).added, ['  return lines.map((l) => l.qty).reduce((a, b) => a + b, 0);']);
  assertDiffApplies(c, src);
  assert.equal(runJs(patched(c), 'totalQuantity([])'), 0);
  assert.equal(runJs(patched(c), 'totalQuantity([{ qty: 2 }, { qty: 3 }])'), 5);
});

test('parse-fallback: parseInt NaN falls back to 0 inline', async () => {
  const src = `function lineTotal(line) {
  const qty = parseInt(line.qty, 10);
  return qty * line.price;
}
`;
  assert.equal(runJs(src, "lineTotal({ qty: 'two', price: 5 })"), null); // NaN
  const c = pick(await candidatesAt('src/line.js', src, [2]), 'parse-fallback', /fall back to 0 when parseInt/);
  assert.deepEqual(changedLines(c.diff).added, ['  const qty = parseInt(line.qty, 10) || 0;']);
  assertDiffApplies(c, src);
  assert.equal(runJs(patched(c), "lineTotal({ qty: 'two', price: 5 })"), 0);
  assert.equal(runJs(patched(c), "lineTotal({ qty: '3', price: 5 })"), 15);
});

test('parse-fallback: an invalid Date returns the documented null before it is used', async () => {
  const src = `/** ISO day of a timestamp string, or null when it cannot be parsed. */
function isoDay(value) {
  const d = new Date(value);
  return d.toISOString().slice(0, 10);
}
`;
  assert.ok(throwsJs(src, "isoDay('not a date')"));
  const c = pick(await candidatesAt('src/day.js', src, [4]), 'parse-fallback', /return null when d is not a valid date/);
  assert.deepEqual(changedLines(c.diff), { removed: [], added: ['  if (Number.isNaN(d.getTime())) return null;'] });
  assertDiffApplies(c, src);
  assert.equal(runJs(patched(c), "isoDay('not a date')"), null);
  assert.equal(runJs(patched(c), "isoDay('2024-03-05T10:00:00Z')"), '2024-03-05');
});

test('clamp: a value documented "between 0 and 100" is clamped', async () => {
  const src = `/**
 * Progress as a percentage between 0 and 100.
 */
function progress(done, total) {
  return Math.round((done / total) * 100);
}
`;
  assert.equal(runJs(src, 'progress(12, 10)'), 120);
  const c = pick(await candidatesAt('src/progress.js', src, [5]), 'clamp', /documented 0\.\.100/);
  assert.deepEqual(changedLines(c.diff).added, ['  return Math.min(Math.max(Math.round((done / total) * 100), 0), 100);']);
  assertDiffApplies(c, src);
  assert.equal(runJs(patched(c), 'progress(12, 10)'), 100);
  assert.equal(runJs(patched(c), 'progress(5, 10)'), 50);
});
