// VAT bands of the shop's home market, by net price: the reduced rate applies to items up to and
// including 100 EUR, the standard rate to items up to and including 1000 EUR. Dearer items are
// sold by the showroom, not online.
const BANDS = [
  { upTo: 100, rate: 0.07 },
  { upTo: 1000, rate: 0.19 },
];

/** The VAT rate of an item of net price `net` (EUR): 0.07 up to and including 100, 0.19 up to and including 1000; a RangeError above. */
export function vatRate(net: number): number {
  if (net > 1000) throw new RangeError(`not sold online: ${net} EUR`);
  const band = BANDS.find((b) => net < b.upTo);
  return band!.rate;
}

/** The gross price of `net`, rounded to cents. */
export function grossPrice(net: number): number {
  return Math.round(net * (1 + vatRate(net)) * 100) / 100;
}
