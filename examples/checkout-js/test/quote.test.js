const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { quote } = require('../src/quote.js');

describe('quote', () => {
  it('prices the lines and ships a light parcel in Germany', async () => {
    const q = await quote({ items: [{ sku: 'MUG-01', qty: 2 }, { sku: 'TEE-M', qty: 1 }], country: 'DE' });
    assert.deepEqual(q.lines, [
      { sku: 'MUG-01', qty: 2, amount: 25 },
      { sku: 'TEE-M', qty: 1, amount: 19.9 },
    ]);
    assert.equal(q.subtotal, 44.9);
    assert.equal(q.shipping, 4.9);
    assert.equal(q.total, 49.8);
  });

  it('adds the country surcharge', async () => {
    const q = await quote({ items: [{ sku: 'KETTLE-2', qty: 1 }], country: 'FR' });
    assert.equal(q.shipping, 8.4);
    assert.equal(q.total, 47.4);
  });

  it('does not charge shipping for gift cards in a mixed cart', async () => {
    const withCard = await quote({ items: [{ sku: 'MUG-01', qty: 1 }, { sku: 'GIFT-25', qty: 1 }], country: 'DE' });
    assert.equal(withCard.shipping, 4.9);
    assert.equal(withCard.total, 42.4);
  });

  it('rejects an unknown SKU', async () => {
    await assert.rejects(quote({ items: [{ sku: 'NOPE', qty: 1 }], country: 'DE' }), { name: 'UnknownProductError' });
  });
});
