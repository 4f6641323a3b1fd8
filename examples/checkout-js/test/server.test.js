const { after, before, describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { createServer } = require('../src/server.js');

describe('HTTP', () => {
  let server;
  let base;

  before(async () => {
    server = createServer();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${server.address().port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  const post = (path, body) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('POST /quote answers with the priced cart', async () => {
    const res = await post('/quote', { items: [{ sku: 'MUG-01', qty: 1 }], country: 'DE' });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      currency: 'EUR',
      lines: [{ sku: 'MUG-01', qty: 1, amount: 12.5 }],
      subtotal: 12.5,
      shipping: 4.9,
      total: 17.4,
    });
  });

  it('answers 400 for a malformed cart or an unknown SKU, 404 elsewhere', async () => {
    assert.equal((await post('/quote', '{')).status, 400);
    assert.equal((await post('/quote', { items: [] , country: 'DE' })).status, 400);
    assert.equal((await post('/quote', { items: [{ sku: 'NOPE', qty: 1 }], country: 'DE' })).status, 400);
    assert.equal((await post('/orders', {})).status, 404);
  });
});
