import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { multibuyPrice } from '../src/multibuy.ts';

describe('multibuy', () => {
  it('gives one unit of every three free on "3 for 2"', () => {
    assert.equal(multibuyPrice(5, 3, 3), 10);
    assert.equal(multibuyPrice(5, 7, 3), 25);
  });

  it('charges every unit of an incomplete group', () => {
    assert.equal(multibuyPrice(5, 2, 3), 10);
  });
});
