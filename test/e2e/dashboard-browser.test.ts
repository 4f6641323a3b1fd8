// The dashboard in a real browser (Debian chromium through playwright-core): sign-in, the live list
// fed by real BullMQ job events and run records, the incident page's evidence / test / diff, a
// signed-out request refused, attacker-controlled telemetry rendered as text with nothing run, and
// the review actions behind their confirmations: approve → the real publish processor opens a PR on
// the GitHub fake; reject with a reason. Re-run, picked up by the real stages, is
// dashboard-rerun-browser.test.ts; GitHub sign-in, dashboard-github-sign-in-browser.test.ts.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { Worker, type Job } from 'bullmq';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createRun, finishRun, recordReproduction } from '../../src/store/run-store.ts';
import { newRunId } from '../../src/run/run-incident.ts';
import { Run } from '../../schemas/run.ts';
import { OutboxDispatcher } from '../../src/queue/outbox-dispatcher.ts';
import { ArtifactStore } from '../../src/store/artifacts.ts';
import { getPublication } from '../../src/store/publication-store.ts';
import { createLogger } from '../../src/telemetry.ts';
import { publishProcessor } from '../../workers/publish.ts';
import { dashboardAuthHeaders, sentryHeaders } from '../helpers/app.ts';
import { chromiumMissing, launchChromium, signIn, startDashboard, TRACE_UI, type DashboardServer } from '../helpers/browser.ts';
import { REAL_RUN, seedIncident } from '../helpers/dashboard-seed.ts';
import { startFakeGithub, type FakeGithub } from '../helpers/fake-github.ts';
import { gitIn } from '../helpers/git-repo.ts';

const GITHUB_TOKEN = 'ghp_dashboardbrowsertest0123456789abcd';
const SHOP_REPO = 'acme/shop-api';

const HOSTILE = `<img src=x onerror="window.__xss='img'"></script><script>window.__xss='script'</script><a href="javascript:window.__xss='link'">javascript:click</a>`;

describe('dashboard in chromium', { skip: chromiumMissing }, () => {
  let s: DashboardServer;
  let browser: Browser;
  let context: BrowserContext;
  let gh: FakeGithub;
  let repoDir: string;
  /** The commit the GitHub fake's main branch is at, which the action tests' runs were taken at. */
  let baseSha: string;
  /** Every dialog and CSP violation any page raised: both must stay empty. */
  const dialogs: string[] = [];
  const cspViolations: string[] = [];

  before(async () => {
    // The repository on the GitHub fake, so that approving publishes for real (publish mode
    // `approval`: nothing is published until a person approves).
    repoDir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-dash-repo-'));
    await cp(new URL('../fixtures/repro-repos/js-cart', import.meta.url), repoDir, { recursive: true, filter: (src) => !src.endsWith('incident.sentry.json') });
    await gitIn(repoDir, 'init', '-q', '-b', 'main');
    await gitIn(repoDir, 'add', '-A');
    await gitIn(repoDir, 'commit', '-q', '-m', 'shop-api 1.4.2');
    baseSha = (await gitIn(repoDir, 'rev-parse', 'HEAD')).trim();
    gh = await startFakeGithub({ token: GITHUB_TOKEN, apiPrefix: '/api/v3' });
    await gh.state.importRepo(SHOP_REPO, repoDir);
    s = await startDashboard({ TRACEFIX_GITHUB_TOKEN: GITHUB_TOKEN, TRACEFIX_GITHUB_API_URL: gh.url, TRACEFIX_PUBLISH: 'approval' });
    browser = await launchChromium();
    // The other tests share one signed-in context; the sign-in test uses its own.
    context = await browser.newContext();
    context.on('page', (p) => watch(p));
    const page = await context.newPage();
    await signIn(page, s.base);
    await page.close();
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await s?.close();
    await gh?.close();
    if (repoDir) await rm(repoDir, { recursive: true, force: true });
  });

  function watch(page: Page): Page {
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    return page;
  }

  test('a signed-out request is refused: pages redirect to /login, the API, metrics and admin answer 401', async () => {
    const page = watch(await browser.newPage());
    await page.goto(`${s.base}/outcomes`);
    assert.match(page.url(), /\/login\?next=%2Foutcomes$/);
    assert.equal(await page.getByLabel('Dashboard token').count(), 1);
    for (const url of ['/api/incidents', '/api/outcomes', '/metrics', '/admin/queues', '/events']) {
      const res = await fetch(`${s.base}${url}`);
      assert.equal(res.status, 401, url);
    }
    const wrong = await fetch(`${s.base}/api/incidents`, { headers: dashboardAuthHeaders('not-the-token-at-all') });
    assert.equal(wrong.status, 401);
    // A wrong token on the form is refused and says so.
    await page.getByLabel('Dashboard token').fill('wrong-token-wrong-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.match(await page.getByRole('alert').innerText(), /not right/);
    await page.close();
  });

  test('sign in: the session cookie is HttpOnly and SameSite=Strict, and the list shows the empty state', async () => {
    const fresh = await browser.newContext();
    const page = watch(await fresh.newPage());
    await signIn(page, s.base);
    const cookie = (await fresh.cookies()).find((c) => c.name === 'tracefix_session');
    assert.ok(cookie, 'a session cookie');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    assert.equal(await page.getByRole('heading', { name: 'Incidents' }).count(), 1);
    assert.match(await page.locator('.empty-row').innerText(), /No incidents yet/);
    // A state-changing request with the cookie but without the CSRF token is refused.
    const status = await page.evaluate(async () => (await fetch('/api/incidents/inc_000000000aaaaaaaaaaaaaaaa/retry', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"engine":"llm"}' })).status);
    assert.equal(status, 403);
    await fresh.close();
  });

  test('an alert arrives and its row appears and progresses without a reload (SSE from job progress and run records)', async () => {
    const page = await context.newPage();
    await page.goto(`${s.base}/`);
    await page.evaluate('window.__sameDocument = true');
    // Wait for the event stream to be connected before the alert.
    await waitFor(() => s.t.app.live.clientCount > 0, 'the page connected to /events');

    const body = await readFile(new URL('../fixtures/repro-repos/js-cart/incident.sentry.json', import.meta.url));
    const res = await fetch(`${s.base}/webhooks/sentry`, { method: 'POST', body, headers: sentryHeaders(body, 'event_alert', `d-${Date.now()}`) });
    assert.equal(res.status, 202);
    const { incidentId } = (await res.json()) as { incidentId: string };
    const row = page.locator(`#row-${incidentId}`);
    await row.waitFor({ timeout: 10_000 });
    assert.match(await row.innerText(), /TypeError/);
    assert.match(await row.innerText(), /no run/);

    // A stage worker on the real queues: progress through job.updateProgress, state through the run store.
    const runId = newRunId(incidentId);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const worker = new Worker(
      'reproduce',
      async (job: Job) => {
        await createRun(s.t.testDb.db, { id: runId, incidentId, bundleSha256: null });
        await job.updateProgress({ stage: 'reproduce', message: 'gate run 2 of 3' });
        await gate;
        await recordReproduction(s.t.testDb.db, runId, REAL_RUN.reproduction!);
        return { runId };
      },
      { connection: { url: s.redisUrl, maxRetriesPerRequest: null }, prefix: s.prefix },
    );
    try {
      await s.queues.reproduce.add('reproduce', { incidentId }, { jobId: incidentId });
      await page.locator(`#row-${incidentId} .progress`, { hasText: 'gate run 2 of 3' }).waitFor({ timeout: 15_000 });
      assert.match(await page.locator(`#row-${incidentId}`).innerText(), /reproducing/);
      release();
      await page.locator(`#row-${incidentId} .badge`, { hasText: 'repairing' }).waitFor({ timeout: 15_000 });
    } finally {
      await worker.close();
    }
    const repair = new Worker(
      'repair',
      async (job: Job) => {
        await job.updateProgress({ stage: 'repair', message: 'candidate 3/8 null-guard' });
        await new Promise((r) => setTimeout(r, 300));
        await finishRun(s.t.testDb.db, Run.parse({ ...REAL_RUN, id: runId, incident: { ...REAL_RUN.incident, id: incidentId } }));
        return { runId };
      },
      { connection: { url: s.redisUrl, maxRetriesPerRequest: null }, prefix: s.prefix },
    );
    try {
      await s.queues.repair.add('repair', { incidentId, runId }, { jobId: runId });
      await page.locator(`#row-${incidentId} .badge`, { hasText: 'fixed' }).waitFor({ timeout: 15_000 });
    } finally {
      await repair.close();
    }
    assert.equal(await page.evaluate('window.__sameDocument'), true, 'no reload happened');
    await page.close();
  });

  test('the incident page shows the evidence, the reproduction test and the diff', async () => {
    const seeded = await seedIncident(s.t.testDb.db, s.dataDir);
    const page = await context.newPage();
    await page.goto(`${s.base}/incidents/${seeded.incidentId}`);
    const text = await page.locator('main').innerText();
    // Summary, with the trace id linking to the configured trace UI.
    const traceLink = page.getByRole('link', { name: seeded.bundle.trace.traceId! });
    assert.equal(await traceLink.getAttribute('href'), TRACE_UI.replace('{traceId}', seeded.bundle.trace.traceId!));
    // Frames with code context and locals.
    assert.match(text, /applyCoupon/);
    assert.ok(await page.locator('.code .line.crash').count() >= 1, 'the crash line is marked');
    assert.ok(await page.locator('table.locals').count() >= 1, 'locals are shown');
    // The span waterfall with the error span marked, and the log window.
    assert.equal(await page.locator('.waterfall tr.error-span').count(), 1);
    assert.match(await page.locator('.waterfall tr.error-span').innerText(), /cart\.applyCoupon/);
    assert.match(await page.locator('table.logs').innerText(), /coupon lookup failed/);
    // The reproduction test with its signature match and N of N reruns.
    const repro = REAL_RUN.reproduction!;
    assert.equal(repro.status, 'reproduced');
    assert.match(text, new RegExp(`Signature matched in ${repro.runs} of ${repro.runs} reruns`));
    assert.ok((await page.locator('.test-code').innerText()).includes(repro.status === 'reproduced' ? repro.testContent!.split('\n')[0]! : ''));
    // The diff, the gates, the alternatives, the localization.
    assert.ok(await page.locator('table.diff tr.d-add').count() >= 1, 'added lines');
    assert.ok(await page.locator('table.diff tr.d-hunk').count() >= 1, 'hunk headers');
    const gates = await page.locator('table.gates').first().innerText();
    for (const check of REAL_RUN.candidates.find((c) => c.id === REAL_RUN.proposal!.candidateId)!.checks) assert.match(gates, new RegExp(check.name));
    assert.match(text, /Alternatives/);
    assert.match(text, /Localization/);
    // Actions: labelled controls, reachable by keyboard.
    assert.equal(await page.getByLabel('Engine').count(), 1);
    assert.equal(await page.getByLabel('Reason for rejecting').count(), 1);
    await page.getByLabel('Engine').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Re-run');
    await page.close();
  });

  test('telemetry carrying HTML, script and javascript: links renders as text and runs nothing', async () => {
    const seeded = await seedIncident(s.t.testDb.db, s.dataDir, { errorType: 'Error<script>', message: HOSTILE, hostile: HOSTILE });
    const page = await context.newPage();
    await page.goto(`${s.base}/`);
    await page.locator(`#row-${seeded.incidentId}`).waitFor();
    await page.goto(`${s.base}/incidents/${seeded.incidentId}`);
    await page.locator('.error-message').waitFor();
    // The message is shown, character for character, as text.
    assert.ok((await page.locator('.error-message').innerText()).includes(HOSTILE));
    assert.ok((await page.locator('table.logs').innerText()).includes(HOSTILE), 'log lines as text');
    // Locals are shown as JSON (strings quoted and escaped), the key as is.
    const locals = (await page.locator('table.locals').allInnerTexts()).join('\n');
    assert.ok(locals.includes(JSON.stringify(HOSTILE)), 'locals as text');
    assert.ok(locals.includes('<img src=x onerror=alert(1)>'), 'a local named with markup as text');
    // The patch in syntax colours, the hostile comment and string among its coloured tokens, as text.
    const diff = page.locator('table.diff').first();
    assert.ok((await diff.innerText()).includes(`// ${HOSTILE}`), 'the coloured diff shows the comment as text');
    assert.ok((await diff.locator('.hljs-comment').allInnerTexts()).some((t) => t.includes(HOSTILE)));
    assert.ok((await diff.locator('.hljs-string').allInnerTexts()).some((t) => t.includes(HOSTILE)));
    assert.ok(await diff.locator('.hljs-keyword').count() >= 1, 'keywords coloured');
    // And nothing of it became markup or ran.
    assert.equal(await page.locator('main img').count(), 0);
    assert.equal(await page.locator('main script').count(), 0);
    assert.equal(await page.locator('a[href^="javascript:"]').count(), 0);
    // A live row with the hostile message arrives over SSE too.
    const list = await context.newPage();
    await list.goto(`${s.base}/`);
    await waitFor(() => s.t.app.live.clientCount > 0, 'connected');
    s.t.app.live.incidentChanged(seeded.incidentId);
    await list.waitForTimeout(500);
    assert.equal(await list.locator('main img').count(), 0);
    assert.equal(await page.evaluate('window.__xss'), undefined);
    assert.equal(await list.evaluate('window.__xss'), undefined);
    assert.deepEqual(dialogs, []);
    await list.close();
    await page.close();
  });

  test('health, Bull Board and outcomes load signed in, with no CSP violation on any page', async () => {
    const page = await context.newPage();
    await page.goto(`${s.base}/health`);
    assert.match(await page.locator('main').innerText(), /reproduce/);
    const board = await page.request.get(`${s.base}/admin/queues`);
    assert.equal(board.status(), 200);
    await page.goto(`${s.base}/outcomes`);
    assert.match(await page.locator('main').innerText(), /Validated proposals\s+\d+/);
    const outcomes = (await (await fetch(`${s.base}/api/outcomes`, { headers: dashboardAuthHeaders() })).json()) as { proposals: { validated: number } };
    assert.ok(outcomes.proposals.validated >= 1);
    const metrics = await (await fetch(`${s.base}/metrics`, { headers: dashboardAuthHeaders() })).text();
    assert.match(metrics, new RegExp(`tracefix_proposals\\{state="validated"\\} ${outcomes.proposals.validated}`));
    assert.match(metrics, /tracefix_queue_jobs\{queue="reproduce",state="completed"\} 1/);
    await page.close();
    assert.deepEqual(cspViolations, []);
  });

  /** A signed-in context for the review actions, whose confirmations the test answers itself. */
  async function actionPage(): Promise<{ page: Page; confirms: string[]; answer: (accept: boolean) => void; close: () => Promise<void> }> {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, s.base);
    const confirms: string[] = [];
    let accept = true;
    page.on('dialog', (d) => {
      confirms.push(d.message());
      void (accept ? d.accept() : d.dismiss());
    });
    return { page, confirms, answer: (a) => (accept = a), close: () => ctx.close() };
  }

  /** The real outbox dispatcher and publish processor on this test's queues, while `fn` runs. */
  async function withPipeline<T>(fn: () => Promise<T>): Promise<T> {
    const log = createLogger({ logLevel: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));
    const db = s.t.testDb.db;
    const dispatcher = new OutboxDispatcher({ db, queues: s.queues, log, intervalMs: 100 });
    const connection = { url: s.redisUrl, maxRetriesPerRequest: null };
    const publisher = new Worker('publish', publishProcessor({ config: s.t.config, db, artifacts: new ArtifactStore(s.dataDir), log, enqueue: async () => undefined }), { connection, prefix: s.prefix });
    dispatcher.start();
    try {
      return await fn();
    } finally {
      await dispatcher.stop();
      await publisher.close();
    }
  }

  test('approve, behind its confirmation, publishes: a PR opens on the GitHub fake and the incident page shows it and who approved', async () => {
    const seeded = await seedIncident(s.t.testDb.db, s.dataDir, { repo: { name: SHOP_REPO, commitSha: baseSha } });
    const { page, confirms, answer, close } = await actionPage();
    await withPipeline(async () => {
      await page.goto(`${s.base}/incidents/${seeded.incidentId}`);
      assert.match(await page.locator('#h-pr + *').innerText(), /No pull request yet/);
      await page.getByLabel('Your name (recorded as the approver)').fill('Grace Hopper');
      // Cancelling the confirmation sends nothing.
      answer(false);
      await page.getByRole('button', { name: 'Approve and publish' }).click();
      await page.waitForTimeout(300);
      assert.equal(await getPublication(s.t.testDb.db, seeded.runId!), null, 'a cancelled approval records nothing');
      answer(true);
      await page.getByRole('button', { name: 'Approve and publish' }).click();
      await actionSucceeded(page);
      await waitFor(() => (gh.state.mustRepo(SHOP_REPO).pulls.size ?? 0) > 0, 'a pull request on the GitHub fake', 30_000);
      await waitForAsync(async () => (await getPublication(s.t.testDb.db, seeded.runId!))?.state === 'published', 'the publication recorded');
    });
    assert.deepEqual(confirms, [`Approve run ${seeded.runId}? This publishes its pull request.`, `Approve run ${seeded.runId}? This publishes its pull request.`]);
    const pull = [...gh.state.mustRepo(SHOP_REPO).pulls.values()][0]!;
    assert.equal(pull.head, `tracefix/${seeded.incidentId}`);
    await page.goto(`${s.base}/incidents/${seeded.incidentId}`);
    const link = page.getByRole('link', { name: `#${pull.number}` });
    assert.match((await link.getAttribute('href')) ?? '', new RegExp(`/${SHOP_REPO}/pull/${pull.number}$`));
    assert.match(await page.locator('.timeline').innerText(), new RegExp(`Grace Hopper approved run ${seeded.runId}`));
    // Published: approve and reject no longer apply.
    assert.equal(await page.getByRole('button', { name: 'Approve and publish' }).count(), 0);
    assert.deepEqual(gh.violations, []);
    await close();
  });

  test('reject with a reason, behind its confirmation: the reason, who and when are shown, and nothing is published', async () => {
    const seeded = await seedIncident(s.t.testDb.db, s.dataDir, { repo: { name: SHOP_REPO, commitSha: baseSha } });
    const { page, confirms, close } = await actionPage();
    const pullsBefore = gh.state.mustRepo(SHOP_REPO).pulls.size;
    await page.goto(`${s.base}/incidents/${seeded.incidentId}`);
    await page.getByLabel('Your name (recorded as the reviewer)').fill('Linus');
    const reason = 'Guards the symptom <b>only</b>: an unknown coupon should be a 400';
    await page.getByLabel('Reason for rejecting').fill(reason);
    await page.getByRole('button', { name: 'Reject' }).click();
    await actionSucceeded(page);
    assert.deepEqual(confirms, [`Reject run ${seeded.runId}? No pull request will be opened.`]);
    await page.goto(`${s.base}/incidents/${seeded.incidentId}`);
    const entry = page.locator('.timeline li', { hasText: 'rejected run' });
    assert.equal(await entry.locator('strong').innerText(), 'Linus');
    assert.ok((await entry.innerText()).includes(reason), 'the reason, as text');
    assert.match(await entry.locator('time').getAttribute('datetime') ?? '', /^\d{4}-\d\d-\d\dT/);
    assert.match(await page.locator('#h-pr + *').innerText(), /rejected/i);
    assert.equal(gh.state.mustRepo(SHOP_REPO).pulls.size, pullsBefore);
    await close();
  });
});

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The action's answer, shown as text in the status line: it must say it succeeded. */
async function actionSucceeded(page: Page): Promise<void> {
  const out = page.locator('#action-result');
  // A locator wait, not waitForFunction: the page's CSP forbids the eval that one would need.
  await page.locator('#action-result:not(:empty)').waitFor();
  assert.match(await out.innerText(), /^Done/);
}

async function waitForAsync(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
