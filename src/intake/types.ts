// What every intake source's parser returns. The HTTP routes verify the delivery, call the
// source's parser, then hand the outcome to the app's IntakeWriter (src/store/intake-writer.ts),
// which writes it durably (delivery, incident, alert, outbox) in one transaction, shared with the
// deliveries that arrived at the same time.
import type { Alert, AlertSource } from '../../schemas/alert.ts';

export type IntakeOutcome =
  | { kind: 'alert'; alert: Alert }
  /** A genuine delivery we do not act on (installation, metric_alert, unlabeled issue, untrusted
   * sender...). It is still recorded, so a redelivery is recognised. */
  | { kind: 'ignored'; source: AlertSource; deliveryId: string; event: string; reason: string };

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
