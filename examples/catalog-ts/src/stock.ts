// Stock levels, one query per warehouse.
export const WAREHOUSES = ['berlin', 'rotterdam', 'lyon'] as const;

const LEVELS: Record<string, Record<string, number>> = {
  berlin: { 'MUG-01': 40, 'LAMP-3': 2, 'SOFA-9': 0, 'RUG-4': 1 },
  rotterdam: { 'MUG-01': 12, 'LAMP-3': 0, 'SOFA-9': 3, 'RUG-4': 0 },
  lyon: { 'MUG-01': 0, 'LAMP-3': 5, 'SOFA-9': 1, 'RUG-4': 0 },
};

/**
 * The inventory service's client: JSON over HTTP in production, untyped like its responses.
 * `stock` resolves to `{ warehouse, units: { available } }`.
 */
export const inventory: { stock(sku: string, warehouse: string): any } = {
  stock: (sku, warehouse) => new Promise((resolve) => setImmediate(() => resolve({ warehouse, units: { available: LEVELS[warehouse]?.[sku] ?? 0 } }))),
};

/** Units of `sku` available across every warehouse, and the warehouses that have any. */
export async function totalStock(sku: string): Promise<{ sku: string; available: number; warehouses: string[] }> {
  const levels = WAREHOUSES.map((w) => inventory.stock(sku, w));
  let available = 0;
  const warehouses: string[] = [];
  for (const level of levels) {
    available += level.units.available;
    if (level.units.available > 0) warehouses.push(level.warehouse);
  }
  return { sku, available, warehouses };
}
