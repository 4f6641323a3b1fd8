// Property-based fuzzing of every endpoint: whatever arrives, signed or not, well-formed or not,
// the answer is never a 5xx (a 503 for a deliberately unconfigured source aside, tested elsewhere).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import fc from 'fast-check';
import { buildTestApp, dashboardAuthHeaders, githubSignature, SECRETS, sentrySignature, type TestApp } from '../../helpers/app.ts';

const FIXTURES = new URL('../../fixtures/', import.meta.url);
const fixtureBodies = ['sentry', 'github', 'datadog'].flatMap((dir) =>
  readdirSync(new URL(`${dir}/`, FIXTURES)).map((f) => JSON.parse(readFileSync(new URL(`${dir}/${f}`, FIXTURES), 'utf8')) as unknown),
);

/** Replaces one random subtree of a real payload, so the parsers see almost-valid shapes. */
function mutate(value: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  if (entries.length === 0) return replacement;
  const [head, ...rest] = path;
  const index = head! % entries.length;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  const key = entries[index]![0];
  copy[key] = mutate(entries[index]![1], rest, replacement);
  return copy;
}

const body = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.tuple(fc.constantFrom(...fixtureBodies), fc.array(fc.nat(), { maxLength: 6 }), fc.jsonValue()).map(([f, p, r]) =>
    JSON.stringify(mutate(f, p, r)),
  ),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/xml',
  '',
);
const resource = fc.oneof(fc.constantFrom('event_alert', 'error', 'issue', 'installation', 'metric_alert', 'seer'), fc.string({ maxLength: 20 }));
const githubEvent = fc.oneof(fc.constantFrom('issues', 'ping', 'check_run', 'workflow_run'), fc.string({ maxLength: 20 }));

describe('fuzzing every endpoint', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  const seen = new Map<string, Set<number>>();
  const noServerError = async (req: InjectOptions) => {
    const res = await t.app.inject(req);
    const route = String(req.url).split('?')[0]!.replace(/legacy\/.*/, 'legacy');
    seen.set(route, (seen.get(route) ?? new Set()).add(res.statusCode));
    assert.ok(res.statusCode < 500, `${res.statusCode} ${res.body}`);
    assert.doesNotThrow(() => JSON.parse(res.body), 'every answer is JSON');
  };

  test('Sentry, correctly signed or not', async () => {
    await fc.assert(
      fc.asyncProperty(body, contentType, resource, fc.boolean(), fc.string({ maxLength: 40 }), async (b, ct, res, sign, requestId) => {
        const headers: Record<string, string> = { 'sentry-hook-resource': res, 'request-id': requestId };
        if (ct) headers['content-type'] = ct;
        if (sign) headers['sentry-hook-signature'] = sentrySignature(Buffer.from(b, 'utf8'));
        await noServerError({ method: 'POST', url: '/webhooks/sentry', payload: b, headers });
      }),
      { numRuns: 300 },
    );
  });

  test('GitHub, correctly signed or not', async () => {
    await fc.assert(
      fc.asyncProperty(body, contentType, githubEvent, fc.boolean(), fc.string({ maxLength: 40 }), async (b, ct, event, sign, delivery) => {
        const headers: Record<string, string> = { 'x-github-event': event, 'x-github-delivery': delivery };
        if (ct) headers['content-type'] = ct;
        if (sign) headers['x-hub-signature-256'] = githubSignature(Buffer.from(b, 'utf8'));
        await noServerError({ method: 'POST', url: '/webhooks/github', payload: b, headers });
      }),
      { numRuns: 300 },
    );
  });

  test('Datadog and the legacy Sentry plugin, authenticated or not', async () => {
    await fc.assert(
      fc.asyncProperty(body, contentType, fc.boolean(), async (b, ct, auth) => {
        const headers: Record<string, string> = ct ? { 'content-type': ct } : {};
        if (auth) headers.authorization = `Bearer ${SECRETS.TRACEFIX_DATADOG_TOKEN}`;
        await noServerError({ method: 'POST', url: '/webhooks/datadog', payload: b, headers });
        const token = auth ? SECRETS.TRACEFIX_SENTRY_LEGACY_TOKEN : 'wrong';
        await noServerError({ method: 'POST', url: `/webhooks/sentry/legacy/${token}`, payload: b, headers: ct ? { 'content-type': ct } : {} });
      }),
      { numRuns: 200 },
    );
  });

  test('the read API with arbitrary query strings and ids', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('status', 'source', 'service', 'limit', 'cursor', 'x'), fc.string({ maxLength: 30 })),
        fc.string({ maxLength: 40 }),
        async (query, id) => {
          const qs = new URLSearchParams(query).toString();
          await noServerError({ method: 'GET', url: `/api/incidents?${qs}`, headers: dashboardAuthHeaders() });
          await noServerError({ method: 'GET', url: `/api/incidents/${encodeURIComponent(id)}`, headers: dashboardAuthHeaders() });
        },
      ),
      { numRuns: 200 },
    );
  });

  test('the fuzzing reached the parsers, not only the signature check', () => {
    for (const route of ['/webhooks/sentry', '/webhooks/github', '/webhooks/datadog']) {
      const statuses = seen.get(route) ?? new Set();
      assert.ok(statuses.has(400), `${route} saw a 400 from its parser: ${[...statuses]}`);
      assert.ok(statuses.has(401), `${route} saw a 401: ${[...statuses]}`);
      assert.ok([...statuses].some((s) => s === 200 || s === 202), `${route} accepted something: ${[...statuses]}`);
    }
  });

  test('unknown routes and methods', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'), fc.webPath(), body, async (method, path, b) => {
        await noServerError({ method: method as InjectOptions['method'], url: path || '/', payload: method === 'GET' ? undefined : b, headers: { 'content-type': 'application/json' } });
      }),
      { numRuns: 150 },
    );
  });
});
