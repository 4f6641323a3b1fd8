'use strict';

/** Weight bands (upper bound in kg, inclusive) and their base rate in EUR. */
const BANDS = [
  { maxKg: 2, rate: 4.9 },
  { maxKg: 10, rate: 8.9 },
  { maxKg: 31.5, rate: 15.9 },
];

/** Surcharge per destination country on top of the band rate; other countries pay 12 EUR. */
const SURCHARGE = { DE: 0, AT: 2.5, NL: 2.5, FR: 3.5 };

function round(amount) {
  return Math.round(amount * 100) / 100;
}

/** Total weight in kg of the parcel holding `items` ({ weightKg, qty }). */
function parcelWeight(items) {
  return items.map((item) => item.weightKg * item.qty).reduce((sum, kg) => sum + kg);
}

/**
 * Shipping for a cart's items ({ weightKg, qty, digital? }) to `country`: the rate of the weight
 * band plus the country's surcharge. Digital items (e-gift cards, warranties) are not shipped.
 */
function shippingCost(items, country) {
  const weight = parcelWeight(items.filter((item) => !item.digital));
  if (weight === 0) return 0; // nothing to put in a parcel
  const band = BANDS.find((b) => weight <= b.maxKg) ?? BANDS[BANDS.length - 1];
  return round(band.rate + (SURCHARGE[country] ?? 12));
}

module.exports = { shippingCost, parcelWeight };
