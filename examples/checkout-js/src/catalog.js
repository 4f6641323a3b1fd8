'use strict';

// The product catalog. In production it is a table behind a cache; here it is the data itself.
const PRODUCTS = new Map(
  [
    { sku: 'MUG-01', name: 'Enamel mug', price: 12.5, weightKg: 0.4 },
    { sku: 'TEE-M', name: 'T-shirt, size M', price: 19.9, weightKg: 0.25 },
    { sku: 'KETTLE-2', name: 'Stovetop kettle', price: 39, weightKg: 1.3 },
    { sku: 'CHAIR-7', name: 'Folding chair', price: 64, weightKg: 6.8 },
    { sku: 'GIFT-25', name: 'E-gift card 25 EUR', price: 25, weightKg: 0, digital: true },
    { sku: 'GIFT-50', name: 'E-gift card 50 EUR', price: 50, weightKg: 0, digital: true },
    { sku: 'WRAP', name: 'Gift wrapping', price: 3.5, weightKg: 0.05, addOn: true },
    { sku: 'WARRANTY-2Y', name: 'Two-year warranty', price: 9, weightKg: 0, digital: true, addOn: true },
  ].map((p) => [p.sku, p]),
);

class UnknownProductError extends Error {
  constructor(sku) {
    super(`unknown SKU ${sku}`);
    this.name = 'UnknownProductError';
    this.sku = sku;
  }
}

/** The products of `skus`, in the same order; throws UnknownProductError for a SKU not sold. */
function findProducts(skus) {
  return skus.map((sku) => {
    const product = PRODUCTS.get(sku);
    if (!product) throw new UnknownProductError(sku);
    return product;
  });
}

module.exports = { findProducts, UnknownProductError };
