// Prices: configured over built-in, dated snapshots priced as their model, unknown models high.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { costUsd, DEFAULT_PRICE, priceNote, resolvePrice } from '../../../src/agent/prices.ts';

it('resolves configured, built-in (exact and dated) and default prices', () => {
  assert.deepEqual(resolvePrice({ model: 'gpt-4o-mini', prices: {} }), { inputPerMTok: 0.15, outputPerMTok: 0.6, source: 'built-in' });
  assert.deepEqual(resolvePrice({ model: 'gpt-4o-2024-08-06', prices: {} }), { inputPerMTok: 2.5, outputPerMTok: 10, source: 'built-in' });
  assert.deepEqual(resolvePrice({ model: 'gpt-4o-mini-2024-07-18', prices: {} }).inputPerMTok, 0.15, 'the longest prefix wins');
  assert.deepEqual(resolvePrice({ model: 'gpt-4o', prices: { 'gpt-4o': { inputPerMTok: 1, outputPerMTok: 2 } } }), { inputPerMTok: 1, outputPerMTok: 2, source: 'configured' });
  assert.deepEqual(resolvePrice({ model: 'qwen2.5-coder:7b', prices: {} }), { ...DEFAULT_PRICE, source: 'default' });
  assert.deepEqual(resolvePrice({ model: 'qwen2.5-coder:7b', prices: { 'qwen2.5-coder:7b': { inputPerMTok: 0, outputPerMTok: 0 } } }).source, 'configured');
});

it('says in the transcript when the price is a guess', () => {
  assert.equal(priceNote('gpt-4o', resolvePrice({ model: 'gpt-4o', prices: {} })), undefined);
  assert.match(priceNote('local', resolvePrice({ model: 'local', prices: {} })) ?? '', /^model "local" has no price .* conservative \$15\/\$75 per million/);
});

it('costs tokens per million', () => {
  assert.equal(costUsd({ inputPerMTok: 2, outputPerMTok: 8 }, 500_000, 250_000), 3);
});
