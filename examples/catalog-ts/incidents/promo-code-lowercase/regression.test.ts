// Added by the fix commit as test/regression/promo-code-lowercase.test.ts.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { promoPercent } from '../../src/promo.ts';

it('promotion codes are case-insensitive', () => {
  assert.equal(promoPercent('spring10'), 10);
  assert.equal(promoPercent(' Vip25'), 25);
});

it('an unknown code gives no discount', () => {
  assert.equal(promoPercent('WINTER99'), 0);
});
