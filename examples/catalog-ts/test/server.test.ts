import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createServer } from '../src/server.ts';

describe('HTTP', () => {
  const server = createServer();
  let base = '';

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('GET /products/{sku}/price answers the gross price', async () => {
    const res = await fetch(`${base}/products/RUG-4/price`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { sku: 'RUG-4', net: 340, vatRate: 0.19, gross: 404.6, promoPercent: 0, price: 404.6 });
  });

  it('GET /products/changes lists what changed', async () => {
    const res = await fetch(`${base}/products/changes?since=2026-06-01T00:00:00Z`);
    assert.deepEqual(await res.json(), { since: '2026-06-01T00:00:00.000Z', changed: ['SOFA-9', 'RUG-4'] });
  });

  it('answers 400 without since, 404 for unknown products and routes', async () => {
    assert.equal((await fetch(`${base}/products/changes`)).status, 400);
    assert.equal((await fetch(`${base}/products/NOPE/price`)).status, 404);
    assert.equal((await fetch(`${base}/products/NOPE/stock`)).status, 404);
    assert.equal((await fetch(`${base}/orders`)).status, 404);
  });
});
