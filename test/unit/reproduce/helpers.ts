// Bundles for the reproduction tests: the fixture repositories' hand-written Sentry webhooks
// (test/fixtures/repro-repos/<name>/incident.sentry.json) through the real intake and assembler.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Bundle } from '../../../schemas/bundle.ts';
import { RepoConfig } from '../../../schemas/repo-config.ts';
import type { Framework } from '../../../schemas/test-results.ts';
import { assembleBundle } from '../../../src/assemble/assemble.ts';
import { fingerprint } from '../../../src/evidence/fingerprint.ts';
import { parseSentryDelivery } from '../../../src/intake/sentry/index.ts';

export const REPRO_REPOS = path.resolve(import.meta.dirname, '../../fixtures/repro-repos');

export const INCIDENT_IDS: Record<string, string> = {
  'js-cart': 'inc_7f3a9c21e0',
  'ts-invoices': 'inc_2b81d04c77',
  'py-orders': 'inc_c4e59a1180',
};

/** The fixture's incident webhook, parsed and assembled into a bundle; `edit` may change the
 * Sentry event first (to build a wrong reconstruction, say). */
export async function fixtureBundle(name: string, edit?: (event: Record<string, any>) => void): Promise<Bundle> {
  return sentryFileBundle(path.join(REPRO_REPOS, name, 'incident.sentry.json'), INCIDENT_IDS[name] ?? `inc_${name}`, edit);
}

/** Any Sentry `event_alert` webhook file (an example service's incident, say) assembled the same way. */
export async function sentryFileBundle(file: string, incidentId: string, edit?: (event: Record<string, any>) => void): Promise<Bundle> {
  const body = JSON.parse(readFileSync(file, 'utf8')) as { data: { event: Record<string, any> } };
  edit?.(body.data.event);
  const outcome = parseSentryDelivery({
    raw: Buffer.from(JSON.stringify(body)),
    headers: { 'sentry-hook-resource': 'event_alert', 'request-id': 'f'.repeat(32) },
    receivedAt: new Date('2025-07-01T12:03:01Z'),
  });
  assert.equal(outcome.kind, 'alert');
  const alert = outcome.alert;
  const { bundle } = await assembleBundle({
    incident: { id: incidentId, fingerprint: fingerprint(alert) },
    alerts: [alert],
    spans: [],
    logs: [],
    options: { redaction: { key: Buffer.alloc(32, 7) } },
  });
  return bundle;
}

/** Frames of the Sentry event's only exception, caller → callee (Sentry's order). */
export function sentryFrames(event: Record<string, any>): Record<string, any>[] {
  return event['exception'].values[0].stacktrace.frames as Record<string, any>[];
}

/** A resolved repo config for unit tests (nothing detected, nothing read). */
export function repoConfig(framework: Framework, files: string[] = []): RepoConfig {
  const python = framework === 'pytest' || framework === 'unittest';
  return RepoConfig.parse({
    language: python ? 'python' : 'node',
    framework,
    image: 'x',
    test: { command: python ? 'python3 -m pytest' : 'node --test', files },
    paths: { allow: [], deny: [] },
    maxPatchLines: 200,
    maxPatchFiles: 5,
    flakeReruns: 3,
    timeouts: { installMs: 1, testMs: 1, singleTestMs: 1, checkMs: 1 },
    source: { file: null, detected: [] },
  });
}

