// Added by the fix commit as test/regression/vat-band-boundary.test.ts.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { grossPrice, vatRate } from '../../src/tax.ts';

it('a band includes its upper bound', () => {
  assert.equal(vatRate(100), 0.07);
  assert.equal(vatRate(1000), 0.19);
  assert.equal(grossPrice(1000), 1190);
  assert.throws(() => vatRate(1000.01), RangeError);
});
