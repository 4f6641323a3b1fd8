// Shared by the intake unit tests: fixture loading and Delivery construction.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Alert } from '../../../schemas/alert.ts';
import type { Delivery, IntakeOutcome } from '../../../src/intake/types.ts';

export const FIXTURES_DIR = new URL('../../fixtures/', import.meta.url);
export const RECEIVED_AT = new Date('2026-01-02T03:04:05.000Z');

export function fixture(path: string): Buffer {
  return readFileSync(new URL(path, FIXTURES_DIR));
}

export function fixtureJson<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(fixture(path).toString('utf8')) as T;
}

/** Headers are lower-cased, as Node delivers them. */
export function delivery(body: Buffer | string | object, headers: Record<string, string> = {}): Delivery {
  const raw = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { raw, headers: lower, receivedAt: RECEIVED_AT };
}

export function expectAlert(outcome: IntakeOutcome): Alert {
  assert.equal(outcome.kind, 'alert', outcome.kind === 'ignored' ? `ignored: ${outcome.reason}` : '');
  return (outcome as { alert: Alert }).alert;
}

export function expectIgnored(outcome: IntakeOutcome): { deliveryId: string; event: string; reason: string } {
  assert.equal(outcome.kind, 'ignored');
  const ignored = outcome as Extract<IntakeOutcome, { kind: 'ignored' }>;
  assert.ok(ignored.reason.length > 0, 'an ignored delivery says why');
  return ignored;
}

/** Runs `fn`, expecting a RequestError(400, 'TF_BAD_PAYLOAD'); returns its details. */
export function expectBadPayload(fn: () => unknown): { path: string; message: string }[] {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught, 'expected a RequestError');
  const error = caught as { statusCode?: number; code?: string; details?: { path: string; message: string }[] };
  assert.equal(error.statusCode, 400);
  assert.equal(error.code, 'TF_BAD_PAYLOAD');
  return error.details ?? [];
}
