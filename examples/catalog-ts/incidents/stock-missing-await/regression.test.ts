// Added by the fix commit as test/regression/stock-missing-await.test.ts.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { totalStock } from '../../src/stock.ts';

it('sums the stock of every warehouse', async () => {
  assert.deepEqual(await totalStock('LAMP-3'), { sku: 'LAMP-3', available: 7, warehouses: ['berlin', 'lyon'] });
  assert.deepEqual(await totalStock('RUG-4'), { sku: 'RUG-4', available: 1, warehouses: ['berlin'] });
});
