// The wider JS/TS template families (issue 18): wrap, swap-operands, arithmetic-swap (compound
// assignments too), sibling-call, flip-booleans, literal-change, drop-operand, expression-replace.
// Each on a small realistic bug, run with Node after patching, plus the engine's order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertDiffApplies, candidatesAt, changedLines, patched, pick, runJs } from './helpers.ts';
import type { TemplateCandidate } from '../../../src/repair/templates/types.ts';

/** The candidate whose diff adds exactly `line` (when a description matches at several places). */
function adding(cands: readonly TemplateCandidate[], template: TemplateCandidate['template'], line: string): TemplateCandidate {
  const found = cands.find((c) => c.template === template && changedLines(c.diff).added.join('\n') === line);
  assert.ok(found, `no ${template} candidate adding ${line}`);
  return found;
}

test('wrap: a distance becomes `Math.abs(…)`', async () => {
  const src = `function closeEnough(a, b, tolerance) {
  const gap = a - b;
  return gap < tolerance;
}
`;
  assert.equal(runJs(src, 'closeEnough(1, 5, 2)'), true);
  const c = pick(await candidatesAt('src/close.js', src, [2]), 'wrap', /^Math\.abs\(a - b\)$/);
  assert.deepEqual(changedLines(c.diff).added, ['  const gap = Math.abs(a - b);']);
  // Two insertions (`Math.abs(` and `)`), measured as such.
  assert.deepEqual(c.size, { lines: 2, added: 1, removed: 1, chars: 10 });
  assertDiffApplies(c, src);
  assert.equal(runJs(patched(c), 'closeEnough(1, 5, 2)'), false);
  assert.equal(runJs(patched(c), 'closeEnough(5, 4, 2)'), true);
});

test('swap-operands: the operands of `-`, a call’s two arguments, a pair’s elements', async () => {
  const src = `function elapsed(start, end) {
  return start - end;
}
function ratio(part, whole) {
  return part / whole;
}
function describe(part, whole) {
  return ratio(whole, part);
}
function pair(xs) {
  return [xs.length, xs[0]];
}
`;
  const cands = await candidatesAt('src/swap.js', src, [2, 8, 11]);
  const sub = pick(cands, 'swap-operands', /^start - end → end - start$/);
  assertDiffApplies(sub, src);
  assert.equal(runJs(patched(sub), 'elapsed(3, 10)'), 7);
  const args = pick(cands, 'swap-operands', /^swap the arguments of ratio$/);
  assert.deepEqual(changedLines(args.diff).added, ['  return ratio(part, whole);']);
  assert.equal(runJs(patched(args), 'describe(1, 4)'), 0.25);
  const elems = pick(cands, 'swap-operands', /^swap the elements of/);
  assert.deepEqual(runJs(patched(elems), 'pair([7, 8])'), [7, 2]);
});

test('arithmetic-swap: `*` → `**`, and a compound assignment `-=` → `+=`', async () => {
  const src = `function sumOfSquares(xs) {
  let total = 0;
  for (const x of xs) {
    total -= x * 2;
  }
  return total;
}
`;
  const cands = await candidatesAt('src/squares.js', src, [4]);
  const pow = pick(cands, 'arithmetic-swap', /^\* → \*\* in x \* 2$/);
  const plus = pick(cands, 'arithmetic-swap', /^-= → \+= in/);
  assertDiffApplies(plus, src);
  assert.equal(runJs(patched(plus), 'sumOfSquares([1, 3])'), 8);
  const both = patched(plus).replace('x * 2', 'x ** 2');
  assert.equal(runJs(both, 'sumOfSquares([1, 3])'), 10);
  assert.equal(runJs(patched(pow), 'sumOfSquares([1, 3])'), -10);
});

test('sibling-call: `push` → `unshift`, `startsWith` → `endsWith`, `Math.floor` → `Math.ceil`', async () => {
  const src = `function pages(count, perPage) {
  return Math.floor(count / perPage);
}
function isImage(name) {
  return name.startsWith('.png');
}
`;
  const cands = await candidatesAt('src/siblings.js', src, [2, 5]);
  const ceil = pick(cands, 'sibling-call', /^floor → ceil/);
  assert.deepEqual(changedLines(ceil.diff).added, ['  return Math.ceil(count / perPage);']);
  assert.equal(runJs(patched(ceil), 'pages(11, 5)'), 3);
  const ends = pick(cands, 'sibling-call', /^startsWith → endsWith/);
  assertDiffApplies(ends, src);
  assert.equal(runJs(patched(ends), 'isImage("cat.png")'), true);
});

test('flip-booleans: every boolean one variable is assigned flips together', async () => {
  const src = `function allPositive(xs) {
  let ok = false;
  for (const x of xs) {
    if (x <= 0) {
      ok = true;
      break;
    }
  }
  return ok;
}
`;
  assert.equal(runJs(src, 'allPositive([1, 2])'), false);
  const c = pick(await candidatesAt('src/flip.js', src, [5]), 'flip-booleans', /^flip the booleans assigned to ok$/);
  assert.deepEqual(changedLines(c.diff), { removed: ['  let ok = false;', '      ok = true;'], added: ['  let ok = true;', '      ok = false;'] });
  assertDiffApplies(c, src);
  assert.equal(runJs(patched(c), 'allPositive([1, 2])'), true);
  assert.equal(runJs(patched(c), 'allPositive([1, -2])'), false);
});

test('literal-change: a float literal (`/ 0.5` → `/ 2.0`), a separator, `[]` → `[[]]`, another literal of the function', async () => {
  const src = `function triangleArea(base, height) {
  return base * height / 0.5;
}
function joinWords(words) {
  return words.join(' ');
}
function subsets() {
  const out = [];
  return out;
}
function firstPrimeCandidate(n) {
  for (let d = 0; d < n; d++) if (d >= 2 && n % d === 0) return d;
  return n;
}
`;
  const cands = await candidatesAt('src/literals.js', src, [2, 5, 8, 12]);
  const half = pick(cands, 'literal-change', /^0\.5 → 2\.0$/);
  assert.deepEqual(changedLines(half.diff).added, ['  return base * height / 2.0;']);
  assert.equal(runJs(patched(half), 'triangleArea(4, 3)'), 6);
  const sep = pick(cands, 'literal-change', /^' ' → ''$/);
  assert.equal(runJs(patched(sep), 'joinWords(["a", "b"])'), 'ab');
  const nested = pick(cands, 'literal-change', /^\[\] → \[\[\]\]$/);
  assert.deepEqual(runJs(patched(nested), 'subsets()'), [[]]);
  const two = adding(cands, 'literal-change', '  for (let d = 2; d < n; d++) if (d >= 2 && n % d === 0) return d;');
  assert.equal(two.description, '0 → 2');
  assert.equal(runJs(patched(two), 'firstPrimeCandidate(9)'), 3);
});

test('drop-operand: an excess term is dropped (`a + b + bonus` → `a + b`)', async () => {
  const src = `function total(price, tax, bonus) {
  return price + tax + bonus;
}
`;
  const c = pick(await candidatesAt('src/total.js', src, [2]), 'drop-operand', /^drop the right operand of price \+ tax \+ bonus$/);
  assert.deepEqual(changedLines(c.diff).added, ['  return price + tax;']);
  assertDiffApplies(c, src);
  assert.equal(runJs(patched(c), 'total(10, 2, 5)'), 12);
  const inner = pick(await candidatesAt('src/total.js', src, [2]), 'drop-operand', /^drop the right operand of price \+ tax$/);
  assert.deepEqual(changedLines(inner.diff).added, ['  return price + bonus;'], 'no parentheses where the grouping is the same');
});

test('expression-replace: a variable → an expression the function already computes', async () => {
  const src = `function meanAbsoluteDeviation(numbers) {
  const mean = numbers.reduce((a, b) => a + b, 0) / numbers.length;
  return numbers.reduce((a, x) => a + Math.abs(x - mean), 0) / mean;
}
`;
  const c = adding(await candidatesAt('src/mad.js', src, [3]), 'expression-replace', '  return numbers.reduce((a, x) => a + Math.abs(x - mean), 0) / numbers.length;');
  assert.equal(c.description, 'mean → numbers.length');
  assert.equal(runJs(patched(c), 'meanAbsoluteDeviation([1, 2, 3, 4])'), 1);
});

test('order: at one location the established families come before the wider ones, whatever their size', async () => {
  const src = `function clampIndex(i, n) {
  return i < n - 1 ? i : n - 1;
}
`;
  const cands = await candidatesAt('src/order.js', src, [2]);
  const firstWide = cands.findIndex((c) => ['swap-operands', 'arithmetic-swap', 'drop-operand', 'literal-change'].includes(c.template));
  const lastNarrow = cands.findLastIndex((c) => ['operator-swap', 'off-by-one', 'variable-replace'].includes(c.template));
  assert.ok(firstWide > 0 && lastNarrow >= 0 && lastNarrow < firstWide, `wide at ${firstWide}, narrow until ${lastNarrow}`);
  const expr = cands.findIndex((c) => c.template === 'expression-replace');
  assert.ok(expr === -1 || cands.slice(expr).every((c) => c.template === 'expression-replace'), 'expression-replace is the last ring');
});

test('insert-statement: a missing `break` makes the first match end the loop', async () => {
  const src = `function firstNegative(xs) {
  let found = null;
  for (const x of xs) {
    if (x < 0) {
      found = x;
    }
  }
  return found;
}
`;
  assert.equal(runJs(src, 'firstNegative([1, -2, -3])'), -3);
  const c = pick(await candidatesAt('src/first.js', src, [4]), 'insert-statement', /^break after found = x;$/);
  assert.deepEqual(changedLines(c.diff).added, ['      break;']);
  assertDiffApplies(c, src);
  assert.equal(runJs(patched(c), 'firstNegative([1, -2, -3])'), -2);
  const exits = `function f(xs) {\n  for (const x of xs) {\n    if (x) { return x; }\n  }\n}\n`;
  assert.deepEqual((await candidatesAt('src/exits.js', exits, [3])).filter((x) => x.template === 'insert-statement'), [], 'a branch that already leaves gets none');
});

test('a counting loop’s bound is never reversed or negated: the literal of the function is reached instead', async () => {
  const src = `function isPrime(n) {
  for (let j = 0; j < n; j++)
    if (n % j == 0) return false;
  return n >= 2;
}
`;
  const cands = await candidatesAt('src/prime.js', src, [2]);
  const swaps = cands.filter((c) => c.template === 'operator-swap').map((c) => c.description);
  assert.deepEqual(swaps.filter((d) => /j < n/.test(d)), [], 'no `j < n` → `j > n`/`j >= n`/negation');
  assert.ok(cands.some((c) => c.template === 'off-by-one' && /^< → <= in j < n$/.test(c.description)), 'the boundary stays');
  const two = adding(cands, 'literal-change', '  for (let j = 2; j < n; j++)');
  assert.deepEqual(runJs(src, '[isPrime(7), isPrime(9)]'), [false, false]);
  assert.deepEqual(runJs(patched(two), '[isPrime(7), isPrime(9)]'), [true, false]);
});
