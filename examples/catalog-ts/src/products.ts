// The product table. In production it is a database table behind a cache; here it is the data.
export interface Product {
  sku: string;
  name: string;
  /** Net price in EUR. */
  net: number;
  /** Last change, epoch milliseconds. */
  changedAt: number;
}

export const PRODUCTS: readonly Product[] = [
  { sku: 'MUG-01', name: 'Enamel mug', net: 12.5, changedAt: Date.UTC(2026, 3, 2, 9, 0, 0) },
  { sku: 'LAMP-3', name: 'Desk lamp', net: 100, changedAt: Date.UTC(2026, 4, 11, 14, 30, 0) },
  { sku: 'SOFA-9', name: 'Three-seat sofa', net: 1000, changedAt: Date.UTC(2026, 5, 20, 8, 15, 0) },
  { sku: 'RUG-4', name: 'Wool rug', net: 340, changedAt: Date.UTC(2026, 5, 28, 17, 45, 0) },
];

export function productBySku(sku: string): Product | undefined {
  return PRODUCTS.find((p) => p.sku === sku);
}
