// GitHub sign-in over HTTP, following the redirects the way a browser does (with a cookie jar):
// tracefix → the GitHub fake's /login/oauth/authorize → back to /login/github/callback → the code
// exchanged at /login/oauth/access_token → GET /user and the org or team membership (validated
// against GitHub's OpenAPI description by the fake). A member gets a session; a non-member, a
// callback with a state this browser did not start, and a replayed code get none.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../../src/config.ts';
import { ConfigError } from '../../../src/errors.ts';
import { buildTestApp, SECRETS, type TestApp } from '../../helpers/app.ts';
import { seedIncident } from '../../helpers/dashboard-seed.ts';
import { startFakeGithub, type FakeGithub } from '../../helpers/fake-github.ts';

const CLIENT_ID = 'Iv1.dashboardsignin01';
const CLIENT_SECRET = 'oauth-app-client-secret-for-tests-0123456789';
const USERS = {
  octocat: { id: 1, orgs: ['acme'], teams: ['acme/on-call'] },
  hubot: { id: 2, orgs: ['acme'] },
  mallory: { id: 3, orgs: ['evil-corp'] },
};

/** A browser's cookie jar, enough for one origin per name. */
class Jar {
  readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

async function get(url: string, jar: Jar): Promise<Response> {
  const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header(), accept: 'text/html' } });
  jar.take(res);
  return res;
}

describe('GitHub sign-in', () => {
  let gh: FakeGithub;
  let t: TestApp;
  let base: string;
  let dataDir: string;

  async function app(extra: Record<string, string>): Promise<{ t: TestApp; base: string }> {
    const built = await buildTestApp({
      ...SECRETS,
      LOG_LEVEL: 'info',
      TRACEFIX_GITHUB_API_URL: gh.url,
      TRACEFIX_GITHUB_OAUTH_CLIENT_ID: CLIENT_ID,
      TRACEFIX_GITHUB_OAUTH_CLIENT_SECRET: CLIENT_SECRET,
      ...extra,
    });
    await built.app.listen({ port: 0, host: '127.0.0.1' });
    const address = built.app.server.address();
    return { t: built, base: `http://127.0.0.1:${address && typeof address === 'object' ? address.port : 0}` };
  }

  /** From /login/github to the callback's answer, with `jar` as the browser. */
  async function signIn(jar: Jar, next = '/outcomes'): Promise<Response> {
    const start = await get(`${base}/login/github?next=${encodeURIComponent(next)}`, jar);
    assert.equal(start.status, 302);
    const authorize = await get(start.headers.get('location')!, jar);
    assert.equal(authorize.status, 302, 'the fake GitHub consents and redirects back');
    return get(authorize.headers.get('location')!, jar);
  }

  before(async () => {
    gh = await startFakeGithub({ apiPrefix: '/api/v3', oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, users: USERS } });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-gh-sign-in-'));
    ({ t, base } = await app({ TRACEFIX_GITHUB_OAUTH_ORG: 'acme', TRACEFIX_DATA_DIR: dataDir }));
  });
  after(async () => {
    await t?.close();
    await gh?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('the sign-in page offers GitHub, and the flow asks GitHub for read:org with this service as the callback', async () => {
    const login = await (await fetch(`${base}/login`)).text();
    assert.match(login, /href="\/login\/github\?next=%2F"[^>]*>Sign in with GitHub</);
    const jar = new Jar();
    const start = await get(`${base}/login/github`, jar);
    const to = new URL(start.headers.get('location')!);
    assert.equal(`${to.origin}${to.pathname}`, `${gh.webUrl}/login/oauth/authorize`);
    assert.equal(to.searchParams.get('client_id'), CLIENT_ID);
    assert.equal(to.searchParams.get('scope'), 'read:org');
    assert.equal(to.searchParams.get('redirect_uri'), `${base}/login/github/callback`);
    assert.match(to.searchParams.get('state') ?? '', /.{16,}/);
    assert.equal(to.searchParams.get('client_secret'), null);
  });

  test('a member of the organization signs in: a session cookie, then the page asked for', async () => {
    gh.oauth!.signedInAs = 'hubot';
    const jar = new Jar();
    const done = await signIn(jar);
    assert.equal(done.status, 200);
    // A same-origin refresh, not a redirect: the Strict session cookie is sent on it.
    assert.match(await done.text(), /<meta http-equiv="refresh" content="0;url=\/outcomes">/);
    const session = done.headers.getSetCookie().find((c) => c.startsWith('tracefix_session='));
    assert.ok(session, 'a session cookie');
    assert.match(session, /HttpOnly/i);
    assert.match(session, /SameSite=Strict/i);
    const page = await get(`${base}/outcomes`, jar);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<h1>Outcomes<\/h1>/);
    // The membership was asked of GitHub's REST API, with requests that conform to its description.
    const asked = gh.requests.map((r) => `${r.method} ${r.path}`);
    assert.ok(asked.includes('GET /user'));
    assert.ok(asked.includes('GET /orgs/acme/members/hubot'));
    assert.deepEqual(gh.violations, []);
    // The user's token is in no log line and no cookie.
    const issued = gh.requests.find((r) => r.path === '/user')!.authorization!.replace(/^(Bearer|token) /i, '');
    assert.match(issued, /^gho_/);
    assert.ok(!t.rawLogs().includes(issued));
    assert.ok(![...jar.cookies.values()].some((v) => decodeURIComponent(v).includes(issued)));
    assert.ok(!t.rawLogs().includes(CLIENT_SECRET));
  });

  test('a GitHub user outside the organization is refused and gets no session', async () => {
    gh.oauth!.signedInAs = 'mallory';
    const jar = new Jar();
    const done = await signIn(jar);
    assert.equal(done.status, 403);
    assert.match(await done.text(), /mallory is not a member of the acme organization/);
    assert.equal(jar.cookies.has('tracefix_session'), false);
    assert.equal((await fetch(`${base}/api/incidents`, { headers: { cookie: jar.header() } })).status, 401);
  });

  test('the state is checked: a callback this browser did not start, or one replayed, signs nobody in', async () => {
    gh.oauth!.signedInAs = 'octocat';
    // An attacker starts a flow and hands the victim its callback URL (login CSRF): the victim's
    // browser has no state cookie for it.
    const attacker = new Jar();
    const start = await get(`${base}/login/github`, attacker);
    const callback = (await get(start.headers.get('location')!, attacker)).headers.get('location')!;
    const victim = new Jar();
    const forged = await get(callback, victim);
    assert.equal(forged.status, 403);
    assert.match(await forged.text(), /not started from this browser/);
    assert.equal(victim.cookies.has('tracefix_session'), false);
    // The victim's own flow with the attacker's state swapped in: refused too.
    const own = await get(`${base}/login/github`, victim);
    const ownCallback = new URL((await get(own.headers.get('location')!, victim)).headers.get('location')!);
    ownCallback.searchParams.set('state', new URL(callback).searchParams.get('state')!);
    assert.equal((await get(ownCallback.href, victim)).status, 403);
    assert.equal(victim.cookies.has('tracefix_session'), false);
    // The attacker's own callback works once: the state cookie is spent with it.
    assert.equal((await get(callback, attacker)).status, 200);
    assert.equal((await get(callback, attacker)).status, 403);
  });

  test('a cancelled consent and a callback without a code are refused with a page, not an error', async () => {
    gh.oauth!.signedInAs = undefined;
    const jar = new Jar();
    const cancelled = await signIn(jar);
    assert.equal(cancelled.status, 401);
    assert.match(await cancelled.text(), /GitHub sign-in was cancelled/);
    const bare = await get(`${base}/login/github/callback`, new Jar());
    assert.equal(bare.status, 401);
  });

  test('signed in with GitHub, a decision is recorded as the GitHub login, whatever the form says', async () => {
    gh.oauth!.signedInAs = 'hubot';
    const jar = new Jar();
    assert.equal((await signIn(jar, '/')).status, 200);
    const seeded = await seedIncident(t.testDb.db, dataDir);
    const page = await (await get(`${base}/incidents/${seeded.incidentId}`, jar)).text();
    assert.match(page, /id="reject-by" name="by" value="hubot" readonly/);
    const csrf = (JSON.parse(/hx-headers="([^"]+)"/.exec(page)![1]!.replaceAll('&quot;', '"')) as Record<string, string>)['x-csrf-token']!;
    const res = await fetch(`${base}/api/runs/${seeded.runId}/reject`, {
      method: 'POST',
      headers: { cookie: jar.header(), 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ by: 'someone-else', reason: 'the guard hides the bug' }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(((await res.json()) as { rejectedBy: string }).rejectedBy, 'hubot');
  });

  test('limited to a team: an active member signs in, an org member outside the team does not', async () => {
    const team = await app({ TRACEFIX_GITHUB_OAUTH_TEAM: 'acme/on-call' });
    const saved = base;
    base = team.base;
    try {
      gh.oauth!.signedInAs = 'octocat';
      assert.equal((await signIn(new Jar())).status, 200);
      gh.oauth!.signedInAs = 'hubot';
      const refused = await signIn(new Jar());
      assert.equal(refused.status, 403);
      assert.match(await refused.text(), /hubot is not a member of the acme\/on-call team/);
      assert.ok(gh.requests.some((r) => r.path === '/orgs/acme/teams/on-call/memberships/octocat'));
      assert.deepEqual(gh.violations, []);
    } finally {
      base = saved;
      await team.t.close();
    }
  });

  test('configuration: credentials without an org or team, or half the credentials, are refused at start', () => {
    const env = { TRACEFIX_DATA_DIR: '/tmp/x', TRACEFIX_GITHUB_OAUTH_CLIENT_ID: CLIENT_ID, TRACEFIX_GITHUB_OAUTH_CLIENT_SECRET: CLIENT_SECRET };
    assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigError && /TRACEFIX_GITHUB_OAUTH_ORG: required/.test(e.message));
    assert.throws(() => loadConfig({ ...env, TRACEFIX_GITHUB_OAUTH_CLIENT_SECRET: '', TRACEFIX_GITHUB_OAUTH_ORG: 'acme' }), /CLIENT_SECRET: required/);
    assert.throws(() => loadConfig({ ...env, TRACEFIX_GITHUB_OAUTH_ORG: 'acme', TRACEFIX_GITHUB_OAUTH_TEAM: 'other/on-call' }), /is not TRACEFIX_GITHUB_OAUTH_ORG/);
    const ghes = loadConfig({ ...env, TRACEFIX_GITHUB_OAUTH_TEAM: 'acme/on-call', TRACEFIX_GITHUB_API_URL: 'https://ghe.example.com/api/v3' }).dashboard.githubOAuth;
    assert.deepEqual({ org: ghes?.org, team: ghes?.team, webUrl: ghes?.webUrl }, { org: 'acme', team: 'on-call', webUrl: 'https://ghe.example.com' });
    assert.equal(loadConfig({ TRACEFIX_DATA_DIR: '/tmp/x' }).dashboard.githubOAuth, undefined);
  });
});
