// `tracefix action` run the way a GitHub Actions runner runs a step: a real git checkout as the
// workspace, a real event payload file, temp GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, the
// step's inputs as INPUT_<NAME> variables, and GitHub answered by the local fake over HTTP.
import assert from 'node:assert/strict';
import { chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Run } from '../../schemas/run.ts';
import { runCli } from '../helpers/cli.ts';
import { startFakeGithub } from '../helpers/fake-github.ts';
import { gitIn } from '../helpers/git-repo.ts';
import { bwrapUnavailable } from '../helpers/sandbox-probes.ts';

const REPOS = path.resolve(import.meta.dirname, '../fixtures/repro-repos');
const skip = bwrapUnavailable();
const TOKEN = 'ghs_actionTokenThatMustNeverBePrinted0001';

const RED_TEST = [
  "const { test } = require('node:test');",
  "const assert = require('node:assert/strict');",
  "const { checkout } = require('../src/cart.js');",
  "test('an unknown coupon code charges the full price', () => {",
  "  assert.equal(checkout({ items: [{ sku: 'A-1', price: 10, qty: 3 }], couponCode: 'NOPE' }), 30);",
  '});',
  '',
].join('\n');

interface Runner {
  dir: string;
  workspace: string;
  sha: string;
  env(event: string, payload: unknown, inputs: Record<string, string>): Promise<Record<string, string>>;
  outputs(): Promise<Record<string, string>>;
  summary(): Promise<string>;
}

/** A runner's files around a checkout of the js-cart fixture (with an extra commit when given). */
async function runner(t: { after(fn: () => Promise<void>): void }, extra?: Record<string, string>): Promise<Runner> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-action-'));
  await chmod(dir, 0o711);
  t.after(() => rm(dir, { recursive: true, force: true }));
  const workspace = path.join(dir, 'workspace');
  await cp(path.join(REPOS, 'js-cart'), workspace, { recursive: true, filter: (src) => !src.endsWith('incident.sentry.json') });
  for (const [rel, content] of Object.entries(extra ?? {})) await writeFile(path.join(workspace, rel), content);
  await gitIn(workspace, 'init', '-q', '-b', 'main');
  await gitIn(workspace, 'add', '-A');
  await gitIn(workspace, 'commit', '-q', '-m', 'service');
  const sha = await gitIn(workspace, 'rev-parse', 'HEAD');
  const outputFile = path.join(dir, 'output');
  const summaryFile = path.join(dir, 'summary.md');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  return {
    dir,
    workspace,
    sha,
    env: async (event, payload, inputs) => {
      const eventPath = path.join(dir, 'event.json');
      await writeFile(eventPath, JSON.stringify(payload));
      const runnerTemp = path.join(dir, 'runner-temp');
      return {
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: event,
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_WORKSPACE: workspace,
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_SHA: sha,
        GITHUB_REF: 'refs/heads/main',
        GITHUB_RUN_ID: '4242',
        GITHUB_SERVER_URL: 'https://github.example',
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        RUNNER_TEMP: runnerTemp,
        ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
      };
    },
    outputs: async () => parseOutputs(await readFile(outputFile, 'utf8')),
    summary: () => readFile(summaryFile, 'utf8'),
  };
}

/** GITHUB_OUTPUT's file-command format: `name<<DELIM\nvalue\nDELIM`. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n?\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

/** Every line of the step's output except the mask command, which hands the runner the secret. */
function printed(output: string): string {
  return output.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
}

test('a failing test command on a push: the fix is found, opened as a draft PR on the pushed branch, reported in outputs, summary and an annotation; the token is masked', { skip, timeout: 600_000 }, async (t) => {
  const r = await runner(t, { 'test/unknown-coupon.test.js': RED_TEST });
  const github = await startFakeGithub({ token: TOKEN });
  t.after(() => github.close());
  await github.state.importRepo('acme/shop', r.workspace);
  const env = { ...(await r.env('push', { ref: 'refs/heads/main', after: r.sha }, { 'GITHUB-TOKEN': TOKEN, 'TEST-COMMAND': 'node --test', SANDBOX: 'local', ENGINE: 'templates' })), GITHUB_API_URL: github.url };
  const res = await runCli(['action'], env, 540_000);
  assert.equal(res.code, 0, res.output);
  assert.ok(res.output.startsWith(`::add-mask::${TOKEN}`) || res.output.includes(`::add-mask::${TOKEN}\n`), 'the token is masked first');
  const firstMask = res.output.indexOf('::add-mask::');
  assert.ok(firstMask >= 0 && !res.output.slice(0, firstMask).includes('tracefix:'), 'nothing is printed before the mask');
  assert.ok(!printed(res.output).includes(TOKEN), 'the token appears in no printed line');

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

  // The crash frame is annotated where the runner shows it: on the file and line in the diff view.
  const annotation = /^::error title=tracefix[^,]*,file=([^,]+),line=(\d+)::TypeError: (.*)$/m.exec(res.output);
  assert.ok(annotation, res.output);
  assert.equal(annotation[1], 'src/cart.js');

  const summary = await r.summary();
  assert.match(summary, /^## tracefix: a validated fix was found/m);
  assert.ok(summary.includes(`- pull request: ${outputs['pr-url']}`), summary);
  assert.match(summary, /- created draft pull request #1 into main/);
  assert.match(summary, /reproduction: `node --test` fails with `TypeError: Cannot read properties of undefined/);
  assert.ok(summary.includes(patch.trim().split('\n')[0]!), 'the patch is in the summary');
  for (const text of [summary, JSON.stringify(outputs), JSON.stringify(result)]) assert.ok(!text.includes(TOKEN));
});

test('the tests pass: skipped, exit 0, and the summary says why', { skip, timeout: 300_000 }, async (t) => {
  const r = await runner(t);
  const env = await r.env('push', { ref: 'refs/heads/main' }, { 'TEST-COMMAND': 'node --test', SANDBOX: 'local' });
  const res = await runCli(['action'], env, 240_000);
  assert.equal(res.code, 0, res.output);
  assert.equal((await r.outputs()).status, 'skipped');
  assert.match(await r.summary(), /nothing to do\n\nthe tests pass: there is no failure to repair/);
});

test('an issue labelled by someone who cannot write is skipped after asking GitHub; another label is not even checked', { timeout: 120_000 }, async (t) => {
  const github = await startFakeGithub({ token: TOKEN, repos: { 'acme/shop': { maintainer: 'maintain', visitor: 'read' } } });
  t.after(() => github.close());
  const r = await runner(t);
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
  assert.ok(!printed(res.output).includes(TOKEN));

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
