import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderStatement } from '../src/statement.ts';
import type { Invoice } from '../src/types.ts';

const invoice: Invoice = {
  id: 'INV-2031',
  customer: 'Globex GmbH',
  currency: 'EUR',
  lines: [
    { description: 'Hosting, March', quantity: 1, unitPrice: 400 },
    { description: 'Support hours', quantity: 3, unitPrice: 200 },
  ],
  payments: [{ date: '2026-03-04', amount: 500 }],
};

describe('renderStatement', () => {
  it('lists the lines, the total, the payments and the balance', () => {
    assert.equal(
      renderStatement(invoice),
      [
        'Statement INV-2031 for Globex GmbH',
        '',
        '  1 x Hosting, March                    400.00 EUR',
        '  3 x Support hours                     600.00 EUR',
        '',
        'Total     1,000.00 EUR',
        'Paid      500.00 EUR [##########----------] 50%',
        'Balance   500.00 EUR',
      ].join('\n'),
    );
  });

  it('shows an unpaid invoice with an empty bar', () => {
    const text = renderStatement({ ...invoice, payments: [] });
    assert.match(text, /^Paid {6}0\.00 EUR \[-{20}\] 0%$/m);
    assert.match(text, /^Balance {3}1,000\.00 EUR$/m);
  });

  it('shows a settled invoice with a full bar', () => {
    const text = renderStatement({ ...invoice, payments: [...invoice.payments, { date: '2026-03-20', amount: 500 }] });
    assert.match(text, /\[#{20}\] 100%$/m);
    assert.match(text, /^Balance {3}0\.00 EUR$/m);
  });
});
