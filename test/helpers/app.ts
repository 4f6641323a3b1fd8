// buildApp() over a real database, with a logger whose lines the test can read.
import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config.ts';
import { buildApp } from '../../src/server/app.ts';
import type { AppDeps } from '../../src/server/deps.ts';
import { createLogger } from '../../src/telemetry.ts';
import { pgliteDb, type TestDb } from './databases.ts';

export const SECRETS = {
  TRACEFIX_SENTRY_CLIENT_SECRET: 'sentry-client-secret-for-tests',
  TRACEFIX_GITHUB_WEBHOOK_SECRET: "It's a Secret to Everybody",
  TRACEFIX_DATADOG_TOKEN: 'datadog-shared-token-for-tests',
  TRACEFIX_SENTRY_LEGACY_TOKEN: 'legacy-url-token-for-tests',
  TRACEFIX_GITHUB_TRUSTED_LOGINS: 'Codertocat',
} as const;

/** The dashboard token every test app gets unless its env sets TRACEFIX_DASHBOARD_TOKEN itself. */
export const TEST_DASHBOARD_TOKEN = 'dashboard-token-for-tests-0123456789';

/** Headers that authenticate a script's call to /api/*, /admin/* or /metrics on a test app:
 * `app.inject({ url: '/api/incidents', headers: dashboardAuthHeaders() })`. */
export function dashboardAuthHeaders(token: string = TEST_DASHBOARD_TOKEN): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  testDb: TestDb;
  /** Every log line written so far, parsed. */
  logs(): Record<string, unknown>[];
  /** Every log line, raw: for asserting that no secret was written. */
  rawLogs(): string;
  created: string[];
  close(): Promise<void>;
}

export async function buildTestApp(
  env: Record<string, string | undefined> = SECRETS,
  options: { db?: TestDb; deps?: Partial<AppDeps> } = {},
): Promise<TestApp> {
  const config = loadConfig({ LOG_LEVEL: 'debug', TRACEFIX_DATA_DIR: '/tmp/tracefix-test', TRACEFIX_DASHBOARD_TOKEN: TEST_DASHBOARD_TOKEN, ...env });
  let raw = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      raw += chunk.toString();
      done();
    },
  });
  const log = createLogger(config, sink);
  const testDb = options.db ?? (await pgliteDb());
  const created: string[] = [];
  const app = await buildApp({ config, log, db: testDb.db, onIncidentCreated: (id) => created.push(id), ...options.deps });
  await app.ready();
  return {
    app,
    config,
    testDb,
    created,
    logs: () => raw.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
    rawLogs: () => raw,
    close: async () => {
      await app.close();
      await testDb.drop();
    },
  };
}

export function sentrySignature(body: Buffer | string, secret: string = SECRETS.TRACEFIX_SENTRY_CLIENT_SECRET): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

export function githubSignature(body: Buffer | string, secret: string = SECRETS.TRACEFIX_GITHUB_WEBHOOK_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Headers of a genuine Sentry integration-platform delivery. */
export function sentryHeaders(body: Buffer | string, resource: string, requestId: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'request-id': requestId,
    'sentry-hook-resource': resource,
    'sentry-hook-timestamp': String(Math.floor(Date.now() / 1000)),
    'sentry-hook-signature': sentrySignature(body),
  };
}

export function githubHeaders(body: Buffer | string, event: string, delivery: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': delivery,
    'x-hub-signature-256': githubSignature(body),
  };
}
