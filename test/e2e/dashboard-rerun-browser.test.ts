// Re-run from the dashboard in a real browser (Debian chromium through playwright-core), picked up
// by the real stages: the stage workers `tracefix worker` starts (assemble → reproduce → repair,
// BullMQ on the shared Redis under a unique prefix) and the real outbox dispatcher, on a copy of
// the js-cart fixture repository in the local sandbox. A signed Sentry alert's run ends `fixed` on
// the live list; the person re-runs it with the templates engine behind its confirmation; a second
// real run starts from the request, carries the chosen engine through every stage, and ends
// `fixed` with its own reproduction and patch, both runs shown on the incident page.
// The fixture's .tracefix.yml keeps each run short (one validated candidate, one flake rerun, no
// bisect of a one-commit history): every gate still runs, only fewer times.
import assert from 'node:assert/strict';
import { chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { OutboxDispatcher } from '../../src/queue/outbox-dispatcher.ts';
import { listRuns } from '../../src/store/run-store.ts';
import { createLogger } from '../../src/telemetry.ts';
import { MemoryTraceStore } from '../../src/traces/memory-trace-store.ts';
import { startStageWorkers, type StageWorkers } from '../../workers/main.ts';
import { sentryHeaders } from '../helpers/app.ts';
import { chromiumMissing, launchChromium, signIn, startDashboard, type DashboardServer } from '../helpers/browser.ts';
import { gitIn } from '../helpers/git-repo.ts';
import { bwrapUnavailable } from '../helpers/sandbox-probes.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/repro-repos/js-cart');
const FAST_RUNS = 'flakeReruns: 1\nrepair:\n  validatedCandidates: 1\nbisect: false\n';

describe('re-run in chromium, through the real stages', { skip: chromiumMissing || bwrapUnavailable() }, () => {
  let dir: string;
  let s: DashboardServer;
  let workers: StageWorkers;
  let dispatcher: OutboxDispatcher;
  let browser: Browser;
  let context: BrowserContext;
  let workerLog = '';

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-rerun-'));
    // The sandbox user reads the checkout below it.
    await chmod(dir, 0o711);
    const repo = path.join(dir, 'shop-api');
    await cp(FIXTURE, repo, { recursive: true, filter: (src) => !src.endsWith('incident.sentry.json') });
    await writeFile(path.join(repo, '.tracefix.yml'), FAST_RUNS);
    await gitIn(repo, 'init', '-q', '-b', 'main');
    await gitIn(repo, 'add', '-A');
    await gitIn(repo, 'commit', '-q', '-m', 'shop-api 1.4.2');
    s = await startDashboard({ TRACEFIX_SERVICE_REPOS: JSON.stringify({ 'shop-api': repo }), TRACEFIX_SANDBOX_DRIVER: 'local' });
    // The runs' workspaces live in the data directory, which the sandbox user must reach too.
    await chmod(s.dataDir, 0o711);
    const log = createLogger({ logLevel: 'info' }, new Writable({ write: (c, _e, done) => ((workerLog += c.toString()), done()) }));
    workers = await startStageWorkers({ config: s.t.config, log, db: s.t.testDb.db, traceStore: new MemoryTraceStore() });
    dispatcher = new OutboxDispatcher({ db: s.t.testDb.db, queues: s.queues, log, intervalMs: 100 });
    dispatcher.start();
    browser = await launchChromium();
    context = await browser.newContext();
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await dispatcher?.stop();
    await workers?.close();
    await s?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The incident's runs, newest first, as the stages recorded them. */
  async function runsOf(incidentId: string) {
    return listRuns(s.t.testDb.db, incidentId);
  }

  test('an alert is fixed; re-run with templates: a second real run carries the engine through every stage and is fixed too', { timeout: 600_000 }, async (t) => {
    const page: Page = await context.newPage();
    page.on('dialog', (d) => void d.accept());
    await signIn(page, s.base);
    await waitFor(async () => s.t.app.live.clientCount > 0, 'the list connected to /events', 10_000);

    const body = await readFile(path.join(FIXTURE, 'incident.sentry.json'));
    const res = await fetch(`${s.base}/webhooks/sentry`, { method: 'POST', body, headers: sentryHeaders(body, 'event_alert', `d-${Date.now()}`) });
    assert.equal(res.status, 202);
    const { incidentId } = (await res.json()) as { incidentId: string };
    // The first run, live on the list.
    await page.locator(`#row-${incidentId} .badge`, { hasText: 'fixed' }).waitFor({ timeout: 300_000 }).catch((error: unknown) => {
      throw new Error(`the first run did not end fixed: ${String(error)}\n${workerLog.slice(-3000)}`);
    });
    const [first] = await runsOf(incidentId);
    assert.equal(first?.status, 'fixed');

    await page.goto(`${s.base}/incidents/${incidentId}`);
    await page.getByLabel('Engine').selectOption('templates');
    const asked = Date.now();
    await page.getByRole('button', { name: 'Re-run' }).click();
    await page.locator('#action-result:not(:empty)').waitFor();
    assert.match(await page.locator('#action-result').innerText(), /^Done/);

    await waitFor(async () => {
      const runs = await runsOf(incidentId);
      return runs.length === 2 && !['reproducing', 'repairing'].includes(runs.find((r) => r.id !== first.id)?.status ?? 'reproducing');
    }, () => `the re-run's run finished\n${workerLog.slice(-3000)}`, 300_000);
    const rerunSeconds = (Date.now() - asked) / 1000;
    t.diagnostic(`re-run: request to a finished real run in ${rerunSeconds.toFixed(1)} s`);
    const second = (await runsOf(incidentId)).find((r) => r.id !== first.id)!;
    assert.equal(second.status, 'fixed', `${second.reason ?? ''}\n${workerLog.slice(-3000)}`);

    // The chosen engine went through the real stages' jobs: assemble (the request), reproduce, repair
    // (a run is recorded just before its job returns: the last job may still be active).
    const jobs = async (queue: 'assemble' | 'reproduce' | 'repair') =>
      (await s.queues[queue].getJobs(['completed', 'active'])).map((j) => ({ id: j.id, ...(j.data as { incidentId: string; runId?: string; engine?: string }) }));
    const assembled = await jobs('assemble');
    assert.equal(assembled.length, 2);
    assert.deepEqual(assembled.map((d) => d.engine ?? 'auto').sort(), ['auto', 'templates']);
    const rerunJob = assembled.find((d) => d.engine === 'templates')!.id;
    assert.notEqual(rerunJob, incidentId, 'the re-run is a new job, not the first one again');
    assert.equal((await jobs('reproduce')).find((d) => d.id === rerunJob)?.engine, 'templates');
    assert.equal((await s.queues.repair.getJob(second.id))?.data.engine, 'templates');
    assert.equal((await s.queues.repair.getJob(first.id))?.data.engine ?? 'auto', 'auto');

    // Its own reproduction and patch, recorded by the stages, on the incident page beside the first.
    await page.goto(`${s.base}/incidents/${incidentId}`);
    const runs = page.getByRole('navigation', { name: 'Runs' }).locator('li');
    assert.equal(await runs.count(), 2);
    assert.match(await runs.first().innerText(), new RegExp(second.id));
    assert.match(await runs.first().innerText(), /fixed/);
    assert.match(await runs.nth(1).innerText(), new RegExp(first.id));
    assert.match(await page.locator('.timeline').innerText(), /re-run requested \(engine templates\)/);
    assert.match(await page.locator('main').innerText(), /Signature matched in \d+ of \d+ reruns/);
    assert.ok(await page.locator('table.diff tr.d-add').count() >= 1, 'the new run\'s patch');
    await page.close();
  });
});

async function waitFor(check: () => Promise<boolean>, what: string | (() => string), timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out: ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
