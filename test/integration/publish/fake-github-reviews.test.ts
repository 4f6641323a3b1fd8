// The GitHub fake's pull request files and reviews, driven through Octokit as tracefix drives them:
// the files are git's own diff of the PR (three-dot: a commit on the base after the branch point
// is not the PR's), and a review comment on a line outside that diff is refused with 422, as GitHub
// refuses it, so a test of the review step can fail when the step's line numbers are wrong.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { GithubClients } from '../../../src/publish/github-client.ts';
import { startFakeGithub } from '../../helpers/fake-github.ts';
import { gitIn } from '../../helpers/git-repo.ts';

const TOKEN = 'ghp_fakeReviewsToken000000000000000000001';
const lines = (n: number, edit: Record<number, string> = {}) => Array.from({ length: n }, (_, i) => edit[i + 1] ?? `line ${i + 1}`).join('\n') + '\n';

test('pull request files are the three-dot git diff, and review comments must sit on lines that diff shows', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fake-gh-reviews-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await gitIn(dir, 'init', '-q', '-b', 'main');
  await writeFile(path.join(dir, 'a.txt'), lines(40));
  await writeFile(path.join(dir, 'b.txt'), 'base\n');
  await gitIn(dir, 'add', '-A');
  await gitIn(dir, 'commit', '-q', '-m', 'base');
  await gitIn(dir, 'checkout', '-q', '-b', 'feature');
  await writeFile(path.join(dir, 'a.txt'), lines(40, { 20: 'changed 20' }));
  await writeFile(path.join(dir, 'c.txt'), 'new\n');
  await gitIn(dir, 'add', '-A');
  await gitIn(dir, 'commit', '-q', '-m', 'feature');
  const expected = await gitIn(dir, 'diff', 'main', 'feature', '--', 'a.txt');

  const github = await startFakeGithub({ token: TOKEN });
  t.after(() => github.close());
  await github.state.importRepo('acme/shop', dir);
  // The base moves on after the branch point: b.txt is not part of the PR.
  github.state.commitFiles('acme/shop', 'main', { 'b.txt': 'moved\n' });
  const pull = github.state.openPull('acme/shop', { head: 'feature', base: 'main', title: 'Feature' });
  const gh = await new GithubClients({ apiUrl: github.url, credentials: { kind: 'token', token: TOKEN } }).forRepo('acme', 'shop');

  const files = (await gh.rest.pulls.listFiles({ owner: 'acme', repo: 'shop', pull_number: pull.number, per_page: 100 })).data;
  assert.deepEqual(files.map((f) => [f.filename, f.status, f.additions, f.deletions]), [['a.txt', 'modified', 1, 1], ['c.txt', 'added', 1, 0]]);
  assert.equal(files[0]!.patch, expected.slice(expected.indexOf('@@')).trimEnd());

  const review = (line: number, startLine?: number) =>
    gh.rest.pulls.createReview({ owner: 'acme', repo: 'shop', pull_number: pull.number, event: 'COMMENT', body: 'r', comments: [{ path: 'a.txt', line, side: 'RIGHT', body: 'x', ...(startLine ? { start_line: startLine, start_side: 'RIGHT' } : {}) }] });
  // Lines 17..23 are the hunk (3 lines of context around 20); 5 and 30 are outside it.
  await assert.rejects(review(5), (e: { status?: number; response?: { data?: unknown } }) => e.status === 422 && /must be part of the diff/.test(JSON.stringify(e.response?.data)));
  await assert.rejects(review(23, 5), (e: { status?: number }) => e.status === 422);
  const posted = (await review(21, 17)).data;
  assert.equal(posted.state, 'COMMENTED');
  assert.deepEqual(pull.reviews.map((r) => r.comments.map((c) => [c.line, c.startLine])), [[[21, 17]]]);
  assert.deepEqual(github.violations, []);
});
