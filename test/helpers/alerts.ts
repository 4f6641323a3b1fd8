import { randomUUID } from 'node:crypto';
import type { Alert } from '../../schemas/alert.ts';

/** A valid Alert with sensible defaults; override what the test is about. */
export function makeAlert(overrides: Partial<Alert> = {}): Alert {
  const frames = overrides.frames ?? [
    { file: 'src/server.js', function: 'handle', line: 10, inApp: true },
    { file: 'src/cart.js', function: 'totalPrice', line: 42, inApp: true },
  ];
  return {
    source: 'sentry',
    deliveryId: randomUUID().replaceAll('-', ''),
    receivedAt: new Date().toISOString(),
    kind: 'event_alert.triggered',
    title: "TypeError: Cannot read properties of undefined (reading 'price')",
    errorType: 'TypeError',
    message: "Cannot read properties of undefined (reading 'price')",
    exceptions: [],
    frames,
    tags: {},
    sourceRefs: {},
    ...overrides,
  };
}
