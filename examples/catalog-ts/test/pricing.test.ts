import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { promoPercent } from '../src/promo.ts';
import { grossPrice, vatRate } from '../src/tax.ts';

describe('prices', () => {
  it('taxes cheap items at the reduced rate and dearer ones at the standard rate', () => {
    assert.equal(vatRate(12.5), 0.07);
    assert.equal(vatRate(340), 0.19);
    assert.throws(() => vatRate(2500), RangeError);
    assert.equal(grossPrice(12.5), 13.38);
  });

  it('knows the promotion codes', () => {
    assert.equal(promoPercent('SPRING10'), 10);
    assert.equal(promoPercent('VIP25 '), 25);
  });
});
