// Webhooks through the Fastify app into a real database: every shared fixture, signatures,
// dedupe, and the clear 4xx/503 answers for bad requests.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { countPendingOutbox } from '../../../src/store/outbox.ts';
import {
  buildTestApp,
  dashboardAuthHeaders,
  githubHeaders,
  SECRETS,
  sentryHeaders,
  sentrySignature,
  type TestApp,
} from '../../helpers/app.ts';

const fixture = (p: string) => readFileSync(new URL(`../../fixtures/${p}`, import.meta.url));
let n = 0;
const uid = () => `${Date.now().toString(16)}${(n++).toString(16).padStart(8, '0')}`.padEnd(32, '0');

describe('POST /webhooks/*', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  const sentry = (file: string, resource: string, id = uid()) => {
    const body = fixture(`sentry/${file}`);
    return t.app.inject({ method: 'POST', url: '/webhooks/sentry', payload: body, headers: sentryHeaders(body, resource, id) });
  };

  test('a signed Sentry event_alert becomes an incident with the event frames, answered 202', async () => {
    const res = await sentry('integration-event-alert-triggered.json', 'event_alert');
    assert.equal(res.statusCode, 202, res.body);
    const body = res.json();
    assert.equal(body.status, 'created');
    assert.match(body.incidentId, /^inc_/);
    assert.deepEqual(t.created.at(-1), body.incidentId);
    const detail = await t.app.inject({ url: `/api/incidents/${body.incidentId}`, headers: dashboardAuthHeaders() });
    assert.equal(detail.statusCode, 200);
    const incident = detail.json();
    assert.equal(incident.errorType, 'ReferenceError');
    assert.equal(incident.source, 'sentry');
    assert.equal(incident.alerts.length, 1);
    assert.ok(incident.alerts[0].frames.length > 0);
  });

  test('Sentry error.created and issue.created are accepted; installation, metric_alert and seer are ignored with 200', async () => {
    const error = await sentry('integration-error-created.json', 'error');
    assert.equal(error.statusCode, 202, error.body);
    const issue = await sentry('integration-issue-created.json', 'issue');
    assert.equal(issue.statusCode, 202, issue.body);
    const alerts = (await t.app.inject({ url: `/api/incidents/${issue.json().incidentId}`, headers: dashboardAuthHeaders() })).json().alerts;
    assert.ok(alerts.some((a: { kind: string; needsEvent?: boolean }) => a.kind.startsWith('issue') && a.needsEvent === true));
    for (const [file, resource] of [
      ['integration-metric-alert-resolved.json', 'metric_alert'],
      ['integration-seer-root-cause-completed.json', 'seer'],
      ['integration-event-alert-triggered.json', 'installation'],
      ['integration-event-alert-triggered.json', 'something_new'],
    ] as const) {
      const res = await sentry(file, resource);
      assert.equal(res.statusCode, 200, `${resource}: ${res.body}`);
      assert.equal(res.json().status, 'ignored');
    }
  });

  test('a redelivery (same Request-ID) is a 200 no-op naming the same incident', async () => {
    const id = uid();
    const a = await sentry('integration-error-created.json', 'error', id);
    const b = await sentry('integration-error-created.json', 'error', id);
    assert.ok([200, 202].includes(a.statusCode));
    assert.equal(b.statusCode, 200);
    assert.equal(b.json().status, 'duplicate');
  });

  test('the same failure delivered twice under new ids attaches to one incident and starts one pipeline', async () => {
    const before = await countPendingOutbox(t.testDb.db);
    const body = fixture('sentry/integration-event-alert-triggered.json');
    const r1 = await t.app.inject({ method: 'POST', url: '/webhooks/sentry', payload: body, headers: sentryHeaders(body, 'event_alert', uid()) });
    const r2 = await t.app.inject({ method: 'POST', url: '/webhooks/sentry', payload: body, headers: sentryHeaders(body, 'event_alert', uid()) });
    assert.equal(r1.json().incidentId, r2.json().incidentId);
    assert.equal(r2.json().status, 'attached');
    assert.equal(await countPendingOutbox(t.testDb.db), before);
  });

  test('a bad, missing or stale Sentry signature is 401 and records nothing', async () => {
    const body = fixture('sentry/integration-event-alert-triggered.json');
    const headers = sentryHeaders(body, 'event_alert', uid());
    const countBefore = (await t.app.inject({ url: '/api/incidents?limit=200', headers: dashboardAuthHeaders() })).json().items.length;
    for (const h of [
      { ...headers, 'sentry-hook-signature': sentrySignature(body, 'wrong-secret') },
      { ...headers, 'sentry-hook-signature': 'zz' },
      Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'sentry-hook-signature')),
      { ...headers, 'sentry-hook-timestamp': String(Math.floor(Date.now() / 1000) - 3600) },
    ]) {
      const res = await t.app.inject({ method: 'POST', url: '/webhooks/sentry', payload: body, headers: h });
      assert.equal(res.statusCode, 401, res.body);
      assert.equal(res.json().code, 'TF_UNAUTHENTICATED');
    }
    assert.equal((await t.app.inject({ url: '/api/incidents?limit=200', headers: dashboardAuthHeaders() })).json().items.length, countBefore);
  });

  test('a non-ASCII body is verified over its bytes, not re-serialized JSON', async () => {
    // Python's simplejson escapes non-ASCII and keeps float reprs; JSON.stringify would not.
    const body = Buffer.from(
      '{"action":"created","installation":{"uuid":"x"},"actor":{"type":"application","id":"sentry","name":"Sentry"},' +
        '"data":{"error":{"event_id":"' + 'e'.repeat(32) + '","title":"TypeError: caf\\u00e9 \\u2028","received":1566248777.0,' +
        '"n":1e+16,"exception":{"values":[{"type":"TypeError","value":"caf\\u00e9 \\u2028 na\u00efve","stacktrace":{"frames":[' +
        '{"filename":"app/cafe.py","function":"brew","lineno":3,"in_app":true}]}}]}}}}',
      'utf8',
    );
    const res = await t.app.inject({ method: 'POST', url: '/webhooks/sentry', payload: body, headers: sentryHeaders(body, 'error', uid()) });
    assert.equal(res.statusCode, 202, res.body);
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
    const bad = await t.app.inject({
      method: 'POST',
      url: '/webhooks/sentry',
      payload: body,
      headers: { ...sentryHeaders(body, 'error', uid()), 'sentry-hook-signature': sentrySignature(reserialized) },
    });
    assert.equal(bad.statusCode, 401);
  });

  test('a GitHub issue labeled with the configured label by a trusted sender becomes an incident; ping is 200', async () => {
    const payload = JSON.parse(fixture('github/issues-labeled.json').toString('utf8'));
    payload.label.name = 'tracefix';
    payload.issue.body =
      'Checkout crashes.\n\ntrace_id: 4BF92F3577B34DA6A3CE929D0E0E4736\ncommit: 9fceb02d0ae598e95dc970b74767f19372d61af8\n\n```\n' +
      "TypeError: Cannot read properties of undefined (reading 'price')\n    at totalPrice (/app/src/cart.js:42:17)\n    at handle (/app/src/server.js:10:5)\n```\n";
    const body = Buffer.from(JSON.stringify(payload));
    const res = await t.app.inject({ method: 'POST', url: '/webhooks/github', payload: body, headers: githubHeaders(body, 'issues', crypto.randomUUID()) });
    assert.equal(res.statusCode, 202, res.body);
    const incident = (await t.app.inject({ url: `/api/incidents/${res.json().incidentId}`, headers: dashboardAuthHeaders() })).json();
    assert.equal(incident.errorType, 'TypeError');
    assert.equal(incident.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(incident.commitSha, '9fceb02d0ae598e95dc970b74767f19372d61af8');
    assert.equal(incident.repoHint, 'Codertocat/Hello-World');

    const ping = Buffer.from('{"zen":"Keep it logically awesome.","hook_id":1}');
    const pong = await t.app.inject({ method: 'POST', url: '/webhooks/github', payload: ping, headers: githubHeaders(ping, 'ping', crypto.randomUUID()) });
    assert.equal(pong.statusCode, 200);
  });

  test('a label other than the configured one, or an untrusted sender, is recorded and ignored', async () => {
    const other = fixture('github/issues-labeled.json'); // label "bug"
    const r1 = await t.app.inject({ method: 'POST', url: '/webhooks/github', payload: other, headers: githubHeaders(other, 'issues', crypto.randomUUID()) });
    assert.equal(r1.statusCode, 200);
    assert.equal(r1.json().status, 'ignored');
    const payload = JSON.parse(other.toString('utf8'));
    payload.label.name = 'tracefix';
    payload.sender.login = 'mallory';
    const body = Buffer.from(JSON.stringify(payload));
    const delivery = crypto.randomUUID();
    const r2 = await t.app.inject({ method: 'POST', url: '/webhooks/github', payload: body, headers: githubHeaders(body, 'issues', delivery) });
    assert.equal(r2.statusCode, 200);
    assert.equal(r2.json().status, 'ignored');
    assert.match(r2.json().reason, /mallory/);
    const again = await t.app.inject({ method: 'POST', url: '/webhooks/github', payload: body, headers: githubHeaders(body, 'issues', delivery) });
    assert.equal(again.json().status, 'duplicate');
  });

  test('Datadog with the shared token (bearer, header or basic auth) is accepted; without it 401', async () => {
    const body = fixture('datadog/webhook-captured-query-alert-monitor-triggered.json');
    const ok = await t.app.inject({
      method: 'POST',
      url: '/webhooks/datadog',
      payload: body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRETS.TRACEFIX_DATADOG_TOKEN}` },
    });
    assert.equal(ok.statusCode, 202, ok.body);
    const again = await t.app.inject({
      method: 'POST',
      url: '/webhooks/datadog',
      payload: body,
      headers: { 'content-type': 'application/json', 'x-tracefix-token': SECRETS.TRACEFIX_DATADOG_TOKEN },
    });
    assert.equal(again.json().status, 'duplicate', 'the 64-bit $ID is the idempotency key');
    const basic = Buffer.from(`datadog:${SECRETS.TRACEFIX_DATADOG_TOKEN}`).toString('base64');
    const form = await t.app.inject({
      method: 'POST',
      url: '/webhooks/datadog',
      payload: 'id=123&title=%5BTriggered%5D+TypeError&body=boom',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
    });
    assert.ok([200, 202].includes(form.statusCode), form.body);
    const denied = await t.app.inject({ method: 'POST', url: '/webhooks/datadog', payload: body, headers: { 'content-type': 'application/json', authorization: 'Bearer nope' } });
    assert.equal(denied.statusCode, 401);
  });

  test('the legacy Sentry plugin needs the secret URL token', async () => {
    const body = fixture('sentry/legacy-webhooks-plugin-event-js.json');
    const ok = await t.app.inject({ method: 'POST', url: `/webhooks/sentry/legacy/${SECRETS.TRACEFIX_SENTRY_LEGACY_TOKEN}`, payload: body, headers: { 'content-type': 'application/json' } });
    assert.equal(ok.statusCode, 202, ok.body);
    const bad = await t.app.inject({ method: 'POST', url: '/webhooks/sentry/legacy/guess', payload: body, headers: { 'content-type': 'application/json' } });
    assert.equal(bad.statusCode, 401);
    assert.ok(!t.rawLogs().includes(SECRETS.TRACEFIX_SENTRY_LEGACY_TOKEN), 'the URL token is never logged');
  });

  test('malformed JSON and schema violations are 400 listing each problem; 413 over the limit; 415 for a wrong type', async () => {
    const junk = Buffer.from('{"action": "created", "data": ');
    const r1 = await t.app.inject({ method: 'POST', url: '/webhooks/sentry', payload: junk, headers: sentryHeaders(junk, 'event_alert', uid()) });
    assert.equal(r1.statusCode, 400, r1.body);
    const wrong = Buffer.from(JSON.stringify({ action: 'triggered', data: { event: { exception: { values: 'nope' } } } }));
    const r2 = await t.app.inject({ method: 'POST', url: '/webhooks/sentry', payload: wrong, headers: sentryHeaders(wrong, 'event_alert', uid()) });
    assert.equal(r2.statusCode, 400, r2.body);
    assert.ok(Array.isArray(r2.json().details) && r2.json().details.length > 0, r2.body);
    assert.ok(r2.json().details.every((d: { path: string }) => typeof d.path === 'string'));
    const huge = Buffer.alloc(1024 * 1024 + 10, 0x20);
    const r3 = await t.app.inject({ method: 'POST', url: '/webhooks/sentry', payload: huge, headers: sentryHeaders(huge, 'event_alert', uid()) });
    assert.equal(r3.statusCode, 413);
    const r4 = await t.app.inject({ method: 'POST', url: '/webhooks/sentry', payload: 'hello', headers: { 'content-type': 'text/plain' } });
    assert.equal(r4.statusCode, 415);
    const r5 = await t.app.inject({ method: 'POST', url: '/webhooks/sentry' });
    assert.ok([400, 415].includes(r5.statusCode), `${r5.statusCode}`);
  });

  test('no secret appears in the log', () => {
    const raw = t.rawLogs();
    for (const secret of Object.values(SECRETS)) {
      if (secret === 'Codertocat') continue;
      assert.ok(!raw.includes(secret), `log contains ${secret}`);
    }
  });
});

describe('a source without its secret configured', () => {
  test('answers 503 and logs which variable to set', async (t) => {
    const app = await buildTestApp({});
    t.after(() => app.close());
    for (const [url, variable] of [
      ['/webhooks/sentry', 'TRACEFIX_SENTRY_CLIENT_SECRET'],
      ['/webhooks/github', 'TRACEFIX_GITHUB_WEBHOOK_SECRET'],
      ['/webhooks/datadog', 'TRACEFIX_DATADOG_TOKEN'],
      ['/webhooks/sentry/legacy/anything', 'TRACEFIX_SENTRY_LEGACY_TOKEN'],
    ] as const) {
      const res = await app.app.inject({ method: 'POST', url, payload: '{}', headers: { 'content-type': 'application/json' } });
      assert.equal(res.statusCode, 503, url);
      assert.ok(app.logs().some((l) => l.variable === variable && l.level === 40), `a warning names ${variable}`);
    }
  });
});
