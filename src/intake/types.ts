// What every intake source's parser returns. The HTTP routes verify the delivery, call the
// source's parser, then hand the outcome to the app's IntakeWriter (src/intake/writer.ts),
// which writes it durably (delivery, incident, alert, outbox) in one transaction, shared with the
// deliveries that arrived at the same time.
import type { DeliveryOutcome } from '../store/incident-store.ts';

/** What every source's parser returns; the store records it as it is. */
export type IntakeOutcome = DeliveryOutcome;

/** The raw delivery as the route saw it: bytes untouched (signatures are over bytes). */
export interface Delivery {
  raw: Buffer;
  headers: Record<string, string | string[] | undefined>;
  receivedAt: Date;
}

export function header(delivery: Delivery, name: string): string | undefined {
  const value = delivery.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
