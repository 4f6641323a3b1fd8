// Dashboard authentication over the real app (inject): what is public, what needs the token or a
// session, the session cookie's flags, CSRF on cookie-authenticated writes, and no open redirect.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { buildTestApp, dashboardAuthHeaders, SECRETS, TEST_DASHBOARD_TOKEN, type TestApp } from '../../helpers/app.ts';

const cookieHeader = (...responses: LightMyRequestResponse[]) =>
  responses.flatMap((r) => r.cookies.map((c) => `${c.name}=${c.value}`)).join('; ');

describe('dashboard authentication', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  async function signIn(next = '/') {
    const form = await t.app.inject({ url: '/login' });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
    assert.ok(csrf, 'the login form carries a CSRF token');
    const res = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: cookieHeader(form), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, token: TEST_DASHBOARD_TOKEN, next }).toString(),
    });
    return { form, res, csrf, cookie: cookieHeader(form, res) };
  }

  test('every dashboard, API, admin and metrics path needs authentication; probes, webhooks and assets do not', async () => {
    for (const url of ['/', '/incidents/inc_000000000aaaaaaaaaaaaaaaa', '/health', '/outcomes', '/events', '/api/incidents', '/api/outcomes', '/metrics', '/admin/queues', '/api/nope']) {
      const res = await t.app.inject({ url });
      assert.equal(res.statusCode, 401, url);
      assert.equal(res.json().code, 'TF_UNAUTHENTICATED');
    }
    const page = await t.app.inject({ url: '/outcomes?x=1', headers: { accept: 'text/html' } });
    assert.equal(page.statusCode, 303);
    assert.equal(page.headers.location, '/login?next=%2Foutcomes%3Fx%3D1');
    for (const url of ['/healthz', '/login', '/assets/dashboard.css', '/assets/vendor/htmx/htmx.min.js', '/assets/vendor/htmx-ext-sse/sse.min.js']) {
      assert.equal((await t.app.inject({ url })).statusCode, 200, url);
    }
    // Only the files the pages use are served from node_modules.
    assert.equal((await t.app.inject({ url: '/assets/vendor/htmx/htmx.js' })).statusCode, 404);
    assert.equal((await t.app.inject({ url: '/assets/vendor/htmx/../../package.json' })).statusCode, 404);
    // Webhooks keep their own authentication: an unsigned delivery is the webhook's 401, not ours.
    const hook = await t.app.inject({ method: 'POST', url: '/webhooks/sentry', payload: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(hook.statusCode, 401);
    assert.doesNotMatch(hook.json().message, /TRACEFIX_DASHBOARD_TOKEN/);
  });

  test('a bearer token opens the API; a wrong one does not', async () => {
    assert.equal((await t.app.inject({ url: '/api/incidents', headers: dashboardAuthHeaders() })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/api/incidents', headers: dashboardAuthHeaders(`${TEST_DASHBOARD_TOKEN}x`) })).statusCode, 401);
    assert.equal((await t.app.inject({ url: '/api/incidents', headers: { authorization: TEST_DASHBOARD_TOKEN } })).statusCode, 401);
  });

  test('sign-in sets an HttpOnly SameSite=Strict session cookie and redirects only within the site', async () => {
    const { res, cookie } = await signIn('/outcomes');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/outcomes');
    const session = res.cookies.find((c) => c.name === 'tracefix_session');
    assert.ok(session);
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.equal(session.secure, undefined, 'not Secure over plain http');
    assert.equal((await t.app.inject({ url: '/', headers: { cookie } })).statusCode, 200);
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      assert.equal((await signIn(next)).res.headers.location, '/', next);
    }
  });

  test('a wrong token or a missing CSRF token on the sign-in form is refused', async () => {
    const form = await t.app.inject({ url: '/login' });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: cookieHeader(form), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, token: 'not-the-token' }).toString(),
    });
    assert.equal(wrong.statusCode, 401);
    assert.ok(!wrong.cookies.some((c) => c.name === 'tracefix_session'));
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: cookieHeader(form), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ token: TEST_DASHBOARD_TOKEN }).toString(),
    });
    assert.equal(noCsrf.statusCode, 403);
  });

  test('cookie-authenticated writes need the CSRF token; bearer writes do not', async () => {
    const { cookie, csrf } = await signIn();
    const url = '/api/runs/run-abc-0123abcd/approve';
    const json = { 'content-type': 'application/json' };
    const without = await t.app.inject({ method: 'POST', url, headers: { cookie, ...json }, payload: '{}' });
    assert.equal(without.statusCode, 403);
    const withToken = await t.app.inject({ method: 'POST', url, headers: { cookie, 'x-csrf-token': csrf, ...json }, payload: '{}' });
    assert.notEqual(withToken.statusCode, 403, 'the CSRF check passes (the endpoint itself belongs to the publish work)');
    assert.notEqual(withToken.statusCode, 401);
    const bearer = await t.app.inject({ method: 'POST', url, headers: { ...dashboardAuthHeaders(), ...json }, payload: '{}' });
    assert.notEqual(bearer.statusCode, 403);
    assert.notEqual(bearer.statusCode, 401);
  });

  test('sign-out ends the session', async () => {
    const { cookie, csrf } = await signIn();
    const out = await t.app.inject({ method: 'POST', url: '/logout', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${encodeURIComponent(csrf)}` });
    assert.equal(out.statusCode, 303);
    const cleared = out.cookies.find((c) => c.name === 'tracefix_session');
    assert.ok(cleared && (cleared.value === '' || (cleared.expires && cleared.expires.getTime() < Date.now())));
  });

  test('pages carry a strict CSP and the standard security headers', async () => {
    const res = await t.app.inject({ url: '/login' });
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /style-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.ok(res.headers['strict-transport-security']);
  });

  test('without any dashboard token nothing protected is served, not even with an empty bearer', async () => {
    const bare = await buildTestApp({ ...SECRETS, TRACEFIX_DASHBOARD_TOKEN: '' });
    try {
      assert.equal((await bare.app.inject({ url: '/api/incidents' })).statusCode, 401);
      assert.equal((await bare.app.inject({ url: '/api/incidents', headers: { authorization: 'Bearer ' } })).statusCode, 401);
      assert.equal((await bare.app.inject({ url: '/metrics', headers: { authorization: 'Bearer undefined' } })).statusCode, 401);
    } finally {
      await bare.close();
    }
  });
});
