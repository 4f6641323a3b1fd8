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

  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('POST /invoices/statement answers with the text statement', async () => {
    const res = await post('/invoices/statement', {
      id: 'INV-1',
      customer: 'Initech',
      currency: 'USD',
      lines: [{ description: 'Licence', quantity: 2, unitPrice: 50 }],
      payments: [],
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    assert.match(await res.text(), /^Total {5}100\.00 USD$/m);
  });

  it('answers 400 for a body that is no invoice, 404 elsewhere', async () => {
    assert.equal((await post('/invoices/statement', '{')).status, 400);
    assert.equal((await post('/invoices/statement', { id: 'INV-1' })).status, 400);
    assert.equal((await post('/invoices', {})).status, 404);
  });
});
