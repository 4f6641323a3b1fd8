const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { parcelWeight, shippingCost } = require('../src/shipping.js');

describe('shipping', () => {
  it('weighs the parcel', () => {
    assert.equal(parcelWeight([{ weightKg: 0.4, qty: 2 }, { weightKg: 1.3, qty: 1 }]), 2.1);
  });

  it('charges the rate of the weight band', () => {
    assert.equal(shippingCost([{ weightKg: 1.5, qty: 1 }], 'DE'), 4.9);
    assert.equal(shippingCost([{ weightKg: 2, qty: 1 }], 'DE'), 4.9);
    assert.equal(shippingCost([{ weightKg: 6.8, qty: 1 }], 'DE'), 8.9);
    assert.equal(shippingCost([{ weightKg: 6.8, qty: 3 }], 'DE'), 15.9);
  });

  it('charges the heaviest band above its limit', () => {
    assert.equal(shippingCost([{ weightKg: 6.8, qty: 5 }], 'DE'), 15.9);
  });

  it('adds the surcharge of the destination', () => {
    assert.equal(shippingCost([{ weightKg: 1, qty: 1 }], 'AT'), 7.4);
    assert.equal(shippingCost([{ weightKg: 1, qty: 1 }], 'CH'), 16.9);
  });

  it('does not weigh digital items', () => {
    assert.equal(shippingCost([{ weightKg: 0.4, qty: 1 }, { weightKg: 0, qty: 3, digital: true }], 'DE'), 4.9);
  });
});
