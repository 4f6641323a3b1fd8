import type { InvoiceLine, Payment } from './types.ts';

export function round2(amount: number): number {
  return Math.round(amount * 100) / 100;
}

export function invoiceTotal(lines: readonly InvoiceLine[]): number {
  return round2(lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0));
}

export function paidAmount(payments: readonly Payment[]): number {
  return round2(payments.reduce((sum, p) => sum + p.amount, 0));
}

/** `1234.5, 'EUR'` → `1,234.50 EUR`. */
export function formatMoney(amount: number, currency: string): string {
  const [whole = '0', cents = '00'] = Math.abs(amount).toFixed(2).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${amount < 0 ? '-' : ''}${grouped}.${cents} ${currency}`;
}
