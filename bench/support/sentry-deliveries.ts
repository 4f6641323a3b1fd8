// Genuine Sentry integration-platform `event_alert` deliveries for load tests: the recorded fixture
// with a fresh event id and Request-ID per delivery, one of `fingerprints` distinct errors (the
// exception message varies, so the incident fingerprint does), signed with the client secret over
// the exact bytes sent, as Sentry signs them.
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const BENCH_SENTRY_SECRET = 'bench-sentry-client-secret';

const FIXTURE = new URL('../../test/fixtures/sentry/integration-event-alert-triggered.json', import.meta.url);
const FIXTURE_EVENT_ID = 'e4874d664c3540c1a32eab185f12c5ab';
const FIXTURE_MESSAGE = 'heck is not defined';

export interface SignedDelivery {
  requestId: string;
  body: string;
  headers: Record<string, string>;
}

export interface DeliveryFactory {
  /** The next delivery: a new Request-ID and event id, the error cycling over the fingerprints. */
  next(): SignedDelivery;
  /** How many deliveries were made so far. */
  readonly made: number;
}

export function sentryDeliveryFactory(options: { fingerprints?: number; secret?: string } = {}): DeliveryFactory {
  const fingerprints = options.fingerprints ?? 50;
  const secret = options.secret ?? BENCH_SENTRY_SECRET;
  const text = readFileSync(FIXTURE, 'utf8');
  if (!text.includes(FIXTURE_EVENT_ID) || !text.includes(FIXTURE_MESSAGE)) {
    throw new Error('The Sentry event_alert fixture changed; update bench/support/sentry-deliveries.ts');
  }
  // Split once around the parts that vary; each delivery is a join of these pieces.
  const pieces = text.split(FIXTURE_EVENT_ID).map((part) => part.split(FIXTURE_MESSAGE));
  // "heck7 is not defined": the digits are glued to an identifier, so the fingerprint keeps them.
  const messages = Array.from({ length: fingerprints }, (_, i) => `heck${i} is not defined`);
  // Unique per process run: a random prefix and a counter (32 hex chars, like Sentry's uuid hex).
  const prefix = randomBytes(8).toString('hex');
  let made = 0;
  return {
    get made() {
      return made;
    },
    next() {
      const n = made++;
      const id = `${prefix}${n.toString(16).padStart(16, '0')}`;
      const message = messages[n % fingerprints] as string;
      const body = pieces.map((part) => part.join(message)).join(id);
      return {
        requestId: id,
        body,
        headers: {
          'content-type': 'application/json',
          'request-id': id,
          'sentry-hook-resource': 'event_alert',
          'sentry-hook-timestamp': String(Math.floor(Date.now() / 1000)),
          'sentry-hook-signature': createHmac('sha256', secret).update(body).digest('hex'),
        },
      };
    },
  };
}
