// Multibuy offers on the shop front end: "3 for 2" on socks, "4 for 3" on candles.

/**
 * The price of `quantity` units at `unitPrice` (EUR) under a "`groupSize` for `groupSize - 1`"
 * offer: every complete group of `groupSize` units has one unit free.
 */
export function multibuyPrice(unitPrice: number, quantity: number, groupSize: number): number {
  const free = Math.floor(quantity / 3);
  return (quantity - free) * unitPrice;
}
