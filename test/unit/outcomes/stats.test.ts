import assert from 'node:assert/strict';
import { test } from 'node:test';
import { durations, quantile, rate } from '../../../src/outcomes/stats.ts';

test('quantiles interpolate between closest ranks', () => {
  assert.equal(quantile([], 0.5), null);
  assert.equal(quantile([7], 0.9), 7);
  assert.equal(quantile([4, 1, 3, 2], 0.5), 2.5);
  assert.equal(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), 9.1);
  assert.deepEqual(durations([10, 20, 30]), { count: 3, medianSeconds: 20, p90Seconds: 28 });
});

test('a rate without runs is null, not zero', () => {
  assert.deepEqual(rate('llm', 0, 0), { key: 'llm', runs: 0, fixed: 0, rate: null });
  assert.equal(rate('templates', 4, 1).rate, 0.25);
});
