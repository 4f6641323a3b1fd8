// The PR poller with more open pull requests than one page (and than the 200 a pass once stopped
// at): the repository's open PRs are read page by page, following the Link header of the GitHub
// fake (every request checked against GitHub's OpenAPI description), so every published PR is
// accounted for in one pass; only the PRs missing from the list (closed since) are read one by
// one, and their merge or closing is recorded. The fake's pages themselves: per_page capped at
// 100, Link rel first/prev/next/last as absolute URLs keeping the other query parameters, no Link
// on a single page.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import { loadConfig } from '../../../src/config.ts';
import { pollPullRequests } from '../../../src/publish/merge-poll.ts';
import { publisherFor } from '../../../src/publish/service.ts';
import { getFixMerge } from '../../../src/store/fix-merge-store.ts';
import { recordOutcome } from '../../../src/store/incident-store.ts';
import { getPublication, recordPublication } from '../../../src/store/publication-store.ts';
import { createRun } from '../../../src/store/run-store.ts';
import { makeAlert } from '../../helpers/alerts.ts';
import { ENGINES } from '../../helpers/databases.ts';
import { startFakeGithub } from '../../helpers/fake-github.ts';
import { gitIn } from '../../helpers/git-repo.ts';

const log = pino({ level: process.env['TEST_LOG'] ?? 'silent' });
const TOKEN = `ghp_${randomBytes(16).toString('hex')}`;
const REPO = 'acme/shop-api';
/** tracefix's published PRs: three pages of 100, more than a pass used to look at. */
const OURS = 230;
/** Pull requests people opened, interleaved with ours on the list. */
const THEIRS = 25;

test('every published PR is polled in one pass, through every page of the open list', { timeout: 120_000 }, async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-poll-pages-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'README.md'), 'shop\n');
  await gitIn(dir, 'init', '-q', '-b', 'main');
  await gitIn(dir, 'add', '-A');
  await gitIn(dir, 'commit', '-q', '-m', 'shop');
  const gh = await startFakeGithub({ token: TOKEN });
  t.after(() => gh.close());
  const fake = await gh.state.importRepo(REPO, dir);
  const { db, drop } = await ENGINES[1]!.open();
  t.after(drop);

  const r = await recordOutcome(db, { kind: 'alert', alert: makeAlert({ service: 'shop-api' }) });
  assert.ok('incidentId' in r && r.incidentId);
  const incidentId = r.incidentId;
  const ours: { number: number; runId: string }[] = [];
  for (let i = 0; i < OURS + THEIRS; i++) {
    const theirs = i % 10 === 3 && i / 10 < THEIRS;
    const head = theirs ? `feature-${i}` : `tracefix/inc-${i}`;
    fake.branches.set(head, fake.branches.get('main')!);
    const pull = gh.state.openPull(REPO, { head, base: 'main', title: theirs ? `Feature ${i}` : `Fix ${i}` });
    if (theirs) continue;
    const runId = `run-${String(i).padStart(4, '0')}-${randomBytes(4).toString('hex')}`;
    await createRun(db, { id: runId, incidentId, bundleSha256: null });
    await recordPublication(db, runId, incidentId, { state: 'published', repo: REPO, prNumber: pull.number, branch: head, base: 'main' });
    ours.push({ number: pull.number, runId });
  }
  assert.equal(ours.length, OURS);
  assert.equal(fake.pulls.size, OURS + THEIRS);

  const config = loadConfig({ TRACEFIX_DATA_DIR: dir, TRACEFIX_GITHUB_TOKEN: TOKEN, TRACEFIX_GITHUB_API_URL: gh.url });
  const clients = publisherFor(config, log)!;

  // All open: one pass accounts for every one of them, from the list alone.
  const first = await pollPullRequests({ db, clients, log });
  assert.equal(first.length, OURS);
  assert.deepEqual(new Set(first.map((p) => p.number)), new Set(ours.map((o) => o.number)));
  assert.ok(first.every((p) => p.result === 'open'));
  const lists = gh.requests.filter((q) => q.method === 'GET' && q.path === `/repos/${REPO}/pulls`);
  const pages = Math.ceil((OURS + THEIRS) / 100);
  assert.equal(lists.length, pages);
  assert.deepEqual(
    lists.map((q) => new URLSearchParams(q.query).get('page') ?? '1'),
    Array.from({ length: pages }, (_, i) => String(i + 1)),
    'page after page, by the Link header',
  );
  assert.ok(lists.every((q) => new URLSearchParams(q.query).get('per_page') === '100' && new URLSearchParams(q.query).get('state') === 'open'));
  assert.equal(gh.requests.filter((q) => /^\/repos\/[^/]+\/[^/]+\/pulls\/\d+$/.test(q.path)).length, 0, 'no PR read one by one while it is on the list');

  // Closed between passes, on the first page and on the last: merged, and closed unmerged.
  const newestFirst = [...ours].sort((a, b) => b.number - a.number);
  const onFirstPage = newestFirst[5]!;
  const onLastPage = newestFirst.at(-2)!;
  const merged = gh.state.closePull(REPO, onFirstPage.number, true);
  gh.state.closePull(REPO, onLastPage.number, false);
  gh.requests.length = 0;
  const second = await pollPullRequests({ db, clients, log });
  assert.equal(second.length, OURS);
  const byNumber = new Map(second.map((p) => [p.number, p]));
  assert.deepEqual(byNumber.get(onFirstPage.number), { repo: REPO, number: onFirstPage.number, result: 'merged', runs: [onFirstPage.runId] });
  assert.deepEqual(byNumber.get(onLastPage.number), { repo: REPO, number: onLastPage.number, result: 'closed', runs: [onLastPage.runId] });
  assert.equal(second.filter((p) => p.result === 'open').length, OURS - 2);
  assert.equal((await getPublication(db, onFirstPage.runId))?.state, 'merged');
  assert.equal((await getPublication(db, onFirstPage.runId))?.mergeCommitSha, merged.mergeCommitSha);
  assert.equal((await getPublication(db, onLastPage.runId))?.state, 'closed-unmerged');
  assert.equal((await getFixMerge(db, incidentId))?.mergeSha, merged.mergeCommitSha);
  const reads = gh.requests.filter((q) => /^\/repos\/[^/]+\/[^/]+\/pulls\/\d+$/.test(q.path)).map((q) => q.path);
  assert.deepEqual(reads.sort(), [`/repos/${REPO}/pulls/${onFirstPage.number}`, `/repos/${REPO}/pulls/${onLastPage.number}`].sort(), 'only the closed ones are read one by one');

  // Recorded: the next pass no longer asks about them.
  const third = await pollPullRequests({ db, clients, log });
  assert.equal(third.length, OURS - 2);
  assert.deepEqual(gh.violations, []);
});

test("the GitHub fake pages as GitHub does: per_page capped at 100, Link with first/prev/next/last, none on a single page", async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-fake-pages-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'README.md'), 'x\n');
  await gitIn(dir, 'init', '-q', '-b', 'main');
  await gitIn(dir, 'add', '-A');
  await gitIn(dir, 'commit', '-q', '-m', 'x');
  const gh = await startFakeGithub({ token: TOKEN, apiPrefix: '/api/v3' });
  t.after(() => gh.close());
  const fake = await gh.state.importRepo(REPO, dir);
  for (let i = 1; i <= 250; i++) {
    fake.branches.set(`b${i}`, fake.branches.get('main')!);
    gh.state.openPull(REPO, { head: `b${i}`, base: 'main', title: `PR ${i}` });
  }
  const get = (query: string) => fetch(`${gh.url}/repos/${REPO}/pulls?${query}`, { headers: { authorization: `Bearer ${TOKEN}`, accept: 'application/vnd.github+json' } });
  const links = (res: Response) =>
    Object.fromEntries((res.headers.get('link') ?? '').split(', ').filter(Boolean).map((l) => {
      const m = /^<([^>]+)>; rel="(\w+)"$/.exec(l);
      assert.ok(m, l);
      return [m[2]!, m[1]!];
    }));

  const firstPage = await get('state=open&per_page=100');
  const firstBody = (await firstPage.json()) as { number: number }[];
  assert.equal(firstBody.length, 100);
  assert.equal(firstBody[0]!.number, 250, 'newest first, as GitHub sorts by created');
  assert.deepEqual(links(firstPage), {
    next: `${gh.url}/repos/${REPO}/pulls?state=open&per_page=100&page=2`,
    last: `${gh.url}/repos/${REPO}/pulls?state=open&per_page=100&page=3`,
  });
  const middle = await get('state=open&per_page=100&page=2');
  assert.deepEqual(Object.keys(links(middle)).sort(), ['first', 'last', 'next', 'prev']);
  assert.match(links(middle).prev!, /[?&]page=1$/);
  const last = await get('state=open&per_page=100&page=3');
  assert.equal(((await last.json()) as unknown[]).length, 50);
  assert.deepEqual(Object.keys(links(last)).sort(), ['first', 'prev']);
  // GitHub serves at most 100 a page, and an empty page past the end.
  assert.equal(((await (await get('per_page=500')).json()) as unknown[]).length, 100);
  assert.deepEqual(await (await get('per_page=100&page=4')).json(), []);
  // The default page size is 30; a list that fits one page has no Link header.
  assert.equal(((await (await get('')).json()) as unknown[]).length, 30);
  assert.equal((await get('head=acme:b7')).headers.get('link'), null);
  // Page parameters are checked against the description like any other.
  assert.equal((await get('page=two')).status, 422);
  assert.equal(gh.violations.length, 1);
});
