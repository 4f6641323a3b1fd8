// The search over a list with a scripted probe: the first bad index for every position of it,
// within ⌈log2(n)⌉ steps; skips widen the bound by one each and leave an ambiguous range when
// nothing testable is left in it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { search, stepBound, type Verdict } from '../../../src/bisect/search.ts';

async function run(n: number, verdictOf: (i: number) => Verdict, budget = Infinity) {
  const probed: number[] = [];
  const outcome = await search({ n, outOfTime: () => probed.length >= budget, probe: async (i) => (probed.push(i), { verdict: verdictOf(i) }) });
  return { outcome, probed };
}

test('finds the first bad commit at every position within ⌈log2(n)⌉ steps', async () => {
  for (const n of [1, 2, 3, 7, 8, 64, 100]) {
    for (let first = 1; first <= n; first++) {
      const { outcome, probed } = await run(n, (i) => (i >= first ? 'bad' : 'good'));
      assert.deepEqual(outcome, { status: 'found', index: first }, `n=${n} first=${first}`);
      assert.ok(probed.length <= stepBound(n), `n=${n} first=${first}: ${probed.length} steps`);
    }
  }
});

test('steps over skipped commits, at most one extra step per skip', async () => {
  const { outcome, probed } = await run(64, (i) => (i === 32 || i === 31 ? 'skip' : i >= 40 ? 'bad' : 'good'));
  assert.deepEqual(outcome, { status: 'found', index: 40 });
  assert.ok(probed.length <= stepBound(64) + 2);
});

test('only skipped commits left: inconclusive, naming them and the first known bad', async () => {
  const { outcome } = await run(6, (i) => (i === 2 ? 'skip' : i >= 3 ? 'bad' : 'good'));
  assert.deepEqual(outcome, { status: 'inconclusive', candidates: [2, 3] });
});

test('out of time: the range left', async () => {
  const { outcome, probed } = await run(16, (i) => (i >= 5 ? 'bad' : 'good'), 1);
  assert.deepEqual(probed, [8]);
  assert.deepEqual(outcome, { status: 'exhausted', candidates: [1, 2, 3, 4, 5, 6, 7, 8] });
});
