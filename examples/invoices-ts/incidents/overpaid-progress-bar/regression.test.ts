// Added by the fix commit as test/regression/overpaid-progress-bar.test.ts.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { progressBar } from '../../src/progress.ts';
import { renderStatement } from '../../src/statement.ts';

it('renders an overpaid invoice with a full bar and a credit balance', () => {
  const text = renderStatement({
    id: 'INV-2207',
    customer: 'Umbrella Corp',
    currency: 'EUR',
    lines: [{ description: 'Consulting, April', quantity: 4, unitPrice: 150 }],
    payments: [
      { date: '2026-05-02', amount: 600 },
      { date: '2026-05-03', amount: 60 },
    ],
  });
  assert.match(text, /^Paid {6}660\.00 EUR \[#{20}\] 110%$/m);
  assert.match(text, /^Balance {3}-60\.00 EUR$/m);
});

it('keeps the bar within its cells for any share', () => {
  assert.equal(progressBar(250, 4), '[####]');
  assert.equal(progressBar(-10, 4), '[----]');
});
