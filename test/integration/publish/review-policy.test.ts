// The Action's review with suggestions under the publish policy, on the GitHub fake (every request
// checked against GitHub's OpenAPI description): the same decideFixPolicy() as a pull request, so
// .tracefix.yml at the default branch can turn it off, reserve paths for a person's approval or set
// a confidence floor, and a fix it holds back is not posted. The pull request's own .tracefix.yml
// does not govern the fix proposed on it. (test/e2e/action-review.test.ts runs the whole step.)
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { postReview } from '../../../src/action/review-step.ts';
import { GithubClients } from '../../../src/publish/github-client.ts';
import type { PublishMode } from '../../../src/publish/policy.ts';
import { REAL_RUN } from '../../helpers/dashboard-seed.ts';
import { startFakeGithub } from '../../helpers/fake-github.ts';
import { gitIn } from '../../helpers/git-repo.ts';

const TOKEN = 'ghp_reviewPolicyToken0000000000000000001';
const REPO = 'acme/shop';

test('the review obeys .tracefix.yml at the default branch: off, approval paths and a confidence floor hold it back', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-review-policy-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const cart = path.join(dir, 'src/cart.js');
  await cp(new URL('../../fixtures/repro-repos/js-cart', import.meta.url), dir, { recursive: true, filter: (src) => !src.endsWith('incident.sentry.json') });
  const broken = await readFile(cart, 'utf8');
  // main is healthy; the pull request brings the crash (the recorded run's patch is against it).
  await writeFile(cart, broken.replace('  return total - total * coupon.rate;', '  return coupon ? total - total * coupon.rate : total;'));
  await gitIn(dir, 'init', '-q', '-b', 'main');
  await gitIn(dir, 'add', '-A');
  await gitIn(dir, 'commit', '-q', '-m', 'shop');
  await gitIn(dir, 'checkout', '-q', '-b', 'coupons');
  await writeFile(cart, broken);
  // The pull request's own copy would loosen everything: it is not the one read.
  await writeFile(path.join(dir, '.tracefix.yml'), 'publish: ready\n');
  await gitIn(dir, 'add', '-A');
  await gitIn(dir, 'commit', '-q', '-m', 'coupons');
  const headSha = (await gitIn(dir, 'rev-parse', 'HEAD')).trim();

  const github = await startFakeGithub({ token: TOKEN });
  t.after(() => github.close());
  await github.state.importRepo(REPO, dir);
  const pull = github.state.openPull(REPO, { head: 'coupons', base: 'main', title: 'Coupons' });
  const clients = new GithubClients({ apiUrl: github.url, credentials: { kind: 'token', token: TOKEN } });
  const run = REAL_RUN;
  assert.equal(run.proposal?.confidence, undefined, 'the recorded run states no confidence: it counts as low');
  const outputs = { run, diff: run.proposal!.diff, prMarkdown: '' };
  const review = (mode: PublishMode = 'draft') => postReview({ clients, owner: 'acme', repo: 'shop', pullNumber: pull.number, headSha, outputs, mode });
  const onMain = (text: string) => github.state.commitFiles(REPO, 'main', { '.tracefix.yml': text }, 'publish policy');

  // No .tracefix.yml on main: the review is posted, draft or ready alike (a review has no draft state).
  const posted = await review('draft');
  assert.equal(posted.status, 'posted');
  assert.equal(pull.reviews.length, 1);
  assert.equal((await review('ready')).status, 'posted');
  assert.equal(pull.reviews.length, 2);

  onMain('publish: off\n');
  assert.deepEqual(await review(), { status: 'off', reason: 'publishing is off (.tracefix.yml sets publish: off)' });

  onMain('publish:\n  approvalPaths: ["src/**"]\n');
  assert.deepEqual(await review(), {
    status: 'awaiting-approval',
    reason: "waiting for a person's approval (the patch touches src/cart.js, which .tracefix.yml's publish.approvalPaths reserves for a person's approval)",
  });

  onMain('publish:\n  minConfidence: medium\n');
  assert.deepEqual(await review(), { status: 'awaiting-approval', reason: "waiting for a person's approval (the fix's confidence is low, below .tracefix.yml's publish.minConfidence: medium)" });

  onMain('publish:\n  minConfidence: low\n');
  assert.equal((await review()).status, 'posted');
  // The Action's own input still governs: off is off whatever the file allows.
  assert.equal((await review('off')).status, 'off');

  assert.equal(pull.reviews.length, 3, 'a review only when the policy let it through');
  const reads = github.requests.filter((r) => r.path === '/repos/acme/shop/contents/.tracefix.yml').map((r) => new URLSearchParams(r.query).get('ref'));
  assert.ok(reads.length >= 7 && reads.every((ref) => ref === 'main'), 'the policy is read at the default branch each time');
  assert.deepEqual(github.violations, []);
});
