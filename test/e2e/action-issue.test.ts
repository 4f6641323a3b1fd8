// `tracefix action` on an `issues` labeled event (GitHub's own payload, test/fixtures/github): a
// labeller with write permission gets a pull request that fixes the issue and a comment on the
// issue pointing at it; a run that validates nothing still comments, saying why; a labeller
// without write permission starts nothing (test/e2e/action.test.ts). The token is in no output.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { actionRunner, assertTokenNowhere, type ActionRunner } from '../helpers/action-runner.ts';
import { runCli } from '../helpers/cli.ts';
import { startFakeGithub, type FakeGithub } from '../helpers/fake-github.ts';
import { bwrapUnavailable } from '../helpers/sandbox-probes.ts';

const skip = bwrapUnavailable();
const TOKEN = 'ghs_issueTokenThatMustNeverBePrinted00003';
const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/github/issues-labeled.json');

const CART_STACK = [
  'Checkout crashes for an unknown coupon code.',
  '',
  '```',
  "TypeError: Cannot read properties of undefined (reading 'rate')",
  '    at applyCoupon (/app/src/cart.js:15:32)',
  '    at checkout (/app/src/cart.js:21:16)',
  '    at handleCheckout (/app/src/server.js:6:17)',
  '```',
  '',
  'request: POST /api/checkout',
].join('\n');

/** GitHub's issues.labeled payload, pointed at the fake's repository and issue. */
async function labeledEvent(github: FakeGithub, issue: { number: number; title: string; body: string }, sender: string) {
  const payload = JSON.parse(await readFile(FIXTURE, 'utf8')) as Record<string, Record<string, unknown>>;
  const web = `http://127.0.0.1:${new URL(github.url).port}`;
  payload.issue = { ...payload.issue, ...issue, html_url: `${web}/acme/shop/issues/${issue.number}`, state: 'open', labels: [{ name: 'tracefix' }] };
  payload.label = { ...payload.label, name: 'tracefix' };
  payload.repository = { ...payload.repository, name: 'shop', full_name: 'acme/shop', owner: { ...(payload.repository!.owner as object), login: 'acme' } };
  payload.sender = { ...payload.sender, login: sender };
  return payload;
}

async function runOnIssue(t: { after(fn: () => Promise<void>): void }, r: ActionRunner, issue: { title: string; body: string }) {
  const github = await startFakeGithub({ token: TOKEN, repos: { 'acme/shop': { maintainer: 'maintain' } } });
  t.after(() => github.close());
  await github.state.importRepo('acme/shop', r.workspace);
  const number = github.state.createIssue('acme/shop', issue);
  const inputs = { 'GITHUB-TOKEN': TOKEN, SANDBOX: 'local', ENGINE: 'templates' };
  const env = { ...(await r.env('issues', await labeledEvent(github, { number, ...issue }, 'maintainer'), inputs)), GITHUB_API_URL: github.url };
  const res = await runCli(['action'], env, 540_000);
  assert.equal(res.code, 0, res.output);
  assert.deepEqual(github.violations, []);
  return { github, number, output: res.output };
}

test('an issue labelled by a maintainer: a pull request that fixes it, and a comment on the issue pointing at it', { skip, timeout: 600_000 }, async (t) => {
  const r = await actionRunner(t);
  const { github, number, output } = await runOnIssue(t, r, { title: "TypeError: Cannot read properties of undefined (reading 'rate')", body: CART_STACK });
  const outputs = await r.outputs();
  assert.equal(outputs.status, 'fixed', output);
  const repo = github.state.mustRepo('acme/shop');
  const pulls = [...repo.pulls.values()];
  assert.equal(pulls.length, 1);
  assert.equal(pulls[0]!.base, 'main');
  assert.equal(pulls[0]!.draft, true);
  assert.match(pulls[0]!.body, new RegExp(`Fixes #${number}\\b`));
  assert.equal(outputs['pr-url'], `http://127.0.0.1:${new URL(github.url).port}/acme/shop/pull/${pulls[0]!.number}`);
  const comments = [...repo.comments.values()].filter((c) => c.issue === number);
  assert.equal(comments.length, 1);
  assert.ok(comments[0]!.body.includes(`tracefix proposes a fix for this issue: ${outputs['pr-url']}`), comments[0]!.body);
  const permission = github.requests.find((q) => q.path === '/repos/acme/shop/collaborators/maintainer/permission');
  assert.ok(permission && permission.authorization === `Bearer ${TOKEN}`, 'the labeller was checked first');
  assert.equal(github.requests.indexOf(permission), 0);
  const files = await assertTokenNowhere(r, output, TOKEN);
  assert.ok(files.includes(path.join('tracefix', 'result.json')));
});

test('an issue whose failure cannot be reproduced: no pull request, and the issue is told why', { skip, timeout: 600_000 }, async (t) => {
  const r = await actionRunner(t);
  const body = ['```', 'RangeError: the warehouse is on fire', '    at shipOrder (/app/src/shipping.js:3:11)', '```'].join('\n');
  const { github, number, output } = await runOnIssue(t, r, { title: 'RangeError: the warehouse is on fire', body });
  const outputs = await r.outputs();
  assert.equal(outputs['pr-url'], '');
  const repo = github.state.mustRepo('acme/shop');
  assert.equal(repo.pulls.size, 0);
  const comments = [...repo.comments.values()].filter((c) => c.issue === number);
  assert.equal(comments.length, 1, output);
  const result = JSON.parse(await readFile(path.join(r.runnerTemp, 'tracefix', 'result.json'), 'utf8')) as { reason?: string; incident: { id: string } };
  assert.equal(outputs.status, 'not-reproduced');
  // The why is the run's own reason, as result.json records it.
  assert.match(result.reason ?? '', /src\/shipping\.js is not a file of the workspace/);
  assert.ok(comments[0]!.body.startsWith(`tracefix could not fix this issue: it could not reproduce the failure: ${result.reason}`), comments[0]!.body);
  assert.ok(comments[0]!.body.includes(result.incident.id));
  assert.ok(comments[0]!.body.includes('https://github.example/acme/shop/actions/runs/4242'), comments[0]!.body);
  assert.match(await r.summary(), new RegExp(`commented on issue #${number} with the result`));
  await assertTokenNowhere(r, output, TOKEN);
});
