// What a new user meets at the HTTP surface (issue 20): errors that name what to do, a readiness
// that follows the database only, an incident list that refuses unknown statuses, and the retry
// endpoints over a real database (PGlite and Postgres).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { INCIDENT_STATUSES } from '../../../schemas/incident-status.ts';
import { recordOutcome } from '../../../src/store/incident-store.ts';
import { createRun, failRun } from '../../../src/store/run-store.ts';
import { makeAlert } from '../../helpers/alerts.ts';
import { buildTestApp, dashboardAuthHeaders, githubHeaders, SECRETS, sentryHeaders, type TestApp } from '../../helpers/app.ts';
import { ENGINES } from '../../helpers/databases.ts';
import { freePort } from '../../helpers/redis-server.ts';

const uid = () => randomUUID().replaceAll('-', '');

describe('HTTP errors name what to do', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ TRACEFIX_GITHUB_WEBHOOK_SECRET: SECRETS.TRACEFIX_GITHUB_WEBHOOK_SECRET, TRACEFIX_SENTRY_CLIENT_SECRET: SECRETS.TRACEFIX_SENTRY_CLIENT_SECRET });
  });
  after(() => t.close());

  test('503 for an unconfigured source names the variable in the response', async () => {
    const body = Buffer.from('{}');
    const res = await t.app.inject({ method: 'POST', url: '/webhooks/datadog', payload: body, headers: { 'content-type': 'application/json' } });
    assert.equal(res.statusCode, 503);
    assert.match(res.json().message, /set TRACEFIX_DATADOG_TOKEN/);
    assert.deepEqual(res.json().details, [{ path: 'TRACEFIX_DATADOG_TOKEN', message: 'not set on the server' }]);
  });

  test('415 names the content types accepted', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/webhooks/sentry', payload: '<xml/>', headers: { 'content-type': 'application/xml' } });
    assert.equal(res.statusCode, 415);
    assert.match(res.json().message, /application\/xml is not accepted; send one of: application\/json, application\/x-www-form-urlencoded/);
  });

  test('a form-encoded body on a JSON-only webhook is 415 naming application/json, and records nothing', async () => {
    const form = Buffer.from(`payload=${encodeURIComponent('{"action":"triggered"}')}`);
    const sentry = await t.app.inject({
      method: 'POST',
      url: '/webhooks/sentry',
      payload: form,
      headers: { ...sentryHeaders(form, 'event_alert', uid()), 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(sentry.statusCode, 415, sentry.body);
    assert.match(sentry.json().message, /application\/x-www-form-urlencoded is not accepted by sentry intake; send application\/json/);
    const github = await t.app.inject({
      method: 'POST',
      url: '/webhooks/github',
      payload: form,
      headers: { ...githubHeaders(form, 'issues', uid()), 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(github.statusCode, 415, github.body);
    assert.match(github.json().message, /send application\/json/);
    const [row] = await t.testDb.db.query<{ n: number }>('select count(*)::int as n from deliveries');
    assert.equal(row?.n, 0);
  });

  test('413 names the limit and the variable that sets it', async () => {
    const huge = Buffer.alloc(1024 * 1024 + 10, 0x20);
    const res = await t.app.inject({ method: 'POST', url: '/webhooks/sentry', payload: huge, headers: sentryHeaders(huge, 'event_alert', uid()) });
    assert.equal(res.statusCode, 413);
    assert.match(res.json().message, /limit of 1048576 bytes \(TRACEFIX_BODY_LIMIT sets it\)/);
  });

  test('?status=bogus is 400 naming every allowed status; a real status filters', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/incidents?status=bogus', headers: dashboardAuthHeaders() });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'TF_BAD_STATUS');
    for (const status of INCIDENT_STATUSES) assert.ok(res.json().message.includes(status), status);
    assert.ok(INCIDENT_STATUSES.includes('regressed') && INCIDENT_STATUSES.includes('verified'));
    const ok = await t.app.inject({ method: 'GET', url: '/api/incidents?status=failed', headers: dashboardAuthHeaders() });
    assert.equal(ok.statusCode, 200);
  });
});

describe('readiness is the database; Redis is reported, not unready', () => {
  test('with Redis down: /readyz 200 with redis down in the body, /healthz detail says so', async (t) => {
    const redis = new Redis(`redis://127.0.0.1:${await freePort()}`, { lazyConnect: false, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => 500 });
    redis.on('error', () => undefined);
    t.after(() => redis.disconnect());
    const app = await buildTestApp(SECRETS, { deps: { redis } });
    t.after(() => app.close());
    const ready = await app.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().database, 'ok');
    assert.equal(ready.json().redis, 'down');
    const health = await app.app.inject({ method: 'GET', url: '/healthz' });
    assert.deepEqual(health.json(), { status: 'ok', detail: { redis: 'down' } });
  });

  test('with the database gone: /readyz 503', async () => {
    const app = await buildTestApp(SECRETS);
    await app.testDb.db.close();
    const ready = await app.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 503);
    assert.equal(ready.json().database, 'down');
    await app.app.close();
  });
});

for (const engine of ENGINES) {
  describe(`retry over ${engine.name}`, () => {
    let t: TestApp;
    const queued: string[] = [];
    before(async () => {
      t = await buildTestApp(SECRETS, { db: await engine.open(), deps: { onJobQueued: (id) => queued.push(id) } });
    });
    after(() => t.close());

    async function failedIncident(configFix?: string): Promise<string> {
      const recorded = await recordOutcome(t.testDb.db, { kind: 'alert', alert: makeAlert({ errorType: `E${uid().slice(0, 8)}` }) });
      const incidentId = (recorded as { incidentId: string }).incidentId;
      await t.testDb.db.query("update outbox set dispatched_at = now() where job_id = $1", [incidentId]);
      const runId = `run-x${uid().slice(0, 8)}-${uid().slice(0, 8)}`;
      await createRun(t.testDb.db, { id: runId, incidentId, bundleSha256: null });
      await failRun(t.testDb.db, runId, 'no repository is known for service billing: map it in TRACEFIX_SERVICE_REPOS', configFix);
      return incidentId;
    }

    test('POST /api/incidents/:id/retry queues a new run through the outbox; the incident says queued', async () => {
      const id = await failedIncident('TRACEFIX_SERVICE_REPOS');
      const before = await t.app.inject({ method: 'GET', url: `/api/incidents/${id}`, headers: dashboardAuthHeaders() });
      assert.equal(before.json().status, 'failed', 'the failed run set the incident failed');
      const res = await t.app.inject({ method: 'POST', url: `/api/incidents/${id}/retry`, payload: { engine: 'templates' }, headers: dashboardAuthHeaders() });
      assert.equal(res.statusCode, 202, res.body);
      const body = res.json();
      assert.equal(body.status, 'queued');
      assert.equal(body.engine, 'templates');
      assert.equal(body.previousStatus, 'failed');
      assert.match(body.jobId, new RegExp(`^${id}-r[0-9a-z]+$`));
      assert.ok(queued.includes(id), 'the dispatcher was nudged');
      const [row] = await t.testDb.db.query<{ queue: string; payload: unknown }>('select queue, payload from outbox where job_id = $1 and dispatched_at is null', [body.jobId]);
      assert.equal(row?.queue, 'assemble');
      const payload = typeof row?.payload === 'string' ? JSON.parse(row.payload) : row?.payload;
      assert.deepEqual(payload, { incidentId: id, engine: 'templates' });
      assert.equal((await t.app.inject({ method: 'GET', url: `/api/incidents/${id}`, headers: dashboardAuthHeaders() })).json().status, 'queued');
      // A second retry while the first is queued would race it.
      const again = await t.app.inject({ method: 'POST', url: `/api/incidents/${id}/retry`, headers: dashboardAuthHeaders() });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().code, 'TF_INCIDENT_BUSY');
    });

    test('retry: no body means engine auto; form bodies work; unknown incident 404; bad engine 400; llm without a model 400', async () => {
      const id = await failedIncident();
      const form = await t.app.inject({ method: 'POST', url: `/api/incidents/${id}/retry`, payload: 'engine=auto', headers: { ...dashboardAuthHeaders(), 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(form.statusCode, 202, form.body);
      assert.equal(form.json().engine, 'auto');
      const missing = await t.app.inject({ method: 'POST', url: '/api/incidents/inc_000000000aaaaaaaaaaaaaaaa/retry', headers: dashboardAuthHeaders() });
      assert.equal(missing.statusCode, 404);
      const other = await failedIncident();
      const bad = await t.app.inject({ method: 'POST', url: `/api/incidents/${other}/retry`, payload: { engine: 'magic' }, headers: dashboardAuthHeaders() });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /engine must be one of: auto, templates, llm/);
      const llm = await t.app.inject({ method: 'POST', url: `/api/incidents/${other}/retry`, payload: { engine: 'llm' }, headers: dashboardAuthHeaders() });
      assert.equal(llm.statusCode, 400);
      assert.match(llm.json().message, /TRACEFIX_MODEL/);
      const notJson = await t.app.inject({ method: 'POST', url: `/api/incidents/${other}/retry`, payload: '{nope', headers: { ...dashboardAuthHeaders(), 'content-type': 'application/json' } });
      assert.equal(notJson.statusCode, 400);
    });

    test('POST /api/incidents/retry-failed retries exactly the incidents whose last run failed for a configuration reason', async () => {
      const config = await failedIncident('TRACEFIX_SERVICE_REPOS');
      const infra = await failedIncident(); // failed, but not for configuration: left alone
      const res = await t.app.inject({ method: 'POST', url: '/api/incidents/retry-failed', headers: dashboardAuthHeaders() });
      assert.equal(res.statusCode, 202, res.body);
      const ids = res.json().retried.map((r: { incidentId: string }) => r.incidentId);
      assert.ok(ids.includes(config));
      assert.ok(!ids.includes(infra));
      assert.equal((await t.app.inject({ method: 'GET', url: `/api/incidents/${infra}`, headers: dashboardAuthHeaders() })).json().status, 'failed');
      // Retried once: now queued, so a second bulk retry does not pick it again.
      const again = await t.app.inject({ method: 'POST', url: '/api/incidents/retry-failed', headers: dashboardAuthHeaders() });
      assert.ok(!again.json().retried.some((r: { incidentId: string }) => r.incidentId === config));
    });
  });
}
