import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { multibuyPrice } from '../../src/multibuy.ts';

// Added with the candle promotion ("4 for 3"); red in CI on the commit that added it.
describe('multibuy on candles', () => {
  it('gives one candle of every four free (4 for 3)', () => {
    assert.equal(multibuyPrice(2, 6, 4), 10);
  });
});
