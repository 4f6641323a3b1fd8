import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { multibuyPrice } from '../../src/multibuy.ts';

describe('multibuy groups of any size (regression)', () => {
  it('counts complete groups of the offer\'s size', () => {
    assert.equal(multibuyPrice(2, 8, 4), 12);
    assert.equal(multibuyPrice(3, 4, 4), 9);
    assert.equal(multibuyPrice(1, 10, 5), 8);
    assert.equal(multibuyPrice(4, 5, 2), 12);
  });
});
