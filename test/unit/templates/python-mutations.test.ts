// Python mutation templates: off-by-one, operator swaps, variable replacement, missing await.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertDiffApplies, candidatesAt, changedLines, patched, pick, runPython } from './helpers.ts';

const at = (file: string, src: string, lines: number[]) => candidatesAt(file, src, lines, 'python');

test('off-by-one: `range(len(text) - size)` → `+ 1`', async () => {
  const src = `def count_windows(text, size):
    count = 0
    for _ in range(len(text) - size):
        count += 1
    return count
`;
  assert.equal(runPython(src, 'mod.count_windows("abc", 3)'), 0);
  const c = pick(await at('windows.py', src, [3]), 'off-by-one', /-> len\(text\) - size \+ 1/);
  assert.deepEqual(changedLines(c.diff), { removed: ['    for _ in range(len(text) - size):'], added: ['    for _ in range(len(text) - size + 1):'] });
  assertDiffApplies(c, src);
  assert.equal(runPython(patched(c), 'mod.count_windows("abc", 3)'), 1);
  assert.equal(runPython(patched(c), 'mod.count_windows("abcd", 2)'), 3);
});

test('off-by-one: a negative index literal moves by one (`[-2]` → `[-1]`)', async () => {
  const src = `def last_reading(readings):
    return readings[-2]
`;
  const c = pick(await at('readings.py', src, [2]), 'off-by-one', /^-2 -> -1$/);
  assert.deepEqual(changedLines(c.diff).added, ['    return readings[-1]']);
  assertDiffApplies(c, src);
  assert.equal(runPython(patched(c), 'mod.last_reading([1, 2, 3])'), 3);
});

test('operator-swap: `or` → `and`', async () => {
  const src = `def can_ship(order):
    return order["paid"] or order["address"] is not None
`;
  assert.equal(runPython(src, 'mod.can_ship({"paid": True, "address": None})'), true);
  const c = pick(await at('ship.py', src, [2]), 'operator-swap', /^or -> and/);
  assert.deepEqual(changedLines(c.diff).added, ['    return order["paid"] and order["address"] is not None']);
  assertDiffApplies(c, src);
  assert.equal(runPython(patched(c), 'mod.can_ship({"paid": True, "address": None})'), false);
  assert.equal(runPython(patched(c), 'mod.can_ship({"paid": True, "address": "x"})'), true);
});

test('operator-swap: a reversed comparison (`>` → `<`)', async () => {
  const src = `def cheapest(prices):
    best = prices[0]
    for p in prices:
        if p > best:
            best = p
    return best
`;
  assert.equal(runPython(src, 'mod.cheapest([3, 1, 2])'), 3);
  const c = pick(await at('prices.py', src, [4]), 'operator-swap', /^> -> < in/);
  assert.deepEqual(changedLines(c.diff).added, ['        if p < best:']);
  assertDiffApplies(c, src);
  assert.equal(runPython(patched(c), 'mod.cheapest([3, 1, 2])'), 1);
});

test('operator-swap: `is not` → `is` (a two-token operator)', async () => {
  const src = `def describe(user):
    if user.get("email") is not None:
        return "anonymous"
    return user["email"]
`;
  const c = pick(await at('users.py', src, [2]), 'operator-swap', /^is not -> is in/);
  assert.deepEqual(changedLines(c.diff).added, ['    if user.get("email") is None:']);
  assertDiffApplies(c, src);
  assert.equal(runPython(patched(c), 'mod.describe({"email": "a@b.c"})'), 'a@b.c');
});

test('variable-replace: another variable of the same annotated kind only', async () => {
  const src = `def average_speed(distance: float, hours: float, label: str, minutes: float) -> float:
    return distance / minutes
`;
  const cands = await at('speed.py', src, [2]);
  const replaced = cands.filter((c) => c.template === 'variable-replace').map((c) => c.description);
  assert.ok(!replaced.some((d) => /-> label/.test(d)), `a str stood in for a float: ${replaced.join(', ')}`);
  const c = pick(cands, 'variable-replace', /^minutes -> hours/);
  assert.deepEqual(changedLines(c.diff).added, ['    return distance / hours']);
  assertDiffApplies(c, src);
  assert.equal(runPython(patched(c), 'mod.average_speed(100.0, 2.0, "car", 120.0)'), 50);
});

test('missing-await: a coroutine of this module used without await in an async def', async () => {
  const src = `async def fetch_price(sku):
    return {"sku": sku, "price": 5}


async def price_of(sku):
    item = fetch_price(sku)
    return item["price"]
`;
  const c = pick(await at('prices_async.py', src, [6]), 'missing-await', /await fetch_price\(sku\)/);
  assert.deepEqual(changedLines(c.diff).added, ['    item = await fetch_price(sku)']);
  assertDiffApplies(c, src);
  assert.equal(runPython(patched(c), 'mod.price_of("a")'), 5);
});

test('non-ASCII text before an edit keeps the offsets right (UTF-8 columns → UTF-16 offsets)', async () => {
  const src = `def label(prices):
    names = {"😀 café": 1}
    return "€ " + str(len(prices) - 1)
`;
  const c = pick(await at('label.py', src, [3]), 'off-by-one', /drop the adjustment/);
  assert.deepEqual(changedLines(c.diff).added, ['    return "€ " + str(len(prices))']);
  assertDiffApplies(c, src);
});
