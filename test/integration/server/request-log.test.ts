// One log line per request (src/server/request-log.ts): written when the response is sent, with
// what the route or the error handler noted; Fastify's own two lines are gone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, dashboardAuthHeaders, sentryHeaders, type TestApp } from '../../helpers/app.ts';

describe('request log', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  const linesOf = (reqId: string) => t.logs().filter((l) => l.reqId === reqId);

  test('a rejected webhook logs one line carrying the rejection code and no secret', async () => {
    const body = '{"action":"triggered","data":{}}';
    const headers = { ...sentryHeaders(body, 'event_alert', 'req-log-1'), 'sentry-hook-signature': 'f'.repeat(64), 'x-request-id': 'log-test-1' };
    const res = await t.app.inject({ method: 'POST', url: '/webhooks/sentry', payload: body, headers });
    assert.equal(res.statusCode, 401);
    const lines = linesOf('log-test-1');
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.equal(lines[0]?.msg, 'Request completed');
    assert.equal(lines[0]?.statusCode, 401);
    assert.equal(lines[0]?.code, 'TF_UNAUTHENTICATED');
    assert.equal(typeof lines[0]?.responseTime, 'number');
    assert.deepEqual(lines[0]?.req, { id: 'log-test-1', method: 'POST', url: '/webhooks/sentry', delivery: 'req-log-1' });
    assert.ok(!t.rawLogs().includes('f'.repeat(64)));
  });

  test('an unknown route and the legacy plugin path log one line each, the URL token redacted', async () => {
    // Unknown paths are behind the dashboard's authentication too (no route enumeration).
    await t.app.inject({ url: '/nowhere', headers: { 'x-request-id': 'log-test-2', ...dashboardAuthHeaders() } });
    assert.deepEqual(linesOf('log-test-2').map((l) => [l.msg, l.statusCode]), [['Request completed', 404]]);
    await t.app.inject({ method: 'POST', url: '/webhooks/sentry/legacy/not-the-token', payload: '{}', headers: { 'content-type': 'application/json', 'x-request-id': 'log-test-3' } });
    const [line] = linesOf('log-test-3');
    assert.equal((line?.req as { url: string }).url, '/webhooks/sentry/legacy/[redacted]');
    assert.ok(!t.rawLogs().includes('not-the-token'));
  });
});
