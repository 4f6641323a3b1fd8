// Builders for the assembler tests: OTLP-shaped spans and logs as the trace store returns them,
// Sentry fixtures turned into Alerts through the real intake, and default options.
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import type { Alert } from '../../../schemas/alert.ts';
import { Bundle } from '../../../schemas/bundle.ts';
import type { LogRecord, SpanRecord } from '../../../schemas/telemetry.ts';
import { assembleBundle, type AssembleInput, type AssembleResult } from '../../../src/assemble/assemble.ts';
import type { AssembleOptions } from '../../../src/assemble/options.ts';
import { parseSentryDelivery, sentryEventToAlert } from '../../../src/intake/sentry/index.ts';
import { SentryEvent } from '../../../src/intake/sentry/schemas.ts';

export const TRACE_ID = '5b8efff798038103d269b633813fc60c';
export const KEY = Buffer.alloc(32, 0x2a);
/** 2025-07-01T12:03:00Z */
export const T0_MS = 1_751_371_380_000;

export function ns(ms: number): string {
  return (BigInt(Math.round(ms * 1000)) * 1000n).toString();
}

export function fixture(path: string): string {
  return readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');
}

/** The Sentry sample event (python-modern) through the real intake, as an `error.created` alert. */
export function pythonAlert(overrides: Partial<Alert> = {}): Alert {
  const event = SentryEvent.parse(JSON.parse(fixture('sentry/event-sample-python-modern.json')));
  const alert = sentryEventToAlert(event, { deliveryId: 'd-python', receivedAt: new Date(T0_MS + 1500), kind: 'error.created' });
  return { ...alert, ...overrides };
}

/** The issue-alert webhook fixture (a browser JS event) through the real delivery parser. */
export function browserAlert(): Alert {
  const outcome = parseSentryDelivery({
    raw: Buffer.from(fixture('sentry/integration-event-alert-triggered.json')),
    headers: { 'sentry-hook-resource': 'event_alert', 'request-id': 'a'.repeat(32) },
    receivedAt: new Date(T0_MS),
  });
  assert.equal(outcome.kind, 'alert');
  return outcome.alert;
}

let spanCounter = 0;
export function spanId(n = ++spanCounter): string {
  return n.toString(16).padStart(16, '0');
}

export function span(overrides: Partial<SpanRecord> & { spanId: string }): SpanRecord {
  return {
    traceId: TRACE_ID,
    name: 'work',
    kind: 1,
    startTimeUnixNano: ns(T0_MS),
    endTimeUnixNano: ns(T0_MS + 10),
    statusCode: 0,
    service: 'checkout',
    attributes: {},
    resource: { 'service.name': 'checkout' },
    events: [],
    ...overrides,
  };
}

export function log(overrides: Partial<LogRecord> & { body: string }): LogRecord {
  return {
    timeUnixNano: ns(T0_MS),
    severityNumber: 9,
    service: 'checkout',
    attributes: {},
    resource: { 'service.name': 'checkout' },
    ...overrides,
  };
}

export function options(extra: Partial<AssembleOptions> = {}): AssembleOptions {
  return { redaction: { key: KEY }, ...extra };
}

/** assembleBundle + the invariants every bundle must hold. */
export async function assemble(input: Partial<AssembleInput> & { alerts: Alert[] }): Promise<AssembleResult> {
  const result = await assembleBundle({
    incident: { id: 'inc_test', fingerprint: 'f'.repeat(64) },
    spans: [],
    logs: [],
    options: options(),
    ...input,
  });
  assert.equal(Bundle.safeParse(result.bundle).success, true, 'bundle matches its schema');
  assert.equal(Bundle.safeParse(JSON.parse(result.canonicalJson)).success, true, 'canonical JSON parses back');
  assert.ok(result.bundle.budget.tokensAfter <= result.bundle.budget.limit || result.bundle.budget.overBudget);
  return result;
}
