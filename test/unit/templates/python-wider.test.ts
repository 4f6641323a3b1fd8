// The wider Python template families (issue 18): wrap, swap-operands, arithmetic-swap (compound
// assignments too), sibling-call, flip-booleans, literal-change, drop-operand, expression-replace.
// Each on a small realistic bug, run with python3 after patching.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TemplateCandidate } from '../../../src/repair/templates/types.ts';
import { assertDiffApplies, candidatesAt, changedLines, patched, pick, runPython } from './helpers.ts';

const at = (file: string, src: string, lines: number[]) => candidatesAt(file, src, lines, 'python');

/** The candidate whose diff adds exactly `line` (when a description matches at several places). */
function adding(cands: readonly TemplateCandidate[], template: TemplateCandidate['template'], line: string): TemplateCandidate {
  const found = cands.find((c) => c.template === template && changedLines(c.diff).added.join('\n') === line);
  assert.ok(found, `no ${template} candidate adding ${line}; got:\n${cands.filter((c) => c.template === template).map((c) => c.diff).join('\n')}`);
  return found;
}

test('wrap: a distance becomes `abs(…)`', async () => {
  const src = `def close_enough(a, b, tolerance):
    gap = a - b
    return gap < tolerance
`;
  const c = pick(await at('close.py', src, [2]), 'wrap', /^abs\(a - b\)$/);
  assert.deepEqual(changedLines(c.diff).added, ['    gap = abs(a - b)']);
  // Two insertions (`abs(` and `)`), measured as such: a same-size name swap does not outrank it.
  assert.deepEqual(c.size, { lines: 2, added: 1, removed: 1, chars: 5 });
  assertDiffApplies(c, src);
  assert.equal(runPython(patched(c), 'mod.close_enough(1, 5, 2)'), false);
});

test('swap-operands: `%` operands, a call’s two arguments, a pair’s elements', async () => {
  const src = `def divides(d, n):
    return d % n == 0


def power(base, exp):
    return pow(exp, base)


def smallest_even(xs):
    evens = [x for x in xs if x % 2 == 0]
    return [xs.index(min(evens)), min(evens)]
`;
  const cands = await at('swap.py', src, [2, 6, 11]);
  const mod = pick(cands, 'swap-operands', /^d % n -> n % d$/);
  assert.equal(runPython(patched(mod), 'mod.divides(3, 9)'), true);
  const args = pick(cands, 'swap-operands', /^swap the arguments of pow$/);
  assertDiffApplies(args, src);
  assert.equal(runPython(patched(args), 'mod.power(2, 5)'), 32);
  const pair = pick(cands, 'swap-operands', /^swap the elements of/);
  assert.deepEqual(runPython(patched(pair), 'mod.smallest_even([5, 4, 2])'), [2, 2]);
});

test('arithmetic-swap: `*` -> `**`, `/` -> `*`, and a compound assignment `-=` -> `+=`', async () => {
  const src = `def sum_of_squares(xs):
    total = 0
    for x in xs:
        total -= x * 2
    return total
`;
  const cands = await at('squares.py', src, [4]);
  const pow = pick(cands, 'arithmetic-swap', /^\* -> \*\* in x \* 2$/);
  assert.deepEqual(changedLines(pow.diff).added, ['        total -= x ** 2']);
  const plus = pick(cands, 'arithmetic-swap', /^-= -> \+= in/);
  assertDiffApplies(plus, src);
  assert.equal(runPython(patched(plus), 'mod.sum_of_squares([1, 3])'), 8);
  assert.equal(runPython(patched(plus).replace('x * 2', 'x ** 2'), 'mod.sum_of_squares([1, 3])'), 10);
});

test('sibling-call: `lower` -> `swapcase`, `math.floor` -> `math.ceil`, `append` -> `extend`', async () => {
  const src = `import math


def flip_case(s):
    return s.lower()


def boxes(items, per_box):
    return math.floor(items / per_box)


def merged(a, b):
    out = list(a)
    out.append(b)
    return out
`;
  const cands = await at('siblings.py', src, [5, 9, 14]);
  const swap = pick(cands, 'sibling-call', /^lower -> swapcase/);
  assert.equal(runPython(patched(swap), 'mod.flip_case("Hello")'), 'hELLO');
  const ceil = pick(cands, 'sibling-call', /^floor -> ceil/);
  assertDiffApplies(ceil, src);
  assert.equal(runPython(patched(ceil), 'mod.boxes(11, 5)'), 3);
  const extend = pick(cands, 'sibling-call', /^append -> extend/);
  assert.deepEqual(runPython(patched(extend), 'mod.merged([1], [2, 3])'), [1, 2, 3]);
});

test('flip-booleans: every boolean the function returns flips together', async () => {
  const src = `def below_threshold(values, limit):
    for v in values:
        if v >= limit:
            return True
    return False
`;
  const c = pick(await at('below.py', src, [4]), 'flip-booleans', /^flip the returned booleans$/);
  assert.deepEqual(changedLines(c.diff), { removed: ['            return True', '    return False'], added: ['            return False', '    return True'] });
  assertDiffApplies(c, src);
  assert.equal(runPython(patched(c), 'mod.below_threshold([1, 2], 5)'), true);
  assert.equal(runPython(patched(c), 'mod.below_threshold([1, 9], 5)'), false);
});

test('literal-change: a float literal, a separator, another literal of the function, `[]` -> `[[]]`', async () => {
  const src = `def triangle_area(base, height):
    return base * height / 0.5


def concatenate(words):
    return ' '.join(words)


def smallest_factor(n):
    for d in range(0, n):
        if d >= 2 and n % d == 0:
            return d
    return n


def subsets():
    out = []
    return out
`;
  const cands = await at('literals.py', src, [2, 6, 10, 17]);
  const half = pick(cands, 'literal-change', /^0\.5 -> 2\.0$/);
  assert.deepEqual(changedLines(half.diff).added, ['    return base * height / 2.0']);
  assert.equal(runPython(patched(half), 'mod.triangle_area(4, 3)'), 6);
  const sep = adding(cands, 'literal-change', "    return ''.join(words)");
  assert.equal(runPython(patched(sep), 'mod.concatenate(["a", "b"])'), 'ab');
  const start = adding(cands, 'literal-change', '    for d in range(2, n):');
  assert.equal(start.description, '0 -> 2');
  assert.equal(runPython(patched(start), 'mod.smallest_factor(9)'), 3);
  const nested = pick(cands, 'literal-change', /^\[\] -> \[\[\]\]$/);
  assert.deepEqual(runPython(patched(nested), 'mod.subsets()'), [[]]);
});

test('literal-change: the elements of a data table are left alone', async () => {
  const src = `def roman(n):
    values = [1000, 500, 100, 50, 10, 5, 1]
    return values[n]
`;
  const cands = await at('roman.py', src, [2]);
  assert.deepEqual(cands.filter((c) => c.template === 'literal-change').map((c) => c.description), []);
});

test('drop-operand: an excess factor or term is dropped', async () => {
  const src = `def signed_first_digit(digits, sign):
    return digits[0] * sign * -1


def tribonacci_step(a, b, i):
    return a + b + i + (i + 3) / 2
`;
  const cands = await at('drop.py', src, [2, 6]);
  const factor = pick(cands, 'drop-operand', /^drop the right operand of digits\[0\] \* sign \* -1$/);
  assert.deepEqual(changedLines(factor.diff).added, ['    return digits[0] * sign']);
  assert.equal(runPython(patched(factor), 'mod.signed_first_digit([3], -1)'), -3);
  const term = adding(cands, 'drop-operand', '    return a + b + (i + 3) / 2');
  assertDiffApplies(term, src);
  assert.equal(runPython(patched(term), 'mod.tribonacci_step(1, 2, 3)'), 6);
});

test('expression-replace: a name -> a pure call the function already makes', async () => {
  const src = `def mean_absolute_deviation(numbers):
    mean = sum(numbers) / len(numbers)
    return sum(abs(x - mean) for x in numbers) / mean
`;
  const c = adding(await at('mad.py', src, [3]), 'expression-replace', '    return sum(abs(x - mean) for x in numbers) / len(numbers)');
  assert.equal(c.description, 'mean -> len(numbers)');
  assert.equal(runPython(patched(c), 'mod.mean_absolute_deviation([1.0, 2.0, 3.0, 4.0])'), 1);
});

test('insert-statement: a missing `break` makes the first match end the loop', async () => {
  const src = `def first_negative(xs):
    found = None
    for x in xs:
        if x < 0:
            found = x
    return found
`;
  assert.equal(runPython(src, 'mod.first_negative([1, -2, -3])'), -3);
  const c = pick(await at('first.py', src, [4]), 'insert-statement', /^break after found = x$/);
  assert.deepEqual(changedLines(c.diff).added, ['            break']);
  assertDiffApplies(c, src);
  assert.equal(runPython(patched(c), 'mod.first_negative([1, -2, -3])'), -2);
  const outside = `def sign(x):\n    if x < 0:\n        x = -x\n    return x\n`;
  assert.deepEqual((await at('sign.py', outside, [2])).filter((x) => x.template === 'insert-statement'), [], 'outside a loop there is nothing to break');
});

test('a function declared `-> float` gets no truncating edit (`/` -> `//`, `int(…)`): its contract rules them out', async () => {
  const src = `def mean_gap(total: float, count: int) -> float:
    return total / count


def pages(total, per_page):
    return total / per_page
`;
  const cands = await at('gap.py', src, [2, 6]);
  const truncating = (c: TemplateCandidate) => /-> \/\/|^int\(/.test(c.description);
  assert.deepEqual(cands.filter((c) => c.line === 2 && truncating(c)).map((c) => c.description), []);
  assert.ok(cands.some((c) => c.line === 6 && c.template === 'arithmetic-swap' && /^\/ -> \/\//.test(c.description)), 'an undeclared function still gets `//`');
});
