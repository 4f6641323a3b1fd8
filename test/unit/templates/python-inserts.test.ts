// The insert-statement families beyond `break` (issue 18), Python: a loop variable's missing
// update, a counter's missing reset (an `else` branch), an accumulator's missing return and a
// guard made of one of the function's own conditions. Each on a small real bug, run with python3
// after patching, and each shown not to fire where the code does not call for it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertDiffApplies, candidatesAt, changedLines, patched, pick, runPython } from './helpers.ts';

const at = (file: string, src: string, lines: number[]) => candidatesAt(file, src, lines, 'python');
const inserts = async (file: string, src: string, lines: number[]) =>
  (await at(file, src, lines)).filter((c) => c.template === 'insert-statement' || c.template === 'insert-guard');

test('loop update: `v -= 1` at the end of a `while v:` body, `v %= e` after the statement computing `v % e`', async () => {
  const src = `def to_roman(number):
    num = [1, 4, 5, 9, 10]
    sym = ['i', 'iv', 'v', 'ix', 'x']
    i = 4
    res = ''
    while number:
        div = number // num[i]
        number %= num[i]
        while div:
            res += sym[i]
        i -= 1
    return res
`;
  const c = pick(await at('roman.py', src, [9]), 'insert-statement', /^div -= 1 at the end of the loop on div$/);
  assert.deepEqual(changedLines(c.diff).added, ['            div -= 1']);
  assertDiffApplies(c, src);
  assert.equal(runPython(patched(c), 'mod.to_roman(14)'), 'xiv');
  const missing = `def digits(n):\n    out = 0\n    while n:\n        out += n % 10\n    return out\n`;
  const m = pick(await at('digits.py', missing, [3]), 'insert-statement', /^n %= 10 after out \+= n % 10$/);
  assert.deepEqual(changedLines(m.diff).added, ['        n %= 10']);
  const updated = `def countdown(n):\n    out = 0\n    while n > 0:\n        out += n\n        n -= 1\n    return out\n`;
  assert.deepEqual((await inserts('down.py', updated, [3])).filter((x) => /n -= 1|n %=/.test(x.description)), [], 'a loop that updates its condition gets none');
});

test('counter reset: a counter bumped in one branch goes back to its initial value in the other', async () => {
  const src = `def no_triples(lst):
    dup = 1
    pre = lst[0]
    for x in lst[1:]:
        if x == pre:
            dup += 1
            if dup == 3:
                return False
        else:
            pre = x
    return True
`;
  assert.equal(runPython(src, 'mod.no_triples([1, 1, 2, 2, 3])'), false);
  const c = pick(await at('dup.py', src, [5]), 'insert-statement', /^dup = 1 in the else branch$/);
  assert.deepEqual(changedLines(c.diff).added, ['            dup = 1']);
  assertDiffApplies(c, src);
  assert.equal(runPython(patched(c), 'mod.no_triples([1, 1, 2, 2, 3])'), true);
  assert.equal(runPython(patched(c), 'mod.no_triples([1, 1, 1])'), false);

  const noElse = `def runs(xs):\n    streak = 0\n    best = 0\n    for x in xs:\n        if x > 0:\n            streak += 1\n        best = max(best, streak)\n    return best\n`;
  const e = pick(await at('runs.py', noElse, [5]), 'insert-statement', /^else: streak = 0$/);
  assert.deepEqual(changedLines(e.diff).added, ['        else:', '            streak = 0']);
  assertDiffApplies(e, noElse);
  assert.equal(runPython(noElse, 'mod.runs([1, 1, -1, 1])'), 3);
  assert.equal(runPython(patched(e), 'mod.runs([1, 1, -1, 1])'), 2);

  const outside = `def f(x):\n    n = 0\n    if x:\n        n += 1\n    return n\n`;
  assert.deepEqual((await inserts('outside.py', outside, [3])).filter((c) => /n = 0/.test(c.description)), [], 'outside a loop there is nothing to reset');
});

test('accumulator return: a function that builds a value and falls off its end returns it', async () => {
  const src = `def evens(xs):
    out = []
    for x in xs:
        if x % 2 == 0:
            out.append(x)
`;
  assert.equal(runPython(src, 'mod.evens([1, 2, 4])'), null);
  const c = pick(await at('evens.py', src, [5]), 'insert-statement', /^return out at the end of evens$/);
  assert.deepEqual(changedLines(c.diff).added, ['    return out']);
  assertDiffApplies(c, src);
  assert.deepEqual(runPython(patched(c), 'mod.evens([1, 2, 4])'), [2, 4]);
  const returns = `def evens(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n    return out or None\n`;
  assert.deepEqual((await inserts('r.py', returns, [4])).filter((c) => /^return /.test(c.description)), [], 'a function that already returns gets none');
});

test('guard: `continue` or an early return with one of the function’s own conditions, in the outer ring', async () => {
  const src = `def sum_positive(xs) -> int:
    total = 0
    for x in xs:
        total += x
        if x < 0:
            print('negative')
    return total
`;
  const cands = await at('sum.py', src, [4]);
  const c = pick(cands, 'insert-guard', /^if x < 0: continue, before line 4$/);
  assert.deepEqual(changedLines(c.diff).added, ['        if x < 0:', '            continue']);
  assertDiffApplies(c, src);
  assert.equal(runPython(patched(c), 'mod.sum_positive([1, -2, 3])'), 4);
  assert.ok(cands.some((x) => x.template === 'insert-guard' && x.description === 'if x < 0: return 0, before line 4'), 'the early return takes the implied value');
  const guard = cands.findIndex((x) => x.template === 'insert-guard');
  assert.ok(cands.slice(guard).every((x) => x.template === 'insert-guard' || x.template === 'expression-replace'), 'guards are the outer ring');
  const plain = `def twice(x):\n    y = x * 2\n    return y\n`;
  assert.deepEqual((await inserts('plain.py', plain, [2])).filter((x) => x.template === 'insert-guard'), [], 'no condition of its own: no guard');
  const inside = `def f(xs):\n    n = 0\n    for x in xs:\n        if x > 2:\n            n += 1\n    return n\n`;
  assert.deepEqual((await inserts('inside.py', inside, [5])).filter((x) => x.template === 'insert-guard'), [], 'the condition that already encloses the statement is not repeated');
});
