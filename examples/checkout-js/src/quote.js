'use strict';

const { findProducts } = require('./catalog.js');
const { shippingCost } = require('./shipping.js');
const { log, span } = require('./telemetry.js');

/** Looks the SKUs up in the catalog (a database query in production, hence async). */
async function loadProducts(skus) {
  return span('catalog.load_products', { 'catalog.sku_count': skus.length }, async () => findProducts(skus));
}

function round(amount) {
  return Math.round(amount * 100) / 100;
}

/**
 * Prices a cart `{ items: [{ sku, qty }], addOns?: [sku], country }`: the lines, the add-ons
 * (gift wrapping, warranty) once per order, and shipping to the country.
 */
async function quote(cart) {
  const products = await loadProducts(cart.items.map((item) => item.sku));
  const lines = cart.items.map((item, i) => ({ sku: item.sku, qty: item.qty, amount: round(products[i].price * item.qty) }));
  let subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  if (cart.addOns && cart.addOns.length > 0) {
    const addOnPrices = loadProducts(cart.addOns).map((product) => product.price);
    subtotal += addOnPrices.reduce((sum, price) => sum + price, 0);
  }
  const parcel = cart.items.map((item, i) => ({ weightKg: products[i].weightKg, qty: item.qty, digital: products[i].digital === true }));
  const shipping = span('shipping.cost', { 'shipping.country': cart.country }, () => shippingCost(parcel, cart.country));
  log.info('quote priced', { 'checkout.subtotal': round(subtotal), 'checkout.shipping': shipping });
  return { currency: 'EUR', lines, subtotal: round(subtotal), shipping, total: round(subtotal + shipping) };
}

module.exports = { quote, loadProducts };
