// Added by the fix commit as test/regression/addon-missing-await.test.js.
const { it } = require('node:test');
const assert = require('node:assert/strict');
const { quote } = require('../../src/quote.js');

it('prices the add-ons of a cart once per order', async () => {
  const q = await quote({ items: [{ sku: 'KETTLE-2', qty: 1 }, { sku: 'MUG-01', qty: 2 }], addOns: ['WRAP'], country: 'AT' });
  assert.equal(q.subtotal, 67.5);
  assert.equal(q.shipping, 11.4);
  assert.equal(q.total, 78.9);
});

it('prices several add-ons', async () => {
  const q = await quote({ items: [{ sku: 'CHAIR-7', qty: 1 }], addOns: ['WRAP', 'WARRANTY-2Y'], country: 'DE' });
  assert.equal(q.subtotal, 76.5);
  assert.equal(q.total, 85.4);
});
