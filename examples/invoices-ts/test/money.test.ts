import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMoney, invoiceTotal, paidAmount } from '../src/money.ts';
import { progressBar } from '../src/progress.ts';

describe('money', () => {
  it('adds the lines and the payments', () => {
    assert.equal(invoiceTotal([{ description: 'a', quantity: 3, unitPrice: 0.1 }]), 0.3);
    assert.equal(paidAmount([{ date: '2026-01-01', amount: 10.005 }, { date: '2026-01-02', amount: 5 }]), 15.01);
  });

  it('formats amounts with grouping and the currency', () => {
    assert.equal(formatMoney(1234.5, 'EUR'), '1,234.50 EUR');
    assert.equal(formatMoney(-12, 'USD'), '-12.00 USD');
    assert.equal(formatMoney(0, 'CHF'), '0.00 CHF');
  });
});

describe('progressBar', () => {
  it('fills cells in proportion', () => {
    assert.equal(progressBar(0), '[--------------------]');
    assert.equal(progressBar(25, 8), '[##------]');
    assert.equal(progressBar(100, 4), '[####]');
  });
});
