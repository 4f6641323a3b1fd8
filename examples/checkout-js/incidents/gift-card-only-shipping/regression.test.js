// Added by the fix commit as test/regression/gift-card-only-shipping.test.js.
const { it } = require('node:test');
const assert = require('node:assert/strict');
const { quote } = require('../../src/quote.js');
const { parcelWeight } = require('../../src/shipping.js');

it('quotes a cart of e-gift cards without shipping', async () => {
  const q = await quote({ items: [{ sku: 'GIFT-50', qty: 2 }], country: 'DE' });
  assert.equal(q.shipping, 0);
  assert.equal(q.total, 100);
});

it('an empty parcel weighs nothing', () => {
  assert.equal(parcelWeight([]), 0);
});
