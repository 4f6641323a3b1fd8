import { formatMoney, invoiceTotal, paidAmount, round2 } from './money.ts';
import { progressBar } from './progress.ts';
import type { Invoice } from './types.ts';

const pad = (label: string) => label.padEnd(10);

/** The plain-text statement of an invoice: its lines, the total, what is paid and the balance. */
export function renderStatement({ id, customer, currency, lines, payments }: Invoice): string {
  const total = invoiceTotal(lines);
  const paid = paidAmount(payments);
  const percent = total === 0 ? 100 : Math.round((paid / total) * 100);
  const out = [`Statement ${id} for ${customer}`, ''];
  for (const line of lines) {
    const amount = formatMoney(round2(line.quantity * line.unitPrice), currency);
    out.push(`${String(line.quantity).padStart(3)} x ${line.description.padEnd(28)}${amount.padStart(16)}`);
  }
  out.push('', `${pad('Total')}${formatMoney(total, currency)}`);
  out.push(`${pad('Paid')}${formatMoney(paid, currency)} ${progressBar(percent)} ${percent}%`);
  out.push(`${pad('Balance')}${formatMoney(round2(total - paid), currency)}`);
  return out.join('\n');
}
