// The insert-statement families beyond `break` (issue 18), JS/TS: a loop variable's missing
// update, a counter's missing reset (an `else` branch), an accumulator's missing return and a
// guard made of one of the function's own conditions. Each on a small real bug, run with Node
// after patching, and each shown not to fire where the code does not call for it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertDiffApplies, candidatesAt, changedLines, patched, pick, runJs } from './helpers.ts';

const inserts = async (file: string, src: string, lines: number[]) =>
  (await candidatesAt(file, src, lines)).filter((c) => c.template === 'insert-statement' || c.template === 'insert-guard');

test('loop update: `v = v % e` after the statement that computes `v % e`, `v -= 1` at the end of the body', async () => {
  const src = `function toRoman(number) {
  const num = [1, 4, 5, 9, 10];
  const sym = ['i', 'iv', 'v', 'ix', 'x'];
  let i = 4;
  let res = '';
  while (number) {
    let div = (number - number % num[i]) / num[i];
    while (div) {
      res += sym[i];
      div -= 1;
    }
    i -= 1;
  }
  return res;
}
`;
  const cands = await candidatesAt('src/roman.js', src, [6]);
  const c = pick(cands, 'insert-statement', /^number = number % num\[i\] after let div/);
  assert.deepEqual(changedLines(c.diff).added, ['    number = number % num[i]']);
  assertDiffApplies(c, src);
  assert.equal(runJs(patched(c), 'toRoman(14)'), 'xiv');
  assert.ok(cands.some((x) => x.description === 'number -= 1 at the end of the loop on number'));
  const updated = `function countdown(n) {\n  let out = 0;\n  while (n > 0) {\n    out += n;\n    n -= 1;\n  }\n  return out;\n}\n`;
  assert.deepEqual(
    (await inserts('src/down.js', updated, [3])).filter((x) => / -= 1 at the end| = n /.test(x.description)),
    [],
    'a loop that updates its condition gets none',
  );
});

test('counter reset: a counter bumped in one branch goes back to its initial value in the other', async () => {
  const src = `function noTriples(lst) {
  let dup = 1;
  let pre = lst[0];
  for (let i = 1; i < lst.length; i++) {
    if (lst[i] == pre) {
      dup += 1;
      if (dup == 3) { return false }
    } else {
      pre = lst[i];
    }
  }
  return true;
}
`;
  assert.equal(runJs(src, 'noTriples([1, 1, 2, 2, 3])'), false);
  const c = pick(await candidatesAt('src/dup.js', src, [5]), 'insert-statement', /^dup = 1 in the else branch$/);
  assert.deepEqual(changedLines(c.diff).added, ['      dup = 1']);
  assertDiffApplies(c, src);
  assert.equal(runJs(patched(c), 'noTriples([1, 1, 2, 2, 3])'), true);
  assert.equal(runJs(patched(c), 'noTriples([1, 1, 1])'), false);

  const noElse = `function runs(xs) {\n  let streak = 0;\n  let best = 0;\n  for (const x of xs) {\n    if (x > 0) {\n      streak += 1;\n    }\n    best = Math.max(best, streak);\n  }\n  return best;\n}\n`;
  const e = pick(await candidatesAt('src/runs.js', noElse, [5]), 'insert-statement', /^else \{ streak = 0 \}$/);
  assertDiffApplies(e, noElse);
  assert.equal(runJs(noElse, 'runs([1, 1, -1, 1])'), 3);
  assert.equal(runJs(patched(e), 'runs([1, 1, -1, 1])'), 2);

  const outside = `function f(x) {\n  let n = 0;\n  if (x) {\n    n += 1;\n  }\n  return n;\n}\n`;
  assert.deepEqual(await inserts('src/outside.js', outside, [3]).then((cs) => cs.filter((c) => /n = 0/.test(c.description))), [], 'outside a loop there is nothing to reset');
});

test('accumulator return: a function that builds a value and falls off its end returns it', async () => {
  const src = `function evens(xs) {
  const out = [];
  for (const x of xs) {
    if (x % 2 === 0) out.push(x);
  }
}
`;
  assert.equal(runJs(src, 'evens([1, 2, 4]) ?? null'), null);
  const c = pick(await candidatesAt('src/evens.js', src, [4]), 'insert-statement', /^return out at the end of the function$/);
  assert.deepEqual(changedLines(c.diff).added, ['  return out;']);
  assertDiffApplies(c, src);
  assert.deepEqual(runJs(patched(c), 'evens([1, 2, 4])'), [2, 4]);
  const returns = `function evens(xs) {\n  const out = [];\n  for (const x of xs) out.push(x);\n  return out.length ? out : null;\n}\n`;
  assert.deepEqual((await inserts('src/r.js', returns, [3])).filter((c) => /^return /.test(c.description)), [], 'a function that already returns gets none');
});

test('guard: `continue` or an early return with one of the function’s own conditions, in the outer ring', async () => {
  const src = `function sumPositive(xs) {
  let total = 0;
  for (const x of xs) {
    total += x;
    if (x < 0) {
      console.log('negative');
    }
  }
  return total;
}
`;
  const cands = await candidatesAt('src/sum.js', src, [4]);
  const c = pick(cands, 'insert-guard', /^if \(x < 0\) continue; before line 4$/);
  assert.deepEqual(changedLines(c.diff).added, ['    if (x < 0) continue;']);
  assertDiffApplies(c, src);
  assert.equal(runJs(patched(c), 'sumPositive([1, -2, 3])'), 4);
  assert.ok(cands.some((x) => x.template === 'insert-guard' && x.description === 'if (x < 0) return 0; before line 4'), 'the early return takes the implied value');
  const guard = cands.findIndex((x) => x.template === 'insert-guard');
  assert.ok(cands.slice(guard).every((x) => x.template === 'insert-guard' || x.template === 'expression-replace'), 'guards are the outer ring');
  // No condition of its own, or one of a variable not yet in scope: no guard.
  const plain = `function twice(x) {\n  const y = x * 2;\n  return y;\n}\n`;
  assert.deepEqual((await inserts('src/plain.js', plain, [2])).filter((x) => x.template === 'insert-guard'), []);
  const later = `function f(xs) {\n  let n = 0;\n  for (let i = 0; i < xs.length; i++) {\n    if (i > 2) n += 1;\n  }\n  return n;\n}\n`;
  assert.deepEqual((await inserts('src/later.js', later, [6])).filter((x) => x.template === 'insert-guard'), [], '`i` is out of scope after its loop');
});
