// `tracefix repair --engine llm` as a user runs it against an OpenAI-compatible endpoint: here the
// scripted local server (real HTTP, the real `openai` client in the CLI process). The agent's
// patch goes through the same validation as a template's; the transcript lands beside the result
// and `tracefix replay` prints it; the API key never reaches the sandbox, the prompt or the output.
import assert from 'node:assert/strict';
import { chmod, cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Run } from '../../schemas/run.ts';
import { runCli } from '../helpers/cli.ts';
import { startFakeOpenAI } from '../helpers/fake-openai.ts';
import { gitIn } from '../helpers/git-repo.ts';
import { bwrapUnavailable } from '../helpers/sandbox-probes.ts';
import { llmEnv } from '../integration/agent/helpers.ts';
import { fixInThreeSteps } from '../integration/agent/scripted-models.ts';

const REPOS = path.resolve(import.meta.dirname, '../fixtures/repro-repos');
const skip = bwrapUnavailable();

async function setUp(t: { after(fn: () => Promise<void>): void }): Promise<{ dir: string; repo: string; bundlePath: string; env: Record<string, string> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-repair-llm-'));
  await chmod(dir, 0o711);
  t.after(() => rm(dir, { recursive: true, force: true }));
  const repo = path.join(dir, 'js-cart');
  await cp(path.join(REPOS, 'js-cart'), repo, { recursive: true, filter: (src) => !src.endsWith('incident.sentry.json') });
  await gitIn(repo, 'init', '-q', '-b', 'main');
  await gitIn(repo, 'add', '-A');
  await gitIn(repo, 'commit', '-q', '-m', 'shop-api');
  const env = { TRACEFIX_DATA_DIR: path.join(dir, 'data'), TRACEFIX_SANDBOX_DRIVER: 'local' };
  const bundlePath = path.join(dir, 'bundle.json');
  const made = await runCli(['bundle', '--sentry', path.join(REPOS, 'js-cart', 'incident.sentry.json'), '--repo', repo, '-o', bundlePath], env);
  assert.equal(made.code, 0, made.output);
  return { dir, repo, bundlePath, env };
}

test('--engine llm: the model fixes the bug in three tool calls, validated like any candidate, with a transcript to replay', { skip, timeout: 600_000 }, async (t) => {
  const { dir, repo, bundlePath, env } = await setUp(t);
  const key = 'sk-test-Zq8kR2vN5xW1pL7mC3bT9yH4';
  const model = await startFakeOpenAI({ script: fixInThreeSteps(), apiKey: key });
  t.after(() => model.close());
  const out = path.join(dir, 'out');
  const repaired = await runCli(['repair', '--bundle', bundlePath, '--repo', repo, '--engine', 'llm', '--out', out], { ...env, ...llmEnv(model.baseUrl) }, 540_000);
  assert.equal(repaired.code, 0, repaired.output);
  assert.deepEqual(model.violations, []);
  assert.equal(model.requests.length, 3, 'one request per step of the script');

  const result = Run.parse(JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')));
  assert.equal(result.status, 'fixed');
  assert.equal(result.engine, 'llm');
  const chosen = result.candidates.find((c) => c.id === result.proposal?.candidateId);
  assert.equal(chosen?.engine, 'llm');
  assert.ok(chosen?.checks.some((c) => c.name === 'sensitivity' && c.ok));
  assert.match(result.proposal?.body ?? '', /findCoupon returns undefined/, "the model's root cause is in the PR body");

  const files = await readdir(out);
  assert.ok(files.includes('transcript.json'), `transcript written (got ${files.join(', ')})`);
  const replay = await runCli(['replay', out], env);
  assert.equal(replay.code, 0, replay.output);
  assert.match(replay.output, /read_file/);
  assert.match(replay.output, /submit/);
  for (const text of [repaired.output, replay.output, await readFile(path.join(out, 'transcript.json'), 'utf8'), await readFile(path.join(out, 'pr.md'), 'utf8')]) {
    assert.ok(!text.includes(key), 'the API key appears nowhere');
  }
});

test('--engine auto with a model configured: the templates fix it first and the model is never called', { skip, timeout: 600_000 }, async (t) => {
  const { dir, repo, bundlePath, env } = await setUp(t);
  const model = await startFakeOpenAI({ script: fixInThreeSteps(), apiKey: 'sk-test-Zq8kR2vN5xW1pL7mC3bT9yH4' });
  t.after(() => model.close());
  const out = path.join(dir, 'out');
  const repaired = await runCli(['repair', '--bundle', bundlePath, '--repo', repo, '--out', out], { ...env, ...llmEnv(model.baseUrl) }, 540_000);
  assert.equal(repaired.code, 0, repaired.output);
  const result = Run.parse(JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')));
  assert.equal(result.engine, 'templates');
  assert.equal(model.requests.length, 0, 'no tokens spent when the offline engine suffices');
});
