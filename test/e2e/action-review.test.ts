// `tracefix action` on a `pull_request` event whose test command fails: the fix is posted as one
// review with `suggestion` blocks on the PR's own lines (the GitHub fake refuses a comment on a line
// outside the PR's diff, as GitHub does, and computes the PR's files from its git objects); a fix
// outside the PR's diff goes into the review body; the review obeys the repository's publish policy
// (.tracefix.yml at the default branch, as a PR would: a fix below publish.minConfidence is not
// posted, whatever the PR's own .tracefix.yml says); a PR from a fork gets nothing written to
// GitHub, and the step says so. The token is in no output in any case.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { actionRunner, assertTokenNowhere, RED_TEST, type ActionRunner } from '../helpers/action-runner.ts';
import { runCli } from '../helpers/cli.ts';
import { startFakeGithub, type FakeGithub } from '../helpers/fake-github.ts';
import { gitIn } from '../helpers/git-repo.ts';
import { bwrapUnavailable } from '../helpers/sandbox-probes.ts';

const skip = bwrapUnavailable();
const TOKEN = 'ghs_reviewTokenThatMustNeverBePrinted0002';
const CART = path.resolve(import.meta.dirname, '../fixtures/repro-repos/js-cart/src/cart.js');

/** js-cart's cart.js with its coupon line guarded: main is healthy, the PR brings the crash. */
async function guardedCart(): Promise<string> {
  const text = await readFile(CART, 'utf8');
  const guarded = text.replace('  return total - total * coupon.rate;', '  return coupon ? total - total * coupon.rate : total;');
  assert.notEqual(guarded, text, 'the fixture still has its coupon line');
  return guarded;
}

function pullRequestEvent(r: ActionRunner, headRepo: string) {
  return {
    action: 'synchronize',
    number: 1,
    pull_request: { number: 1, head: { sha: r.sha, ref: 'coupons', repo: { full_name: headRepo } }, base: { ref: 'main', sha: r.baseSha, repo: { full_name: 'acme/shop' } } },
    repository: { full_name: 'acme/shop' },
  };
}

async function runOnPull(t: { after(fn: () => Promise<void>): void }, r: ActionRunner, headRepo = 'acme/shop'): Promise<{ github: FakeGithub; output: string }> {
  const github = await startFakeGithub({ token: TOKEN });
  t.after(() => github.close());
  await github.state.importRepo('acme/shop', r.workspace);
  assert.equal(github.state.openPull('acme/shop', { head: 'coupons', base: 'main', title: 'Coupons' }).number, 1);
  const inputs = { 'GITHUB-TOKEN': TOKEN, 'TEST-COMMAND': 'node --test', SANDBOX: 'local', ENGINE: 'templates' };
  const env = { ...(await r.env('pull_request', pullRequestEvent(r, headRepo), inputs)), GITHUB_REF: 'refs/pull/1/merge', GITHUB_API_URL: github.url };
  const res = await runCli(['action'], env, 540_000);
  assert.equal(res.code, 0, res.output);
  return { github, output: res.output };
}

/** The head's file with each suggestion applied over the lines it replaces (bottom first). */
function applySuggestions(text: string, comments: readonly { body: string; line?: number; startLine?: number }[]): string {
  const lines = text.split('\n');
  for (const c of [...comments].sort((a, b) => b.line! - a.line!)) {
    const m = /^(`{3,})suggestion\n([\s\S]*?)\n?\1$/m.exec(c.body);
    assert.ok(m, c.body);
    const replacement = m[2] === '' ? [] : m[2]!.split('\n');
    lines.splice((c.startLine ?? c.line!) - 1, (c.line! - (c.startLine ?? c.line!)) + 1, ...replacement);
  }
  return lines.join('\n');
}

test('a pull request that brings a crash: the fix is one review whose suggestions, applied, give the validated patch', { skip, timeout: 600_000 }, async (t) => {
  const broken = await readFile(CART, 'utf8');
  const r = await actionRunner(t, { main: { 'src/cart.js': await guardedCart() }, branch: { name: 'coupons', files: { 'src/cart.js': broken, 'test/unknown-coupon.test.js': RED_TEST } } });
  const { github, output } = await runOnPull(t, r);
  assert.deepEqual(github.violations, []);
  const outputs = await r.outputs();
  assert.equal(outputs.status, 'fixed', output);

  const pull = github.state.mustRepo('acme/shop').pulls.get(1)!;
  assert.equal(github.state.mustRepo('acme/shop').pulls.size, 1, 'no pull request is opened for a pull request');
  assert.equal(pull.reviews.length, 1);
  const review = pull.reviews[0]!;
  assert.equal(review.state, 'COMMENTED');
  assert.equal(review.commitId, r.sha);
  assert.ok(review.comments.length >= 1);
  for (const c of review.comments) {
    assert.equal(c.path, 'src/cart.js');
    assert.equal(c.side, 'RIGHT');
    assert.match(c.body, /```suggestion\n/);
  }
  assert.doesNotMatch(review.body, /outside this pull request's diff/);
  assert.match(review.body, /fails with `TypeError: Cannot read properties of undefined/);
  assert.doesNotMatch(review.body, /the reproduction test/, 'the failing test is the PR\'s own: not posted back');
  assert.equal(outputs['pr-url'], `http://127.0.0.1:${new URL(github.url).port}/acme/shop/pull/1#pullrequestreview-${review.id}`);

  // One click per suggestion gives exactly the file the validated patch gives.
  const patch = await readFile(outputs.patch!, 'utf8');
  await gitIn(r.workspace, 'apply', outputs.patch!);
  const patched = await readFile(path.join(r.workspace, 'src/cart.js'), 'utf8');
  await gitIn(r.workspace, 'checkout', '--', 'src/cart.js');
  assert.notEqual(patched, broken);
  assert.equal(applySuggestions(broken, review.comments), patched, patch);

  const summary = await r.summary();
  assert.match(summary, /- posted a review on pull request #1: \d+ suggestions? on its lines/);
  assert.match(output, /tracefix: posted a review on pull request #1/);
  const calls = github.requests.map((q) => `${q.method} ${q.path}`);
  assert.ok(calls.includes('GET /repos/acme/shop/pulls/1/files') && calls.includes('POST /repos/acme/shop/pulls/1/reviews'), calls.join('\n'));
  await assertTokenNowhere(r, output, TOKEN);
});

test('a pull request whose diff does not hold the crash line: no suggestion can sit there, so the fix is in the review body as a diff', { skip, timeout: 600_000 }, async (t) => {
  const r = await actionRunner(t, { branch: { name: 'coupons', files: { 'test/unknown-coupon.test.js': RED_TEST } } });
  const { github, output } = await runOnPull(t, r);
  assert.deepEqual(github.violations, []);
  assert.equal((await r.outputs()).status, 'fixed', output);
  const review = github.state.mustRepo('acme/shop').pulls.get(1)!.reviews[0];
  assert.ok(review, output);
  assert.deepEqual(review.comments, []);
  assert.match(review.body, /Changes outside this pull request's diff/);
  assert.match(review.body, /```diff\ndiff --git a\/src\/cart\.js b\/src\/cart\.js/);
  assert.match(await r.summary(), /0 suggestions on its lines, 1 change outside its diff in the review body/);
  await assertTokenNowhere(r, output, TOKEN);
});

test("the review obeys .tracefix.yml's publish policy at the default branch: a fix below publish.minConfidence is not posted, and the step says why", { skip, timeout: 600_000 }, async (t) => {
  const broken = await readFile(CART, 'utf8');
  // main asks for a person's approval below high confidence; the PR's own copy tries to say `ready`.
  const r = await actionRunner(t, {
    main: { 'src/cart.js': await guardedCart(), '.tracefix.yml': 'publish:\n  minConfidence: high\n' },
    branch: { name: 'coupons', files: { 'src/cart.js': broken, 'test/unknown-coupon.test.js': RED_TEST, '.tracefix.yml': 'publish: ready\n' } },
  });
  const { github, output } = await runOnPull(t, r);
  assert.deepEqual(github.violations, []);
  const outputs = await r.outputs();
  assert.equal(outputs.status, 'fixed', output);
  const run = JSON.parse(await readFile(path.join(r.runnerTemp, 'tracefix', 'result.json'), 'utf8')) as { proposal?: { confidence?: { level: string } } };
  const level = run.proposal?.confidence?.level ?? 'low';
  assert.notEqual(level, 'high', 'the fixture\'s fix is below the floor this test sets');

  assert.equal(github.state.mustRepo('acme/shop').pulls.get(1)!.reviews.length, 0, 'no review posted');
  assert.equal(github.state.mustRepo('acme/shop').pulls.size, 1, 'and no pull request opened instead');
  const calls = github.requests.map((q) => `${q.method} ${q.path}${q.query}`);
  assert.ok(calls.includes('GET /repos/acme/shop/contents/.tracefix.yml?ref=main'), calls.join('\n'));
  assert.ok(!calls.some((c) => c.startsWith('POST ')), calls.join('\n'));
  assert.equal(outputs['pr-url'], '');
  const why = new RegExp(`no review was posted on pull request #1: waiting for a person's approval \\(the fix's confidence is ${level}, below \\.tracefix\\.yml's publish\\.minConfidence: high\\); the fix is in this summary and the artifacts`);
  assert.match(await r.summary(), why);
  assert.match(output, why);
  await assertTokenNowhere(r, output, TOKEN);
});

test('a pull request from a fork: the fix goes to the summary and the artifacts only, nothing is written to GitHub, and the step says so', { skip, timeout: 600_000 }, async (t) => {
  const broken = await readFile(CART, 'utf8');
  const r = await actionRunner(t, { main: { 'src/cart.js': await guardedCart() }, branch: { name: 'coupons', files: { 'src/cart.js': broken, 'test/unknown-coupon.test.js': RED_TEST } } });
  const { github, output } = await runOnPull(t, r, 'a-contributor/shop');
  const outputs = await r.outputs();
  assert.equal(outputs.status, 'fixed', output);
  assert.equal(outputs['pr-url'], '');
  assert.deepEqual(github.requests, [], 'a fork run writes nothing to GitHub');
  assert.match(output, /tracefix: pull request #1 comes from a fork, whose workflows get no write token: the fix is in this summary and the artifacts only/);
  const summary = await r.summary();
  assert.match(summary, /comes from a fork/);
  assert.match(summary, /<summary>patch.diff<\/summary>/);
  const files = await assertTokenNowhere(r, output, TOKEN);
  assert.ok(files.includes(path.join('tracefix', 'patch.diff')));
});
