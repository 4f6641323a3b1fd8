// Python guard templates through the helper script (python3 on the host): the right candidate,
// a minimal diff that applies with git, and the patched module handles the failing input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSuppression } from '../../../src/repair/guards/index.ts';
import { assertDiffApplies, candidatesAt, changedLines, patched, pick, runPython, throwsPython } from './helpers.ts';

const at = (file: string, src: string, lines: number[]) => candidatesAt(file, src, lines, 'python');

test('null-guard: `if x is None: return <documented default>` before the dereference', async () => {
  const src = `def order_total(order):
    """Total of an order's lines; returns 0 when there is no order."""
    total = 0
    for line in order["lines"]:
        total += line["price"] * line["qty"]
    return total
`;
  assert.ok(throwsPython(src, 'mod.order_total(None)'));
  const c = pick(await at('shop/orders.py', src, [4]), 'null-guard', /return 0 early when order is None/);
  assert.deepEqual(changedLines(c.diff), { removed: [], added: ['    if order is None:', '        return 0'] });
  assertDiffApplies(c, src);
  assert.equal(runPython(patched(c), 'mod.order_total(None)'), 0);
  assert.equal(runPython(patched(c), 'mod.order_total({"lines": [{"price": 2, "qty": 3}]})'), 6);
});

test('zero-divisor: `a / len(xs)` → `(0 if len(xs) == 0 else a / len(xs))`', async () => {
  const src = `def average(values: list) -> float:
    return sum(values) / len(values)
`;
  assert.ok(throwsPython(src, 'mod.average([])'));
  const c = pick(await at('stats.py', src, [2]), 'zero-divisor', /instead of dividing by len\(values\)/);
  assert.deepEqual(changedLines(c.diff).added, ['    return (0 if len(values) == 0 else sum(values) / len(values))']);
  assertDiffApplies(c, src);
  assert.equal(runPython(patched(c), 'mod.average([])'), 0);
  assert.equal(runPython(patched(c), 'mod.average([1, 2])'), 1.5);
});

test('empty-collection: `words[0]` gets `if not words: return <documented>`', async () => {
  const src = `def first_word(text):
    """First word of text, or an empty string for blank text."""
    words = text.split()
    return words[0]
`;
  assert.ok(throwsPython(src, 'mod.first_word("   ")'));
  const c = pick(await at('words.py', src, [4]), 'empty-collection', /return '' early when words is empty/);
  assert.deepEqual(changedLines(c.diff), { removed: [], added: ['    if not words:', "        return ''"] });
  assertDiffApplies(c, src);
  assert.equal(runPython(patched(c), 'mod.first_word("   ")'), '');
  assert.equal(runPython(patched(c), 'mod.first_word("hello world")'), 'hello');
});

test('empty-collection: max() of an empty sequence gets a default', async () => {
  const src = `def highest_bid(bids) -> int:
    return max(bids)
`;
  const c = pick(await at('auction.py', src, [2]), 'empty-collection', /give max\(\) the default 0/);
  assert.deepEqual(changedLines(c.diff).added, ['    return max(bids, default=0)']);
  assertDiffApplies(c, src);
  assert.equal(runPython(patched(c), 'mod.highest_bid([])'), 0);
  assert.equal(runPython(patched(c), 'mod.highest_bid([3, 9])'), 9);
});

test('reduce-initial: functools.reduce gets the identity of its reducer', async () => {
  const src = `import functools


def product(factors):
    return functools.reduce(lambda a, b: a * b, factors)
`;
  assert.ok(throwsPython(src, 'mod.product([])'));
  const c = pick(await at('product.py', src, [5]), 'reduce-initial', /initial value 1/);
  assert.deepEqual(changedLines(c.diff).added, ['    return functools.reduce(lambda a, b: a * b, factors, 1)']);
  assertDiffApplies(c, src);
  assert.equal(runPython(patched(c), 'mod.product([])'), 1);
  assert.equal(runPython(patched(c), 'mod.product([2, 5])'), 10);
});

test('parse-fallback: try/except ValueError around the int() alone, assigning the documented default', async () => {
  const src = `def parse_quantity(raw):
    """Quantity from a form field; defaults to 1 when it is not a number."""
    qty = int(raw)  # the form sends strings
    return qty
`;
  assert.ok(throwsPython(src, 'mod.parse_quantity("two")'));
  const c = pick(await at('form.py', src, [3]), 'parse-fallback', /fall back to 1 when int\(raw\) fails/);
  assert.deepEqual(changedLines(c.diff), {
    removed: ['    qty = int(raw)  # the form sends strings'],
    added: ['    try:', '        qty = int(raw)  # the form sends strings', '    except ValueError:', '        qty = 1'],
  });
  assertDiffApplies(c, src);
  assert.equal(runPython(patched(c), 'mod.parse_quantity("two")'), 1);
  assert.equal(runPython(patched(c), 'mod.parse_quantity("3")'), 3);
  // A fallback for the parse's own error is a fix, not a swallowed crash.
  const verdict = await checkSuppression({
    before: new Map([['form.py', src]]),
    after: c.newContent,
    crashSite: { file: 'form.py', line: 3, function: 'parse_quantity' },
  });
  assert.deepEqual(verdict, { suppressed: false });
});

test('parse-fallback: datetime.strptime returns the documented None for a bad date', async () => {
  const src = `from datetime import datetime


def parse_day(value):
    """ISO day of a 'YYYY-MM-DD' string, or None if it is not a valid date."""
    day = datetime.strptime(value, "%Y-%m-%d")
    return day.date().isoformat()
`;
  assert.ok(throwsPython(src, 'mod.parse_day("2024-02-30")'));
  const c = pick(await at('days.py', src, [6]), 'parse-fallback', /return None when datetime\.strptime/);
  assert.deepEqual(changedLines(c.diff).added, ['    try:', '        day = datetime.strptime(value, "%Y-%m-%d")', '    except ValueError:', '        return None']);
  assertDiffApplies(c, src);
  assert.equal(runPython(patched(c), 'mod.parse_day("2024-02-30")'), null);
  assert.equal(runPython(patched(c), 'mod.parse_day("2024-02-29")'), '2024-02-29');
});

test('clamp: a result documented "between 0 and 10" is clamped', async () => {
  const src = `def volume_level(raw: int) -> int:
    """Volume level between 0 and 10."""
    level = raw // 10
    return level
`;
  assert.equal(runPython(src, 'mod.volume_level(250)'), 25);
  const c = pick(await at('volume.py', src, [4]), 'clamp', /clamp level to the documented 0\.\.10/);
  assert.deepEqual(changedLines(c.diff).added, ['    return min(max(level, 0), 10)']);
  assertDiffApplies(c, src);
  assert.equal(runPython(patched(c), 'mod.volume_level(250)'), 10);
  assert.equal(runPython(patched(c), 'mod.volume_level(55)'), 5);
});
