// `tracefix action` run the way a GitHub Actions runner runs a step: a real git checkout as the
// workspace, a real event payload file, temp GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, the
// step's inputs as INPUT_<NAME> variables, and GitHub answered by the local fake over HTTP.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { Run } from '../../schemas/run.ts';
import { actionRunner, assertTokenNowhere, RED_TEST } from '../helpers/action-runner.ts';
import { runCli } from '../helpers/cli.ts';
import { startFakeGithub } from '../helpers/fake-github.ts';
import { bwrapUnavailable } from '../helpers/sandbox-probes.ts';

const skip = bwrapUnavailable();
const TOKEN = 'ghs_actionTokenThatMustNeverBePrinted0001';

test('a failing test command on a push: the fix is found, opened as a draft PR on the pushed branch, reported in outputs, summary and an annotation; the token is masked', { skip, timeout: 600_000 }, async (t) => {
  const r = await actionRunner(t, { main: { 'test/unknown-coupon.test.js': RED_TEST } });
  const github = await startFakeGithub({ token: TOKEN });
  t.after(() => github.close());
  await github.state.importRepo('acme/shop', r.workspace);
  const env = { ...(await r.env('push', { ref: 'refs/heads/main', after: r.sha }, { 'GITHUB-TOKEN': TOKEN, 'TEST-COMMAND': 'node --test', SANDBOX: 'local', ENGINE: 'templates' })), GITHUB_API_URL: github.url };
  const res = await runCli(['action'], env, 540_000);
  assert.equal(res.code, 0, res.output);
  assert.ok(res.output.startsWith(`::add-mask::${TOKEN}`) || res.output.includes(`::add-mask::${TOKEN}\n`), 'the token is masked first');
  const firstMask = res.output.indexOf('::add-mask::');
  assert.ok(firstMask >= 0 && !res.output.slice(0, firstMask).includes('tracefix:'), 'nothing is printed before the mask');

  const outputs = await r.outputs();
  assert.equal(outputs.status, 'fixed');
  // One draft PR into the pushed branch, built from the run's patch and test.
  const pulls = [...github.state.mustRepo('acme/shop').pulls.values()];
  assert.equal(pulls.length, 1);
  assert.equal(pulls[0]!.base, 'main');
  assert.equal(pulls[0]!.draft, true);
  assert.equal(outputs['pr-url'], `http://127.0.0.1:${new URL(github.url).port}/acme/shop/pull/${pulls[0]!.number}`);
  assert.deepEqual(github.violations, []);
  assert.match(outputs.incident ?? '', /^inc_/);
  assert.equal(outputs.patch, path.join(r.dir, 'runner-temp', 'tracefix', 'patch.diff'));
  const patch = await readFile(outputs.patch!, 'utf8');
  assert.match(patch, /src\/cart\.js/);

  const result = Run.parse(JSON.parse(await readFile(path.join(r.dir, 'runner-temp', 'tracefix', 'result.json'), 'utf8')));
  assert.equal(result.status, 'fixed');
  assert.equal(result.incident.id, outputs.incident);
  assert.equal(result.incident.source, 'ci');
  assert.equal(result.reproduction?.status === 'reproduced' && result.reproduction.testId, 'test/unknown-coupon.test.js::an unknown coupon code charges the full price');

  // The crash frame is annotated where the runner shows it: on the file and line in the diff view.
  const annotation = /^::error title=tracefix[^,]*,file=([^,]+),line=(\d+)::TypeError: (.*)$/m.exec(res.output);
  assert.ok(annotation, res.output);
  assert.equal(annotation[1], 'src/cart.js');

  const summary = await r.summary();
  assert.match(summary, /^## tracefix: a validated fix was found/m);
  assert.ok(summary.includes(`- pull request: ${outputs['pr-url']}`), summary);
  assert.match(summary, /- created draft pull request #1 into main/);
  // The command was narrowed to its failing test: that one test is what the reproduction re-runs.
  assert.match(summary, /reproduction: `test\/unknown-coupon\.test\.js::an unknown coupon code charges the full price` fails with `TypeError: Cannot read properties of undefined/);
  assert.ok(summary.includes(patch.trim().split('\n')[0]!), 'the patch is in the summary');
  const checked = await assertTokenNowhere(r, res.output, TOKEN);
  assert.ok(checked.includes(path.join('tracefix', 'result.json')) && checked.includes(path.join('tracefix', 'patch.diff')), 'the artifacts were checked');
});

test('the tests pass: skipped, exit 0, and the summary says why', { skip, timeout: 300_000 }, async (t) => {
  const r = await actionRunner(t);
  const env = await r.env('push', { ref: 'refs/heads/main' }, { 'TEST-COMMAND': 'node --test', SANDBOX: 'local' });
  const res = await runCli(['action'], env, 240_000);
  assert.equal(res.code, 0, res.output);
  assert.equal((await r.outputs()).status, 'skipped');
  assert.match(await r.summary(), /nothing to do\n\nthe tests pass: there is no failure to repair/);
});

test('an issue labelled by someone who cannot write is skipped after asking GitHub; another label is not even checked', { timeout: 120_000 }, async (t) => {
  const github = await startFakeGithub({ token: TOKEN, repos: { 'acme/shop': { maintainer: 'maintain', visitor: 'read' } } });
  t.after(() => github.close());
  const r = await actionRunner(t);
  const issue = (label: string, login: string) => ({
    action: 'labeled',
    label: { name: label },
    issue: { number: 5, title: "TypeError: Cannot read properties of undefined (reading 'rate')", body: 'at applyCoupon (src/cart.js:15:36)', state: 'open', labels: [{ name: label }] },
    repository: { full_name: 'acme/shop' },
    sender: { login },
  });
  const inputs = { 'GITHUB-TOKEN': TOKEN, SANDBOX: 'local' };
  const env = { ...(await r.env('issues', issue('tracefix', 'visitor'), inputs)), GITHUB_API_URL: github.url };
  const res = await runCli(['action'], env, 60_000);
  assert.equal(res.code, 0, res.output);
  assert.equal((await r.outputs()).status, 'skipped');
  assert.match(await r.summary(), /visitor may not write to acme\/shop/);
  assert.deepEqual(github.requests.map((q) => [q.path, q.authorization]), [['/repos/acme/shop/collaborators/visitor/permission', `Bearer ${TOKEN}`]]);
  await assertTokenNowhere(r, res.output, TOKEN);

  const other = { ...(await r.env('issues', issue('bug', 'maintainer'), inputs)), GITHUB_API_URL: github.url };
  const res2 = await runCli(['action'], other, 60_000);
  assert.equal(res2.code, 0, res2.output);
  assert.equal((await r.outputs()).status, 'skipped');
  assert.equal(github.requests.length, 1, 'no permission check for a label that is not ours');
});

test('a broken setup exits 2 naming the variable', async () => {
  const res = await runCli(['action'], { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: '/nonexistent', GITHUB_WORKSPACE: '/tmp', GITHUB_REPOSITORY: 'acme/shop', RUNNER_TEMP: '/tmp', GITHUB_SHA: 'main' });
  assert.equal(res.code, 2, res.output);
  assert.match(res.output, /GITHUB_SHA: must be a 40-character commit SHA/);
  assert.doesNotMatch(res.output, /\n\s+at /);
});
