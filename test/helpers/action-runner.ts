// What a GitHub Actions runner gives `tracefix action`, built for tests: a real git checkout of the
// js-cart fixture as GITHUB_WORKSPACE (optionally a pull request's branch on top of main), an
// event payload file, empty GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, RUNNER_TEMP, and the
// step's inputs as INPUT_<NAME> variables. Also the check every action test makes: the token is in
// no printed line, no output, no summary and no file the run left under RUNNER_TEMP.
import assert from 'node:assert/strict';
import { chmod, cp, lstat, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gitIn } from './git-repo.ts';

const REPOS = path.resolve(import.meta.dirname, '../fixtures/repro-repos');

/** A test that fails on js-cart as shipped: an unknown coupon crashes checkout. */
export const RED_TEST = [
  "const { test } = require('node:test');",
  "const assert = require('node:assert/strict');",
  "const { checkout } = require('../src/cart.js');",
  "test('an unknown coupon code charges the full price', () => {",
  "  assert.equal(checkout({ items: [{ sku: 'A-1', price: 10, qty: 3 }], couponCode: 'NOPE' }), 30);",
  '});',
  '',
].join('\n');

export interface ActionRunner {
  dir: string;
  workspace: string;
  /** The commit checked out (the pull request's head when there is one). */
  sha: string;
  /** main's commit. */
  baseSha: string;
  runnerTemp: string;
  env(event: string, payload: unknown, inputs: Record<string, string>): Promise<Record<string, string>>;
  outputs(): Promise<Record<string, string>>;
  summary(): Promise<string>;
}

export interface RunnerOptions {
  /** Files written on main over the fixture. */
  main?: Record<string, string>;
  /** A branch on top of main with these files, checked out. */
  branch?: { name: string; files: Record<string, string> };
}

async function commitFiles(workspace: string, files: Record<string, string>, message: string): Promise<string> {
  for (const [rel, content] of Object.entries(files)) await writeFile(path.join(workspace, rel), content);
  await gitIn(workspace, 'add', '-A');
  await gitIn(workspace, 'commit', '-q', '-m', message);
  return gitIn(workspace, 'rev-parse', 'HEAD');
}

export async function actionRunner(t: { after(fn: () => Promise<void>): void }, options: RunnerOptions = {}): Promise<ActionRunner> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-action-'));
  await chmod(dir, 0o711);
  t.after(() => rm(dir, { recursive: true, force: true }));
  const workspace = path.join(dir, 'workspace');
  await cp(path.join(REPOS, 'js-cart'), workspace, { recursive: true, filter: (src) => !src.endsWith('incident.sentry.json') });
  await gitIn(workspace, 'init', '-q', '-b', 'main');
  const baseSha = await commitFiles(workspace, options.main ?? {}, 'service');
  let sha = baseSha;
  if (options.branch) {
    await gitIn(workspace, 'checkout', '-q', '-b', options.branch.name);
    sha = await commitFiles(workspace, options.branch.files, 'a change under review');
  }
  const outputFile = path.join(dir, 'output');
  const summaryFile = path.join(dir, 'summary.md');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const runnerTemp = path.join(dir, 'runner-temp');
  return {
    dir,
    workspace,
    sha,
    baseSha,
    runnerTemp,
    env: async (event, payload, inputs) => {
      const eventPath = path.join(dir, 'event.json');
      await writeFile(eventPath, JSON.stringify(payload));
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
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n?\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

/** Every line of the step's output except the mask command, which hands the runner the secret. */
export function printed(output: string): string {
  return output.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  const files: string[] = [];
  for (const rel of entries) {
    const full = path.join(dir, rel);
    if ((await lstat(full)).isFile()) files.push(full);
  }
  return files;
}

/** The token is in no printed line, output, summary, or file under RUNNER_TEMP (the artifacts).
 * Returns the files checked, relative to RUNNER_TEMP. */
export async function assertTokenNowhere(r: ActionRunner, stepOutput: string, token: string): Promise<string[]> {
  assert.ok(!printed(stepOutput).includes(token), 'the token is in a printed line');
  assert.ok(!JSON.stringify(await r.outputs()).includes(token), 'the token is in GITHUB_OUTPUT');
  assert.ok(!(await r.summary()).includes(token), 'the token is in the job summary');
  const files = await filesUnder(r.runnerTemp);
  for (const file of files) assert.ok(!(await readFile(file)).includes(token), `the token is in ${path.relative(r.runnerTemp, file)}`);
  return files.map((f) => path.relative(r.runnerTemp, f));
}
