// "Sign in with GitHub" in a real browser (Debian chromium through playwright-core): a person
// clicks the button on /login, chromium follows tracefix's redirect to the GitHub fake's
// /login/oauth/authorize (on another site, `localhost`, as github.com is another site), the fake
// consents and redirects back with a code, tracefix exchanges it and asks the fake's REST API
// (checked against GitHub's OpenAPI description) who the user is and whether they belong to the
// organization. A member lands signed in on the page they asked for; a non-member is refused with
// a page that says why and gets no session. The user's GitHub token is in no cookie (HttpOnly or
// not), no page's HTML and no log line.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumMissing, launchChromium, startDashboard, type DashboardServer } from '../helpers/browser.ts';
import { startFakeGithub, type FakeGithub } from '../helpers/fake-github.ts';

const CLIENT_ID = 'Iv1.browsersignin0001';
const CLIENT_SECRET = 'oauth-app-client-secret-browser-0123456789';
const USERS = {
  hubot: { id: 2, orgs: ['acme'] },
  mallory: { id: 3, orgs: ['evil-corp'] },
};

/** What a browsing context saw: every document's URL and HTML, in order. */
interface Visit {
  context: BrowserContext;
  page: Page;
  documents: { url: string; status: number; html: string }[];
  /** Waits for every document body read so far. */
  settled(): Promise<unknown>;
}

describe('GitHub sign-in in chromium', { skip: chromiumMissing }, () => {
  let gh: FakeGithub;
  let s: DashboardServer;
  let browser: Browser;
  /** The fake's web root as the browser reaches it: another site than the dashboard's 127.0.0.1. */
  let githubWeb: string;

  before(async () => {
    gh = await startFakeGithub({ apiPrefix: '/api/v3', oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, users: USERS } });
    const api = new URL(gh.url);
    api.hostname = 'localhost';
    githubWeb = api.origin;
    s = await startDashboard({
      LOG_LEVEL: 'debug',
      TRACEFIX_GITHUB_API_URL: api.href,
      TRACEFIX_GITHUB_OAUTH_CLIENT_ID: CLIENT_ID,
      TRACEFIX_GITHUB_OAUTH_CLIENT_SECRET: CLIENT_SECRET,
      TRACEFIX_GITHUB_OAUTH_ORG: 'acme',
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
    await gh?.close();
  });

  /** A fresh browser profile that records every document it loads. */
  async function visit(): Promise<Visit> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const documents: Visit['documents'] = [];
    const bodies: Promise<unknown>[] = [];
    page.on('response', (res) => {
      if (res.request().resourceType() !== 'document') return;
      const doc = { url: res.url(), status: res.status(), html: '' };
      documents.push(doc);
      // Redirects have no body to read; pages do.
      bodies.push(res.text().then((html) => (doc.html = html), () => undefined));
    });
    return { context, page, documents, settled: () => Promise.all(bodies) };
  }

  /** From a signed-out page to wherever GitHub's answer leads, by clicking as a person would. */
  async function clickSignIn(v: Visit): Promise<void> {
    await v.page.goto(`${s.base}/outcomes`);
    assert.match(v.page.url(), /\/login\?next=%2Foutcomes$/);
    await v.page.getByRole('link', { name: 'Sign in with GitHub' }).click();
    await v.page.waitForLoadState('load');
  }

  /** The gho_ token the fake issued for the latest sign-in, as tracefix sent it to GET /user. */
  function issuedToken(): string {
    const asked = gh.requests.filter((r) => r.path === '/user').at(-1);
    assert.ok(asked?.authorization, 'tracefix asked GitHub who the token belongs to');
    const token = asked.authorization.replace(/^(Bearer|token) /i, '');
    assert.match(token, /^gho_/);
    return token;
  }

  async function assertTokenNowhere(v: Visit, token: string): Promise<void> {
    await v.settled();
    for (const cookie of await v.context.cookies()) assert.ok(!decodeURIComponent(cookie.value).includes(token), `the token is in cookie ${cookie.name}`);
    assert.ok(!(await v.page.evaluate('document.cookie') as string).includes(token));
    for (const d of v.documents) assert.ok(!d.html.includes(token), `the token is in the HTML of ${d.url}`);
    assert.ok(!(await v.page.content()).includes(token));
    assert.ok(!s.t.rawLogs().includes(token), 'the token is in a log line');
    assert.ok(!s.t.rawLogs().includes(CLIENT_SECRET), 'the client secret is in a log line');
  }

  test('a member clicks "Sign in with GitHub", consents on GitHub, and lands signed in on the page asked for', async () => {
    gh.oauth!.signedInAs = 'hubot';
    const v = await visit();
    try {
      await clickSignIn(v);
      await v.page.waitForURL(`${s.base}/outcomes`);
      assert.equal(await v.page.getByRole('heading', { name: 'Outcomes' }).count(), 1);
      // The browser itself went to GitHub's authorize page (another site) and came back with a code.
      const authorize = v.documents.find((d) => d.url.startsWith(`${githubWeb}/login/oauth/authorize?`));
      assert.ok(authorize, v.documents.map((d) => d.url).join('\n'));
      assert.equal(authorize.status, 302);
      const query = new URL(authorize.url).searchParams;
      assert.equal(query.get('client_id'), CLIENT_ID);
      assert.equal(query.get('redirect_uri'), `${s.base}/login/github/callback`);
      assert.equal(query.get('scope'), 'read:org');
      assert.ok(v.documents.some((d) => d.url.startsWith(`${s.base}/login/github/callback?code=`)), 'back at the callback with a code');
      // Signed in by the session cookie alone (HttpOnly, SameSite=Strict): the API answers the page.
      const session = (await v.context.cookies()).find((c) => c.name === 'tracefix_session');
      assert.ok(session, 'a session cookie');
      assert.equal(session.httpOnly, true);
      assert.equal(session.sameSite, 'Strict');
      assert.equal(await v.page.evaluate('document.cookie'), '', 'no cookie is readable by the page');
      assert.equal(await v.page.evaluate(async () => (await fetch('/api/outcomes')).status), 200);
      await v.page.goto(`${s.base}/`);
      assert.equal(await v.page.getByRole('heading', { name: 'Incidents' }).count(), 1);
      // The membership was asked of GitHub with requests that conform to its description.
      const asked = gh.requests.map((r) => `${r.method} ${r.path}`);
      assert.ok(asked.includes('POST /login/oauth/access_token'));
      assert.ok(asked.includes('GET /orgs/acme/members/hubot'));
      assert.deepEqual(gh.violations, []);
      await assertTokenNowhere(v, issuedToken());
    } finally {
      await v.context.close();
    }
  });

  test('a GitHub user outside the organization is refused with a page that says why, and stays signed out', async () => {
    gh.oauth!.signedInAs = 'mallory';
    const v = await visit();
    try {
      await clickSignIn(v);
      await v.page.getByRole('alert').waitFor();
      const refusal = v.documents.find((d) => d.url.startsWith(`${s.base}/login/github/callback?`));
      assert.equal(refusal?.status, 403);
      assert.match(await v.page.getByRole('alert').innerText(), /mallory is not a member of the acme organization, which this dashboard is limited to/);
      // The refusal is the sign-in page again, offering both ways in.
      assert.equal(await v.page.getByRole('link', { name: 'Sign in with GitHub' }).count(), 1);
      assert.equal(await v.page.getByLabel('Dashboard token').count(), 1);
      assert.equal((await v.context.cookies()).some((c) => c.name === 'tracefix_session'), false);
      await v.page.goto(`${s.base}/outcomes`);
      assert.match(v.page.url(), /\/login\?next=%2Foutcomes$/, 'still signed out');
      assert.equal(await v.page.evaluate(async () => (await fetch('/api/incidents')).status), 401);
      await assertTokenNowhere(v, issuedToken());
    } finally {
      await v.context.close();
    }
  });
});
