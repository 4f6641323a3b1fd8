// The failures users report from other agents, each against a scripted model through the real
// client, sandbox and validator: invalid tool arguments, edits to CI config and tests, loops that
// never stop, huge outputs, one call that blows the cost cap. None crashes the run, none leaves a
// change behind, none submits a partial diff.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Transcript, type TranscriptEvent } from '../../../schemas/transcript.ts';
import { createAgentEngine } from '../../../src/agent/index.ts';
import type { EngineResult } from '../../../src/repair/types.ts';
import { startFakeOpenAI, type FakeOpenAI, type Script } from '../../helpers/fake-openai.ts';
import { llmConfig, setUpRepair, type RepairSetup } from './helpers.ts';
import * as models from './scripted-models.ts';

const CI = 'name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n';
const BIG = Array.from({ length: 3000 }, (_, i) => `// line ${i + 1} ${'x'.repeat(200)}`).join('\n') + '\n';

let setup: RepairSetup;
let pristine: string;
let artifacts: string;

before(async () => {
  setup = await setUpRepair({ extraFiles: { '.github/workflows/ci.yml': CI, 'src/big.js': BIG } });
  pristine = await setup.fingerprint();
  artifacts = await mkdtemp(path.join(os.tmpdir(), 'tracefix-agent-guards-'));
});
after(async () => {
  await setup?.cleanup();
  await rm(artifacts, { recursive: true, force: true });
});

interface Run {
  fake: FakeOpenAI;
  result: EngineResult;
  transcript: Transcript;
  events: TranscriptEvent[];
  /** Tool result texts, in order. */
  results: string[];
}

let runs = 0;
async function run(script: Script, env: Record<string, string> = {}): Promise<Run> {
  const fake = await startFakeOpenAI({ script, apiKey: 'sk-test-Zq8kR2vN5xW1pL7mC3bT9yH4' });
  try {
    const dir = path.join(artifacts, `run-${++runs}`);
    const result = await createAgentEngine(llmConfig(fake.baseUrl, env)).run(setup.context({ artifactsDir: dir }));
    const transcript = Transcript.parse(JSON.parse(await readFile(path.join(dir, 'transcript.json'), 'utf8')));
    const events = transcript.attempts.flatMap((a) => a.events);
    const results = events.flatMap((e) => (e.type === 'message' && e.role === 'tool' ? [e.content] : []));
    assert.deepEqual(fake.violations, []);
    assert.equal(await setup.fingerprint(), pristine, 'the workspace is as the run found it');
    return { fake, result, transcript, events, results };
  } finally {
    await fake.close();
  }
}

describe('invalid tool arguments', () => {
  it('go back to the model as errors; the run goes on and fixes the bug', async () => {
    const r = await run(models.invalidArguments(), { TRACEFIX_LLM_STUCK_TURNS: '12' });
    assert.equal(r.result.stopped, 'validated');
    const [badType, badJson, unknown, missing, notFound, ambiguous, badEnum] = r.results;
    assert.match(badType!, /^error: invalid arguments for read_file: path: Invalid input: expected string, received number/);
    assert.match(badJson!, /^error: the arguments of edit are not valid JSON \(.+\); send one JSON object/);
    assert.match(unknown!, /^error: unknown tool "delete_file"; the tools are: read_file, list_dir, search, edit, write_test, run_tests, show_diff, submit/);
    assert.match(missing!, /^error: invalid arguments for edit: new_text: Invalid input: expected string, received undefined/);
    assert.match(notFound!, /^error: old_text was not found in src\/cart\.js; read the file again and copy the text exactly/);
    assert.match(ambiguous!, /^error: old_text matches \d+ places in src\/cart\.js \(lines [\d, ]+\); include more surrounding lines so it matches once/);
    assert.match(badEnum!, /^error: invalid arguments for run_tests: scope: Invalid option: expected one of "reproduction"\|"tests"\|"suite"/);
  });
});

describe('edits to CI configuration, tests and paths outside the workspace', () => {
  it('are refused at the tool layer with the reason, and nothing changes', async () => {
    const reproTest = setup.reproduction.testFile!;
    const r = await run(models.forbiddenEdits(reproTest), { TRACEFIX_LLM_STUCK_TURNS: '20' });
    assert.equal(r.result.stopped, 'gave up: the model stopped calling tools');
    assert.deepEqual(r.result.candidates, [], 'nothing was submitted');
    assert.deepEqual(r.results, [
      'error: refused: .github/workflows/ci.yml is not editable (matches the denied pattern ".github/**")',
      'error: refused: test/cart.test.js is an existing test file: tests are evidence, a fix never edits or deletes them',
      'error: refused: test/cart.test.js is an existing test file: tests are evidence, a fix never edits or deletes them',
      `error: refused: ${reproTest} is the reproduction test; a fix makes it pass as it is`,
      'error: refused: src/evil.js is not where this repository keeps tests (test file patterns: ' + setup.repoConfig.test.files.join(', ') + ')',
      'error: refused: "../../../etc/passwd" is not a path inside the workspace (use a relative path such as src/app.js)',
      'error: refused: .git/config is git metadata',
      'error: old_text and new_text are the same: nothing to change',
      'error: nothing to submit: no source file differs from the commit (edit the code first)',
    ]);
  });
});

describe('loops that never stop', () => {
  it('the same action and observation three times: stuck', async () => {
    const r = await run(models.sameReadForever());
    assert.equal(r.result.stopped, 'stuck: the same action and observation 3 times in a row (read_file {"path":"src/cart.js"})');
    assert.equal(r.fake.requests.length, 3);
    assert.ok(r.events.some((e) => e.type === 'stuck'));
  });

  it('no edit for K turns: stuck', async () => {
    const r = await run(models.wanderForever(), { TRACEFIX_LLM_STUCK_TURNS: '5' });
    assert.equal(r.result.stopped, 'stuck: no edit in 5 turns');
    assert.equal(r.fake.requests.length, 5);
  });

  it('an edit and its reverse, alternating: stuck', async () => {
    const r = await run(models.editBackAndForth());
    assert.match(r.result.stopped, /^stuck: the same two actions alternating 3 times \(edit /);
    assert.equal(r.fake.requests.length, 6);
    assert.deepEqual(r.result.candidates, []);
  });

  it('turns run out: budget: max turns, every attempt', async () => {
    const r = await run(models.wanderForever(), { TRACEFIX_LLM_MAX_TURNS: '4', TRACEFIX_LLM_ATTEMPTS: '2' });
    assert.equal(r.result.stopped, 'budget: max turns');
    assert.deepEqual(r.transcript.attempts.map((a) => a.stopped), ['budget: max turns', 'budget: max turns']);
    assert.equal(r.fake.requests.length, 8);
  });
});

describe('huge outputs', () => {
  it('a reply past the output cap is cut while streaming and its tool calls dropped', async () => {
    const r = await run(models.hugeReplyThenFix(3_000_000), { TRACEFIX_LLM_MAX_OUTPUT_TOKENS: '512' });
    assert.equal(r.result.stopped, 'validated');
    const first = r.events.find((e) => e.type === 'model-call');
    assert.ok(first?.type === 'model-call' && first.cut, JSON.stringify(first));
    assert.ok(first.usage.completionTokens >= 512, 'a cut reply is charged at least its whole reservation');
    assert.ok(first.usage.completionTokens < 5000, 'reading stopped soon after the cap');
    const nudge = r.events.find((e) => e.type === 'message' && e.role === 'user' && e.content.startsWith('Your reply passed'));
    assert.ok(nudge, 'the model is told its reply was cut');
    const kept = r.events.find((e) => e.type === 'message' && e.role === 'assistant');
    assert.ok(kept?.type === 'message' && kept.content.length <= 16_100);
  });

  it('tool output is cut with a marker at the configured size', async () => {
    const r = await run(models.hugeToolOutputs('src/big.js'), { TRACEFIX_LLM_TOOL_OUTPUT_CHARS: '4000' });
    assert.equal(r.result.stopped, 'validated');
    const [read, search] = r.results;
    for (const text of [read!, search!]) {
      assert.ok(text.length <= 4200, `${text.length} chars`);
      assert.match(text, /\[… \d+ characters cut: the output passed the \d+-character limit; (read a smaller line range|narrow the request to see the rest) …\]/);
      assert.match(text, /<\/untrusted-data>$/, 'the block is closed after the cut');
    }
    assert.match(read!, /^src\/big\.js: lines 1-400 of 3000; 2600 more lines after 400 \(read on with start_line 401\)/);
  });
});

describe('one call that blows the cost cap', () => {
  it('stops the run at that call; the reply is recorded, never acted on', async () => {
    const r = await run(models.overspendOnOneCall(2_000_000), { TRACEFIX_LLM_MAX_COST_USD: '0.5' });
    assert.equal(r.result.stopped, 'budget: max cost');
    assert.equal(r.fake.requests.length, 1);
    const request = r.fake.requests[0]!.body;
    const call = r.events.find((e) => e.type === 'model-call');
    assert.ok(call?.type === 'model-call');
    // The reservation: the prompt as counted, and only as much output as the cap could pay for.
    assert.equal(request.max_completion_tokens, call.reserved.outputTokens);
    assert.ok(call.reserved.costUsd <= 0.5);
    assert.equal(call.usage.completionTokens, 2_000_000);
    assert.equal(r.result.usage?.costUsd, (1200 * 1 + 2_000_000 * 4) / 1_000_000);
    const budget = r.events.find((e) => e.type === 'budget');
    assert.ok(budget?.type === 'budget');
    assert.match(budget.detail ?? '', /^spent \$8\.0012 of \$0\.5000: the last call cost \$8\.0012; the reply was not acted on$/);
    assert.equal(r.events.filter((e) => e.type === 'tool').length, 0, 'the edit was never run');
    assert.deepEqual(r.result.candidates, []);
  });

  it('a call that cannot fit is never made', async () => {
    const r = await run(models.fixInThreeSteps(), { TRACEFIX_LLM_MAX_COST_USD: '0.001' });
    assert.equal(r.result.stopped, 'budget: max cost');
    assert.equal(r.fake.requests.length, 0);
    const budget = r.events.find((e) => e.type === 'budget');
    assert.ok(budget?.type === 'budget');
    assert.match(budget.detail ?? '', /^the next call may cost up to \$0\.\d{6}; \$0\.001000 of \$0\.001000 left$/);
  });
});

describe('the endpoint', () => {
  const KEY = 'sk-test-Zq8kR2vN5xW1pL7mC3bT9yH4';

  it('failing with a retriable status is retried, each retry budgeted like any call', async () => {
    const fix = models.fixInThreeSteps();
    const r = await run((request, index) => (index === 0 ? { error: { status: 503, message: 'overloaded' } } : fix(request, index)));
    assert.equal(r.result.stopped, 'validated');
    assert.equal(r.fake.requests.length, 4);
    const failed = r.events.find((e) => e.type === 'model-call' && e.error);
    assert.match(failed?.type === 'model-call' ? (failed.error ?? '') : '', /^the model endpoint answered 503: /);
  });

  it('refusing the key ends the run; the key echoed back never reaches the reason or the transcript', async () => {
    const r = await run(() => ({ error: { status: 401, message: `Incorrect API key provided: ${KEY}.` } }));
    assert.equal(r.result.stopped, 'model error: the model endpoint answered 401: 401 Incorrect API key provided: [redacted].');
    assert.equal(r.fake.requests.length, 1, 'a 401 is not retried');
    assert.ok(!JSON.stringify(r.transcript).includes(KEY));
  });

  it('a slow model runs into the wall clock', async () => {
    const r = await run((request) => ({ ...models.wanderForever()(request, 0), delayMs: 700 }), { TRACEFIX_LLM_TIMEOUT_MS: '3500' });
    assert.equal(r.result.stopped, 'budget: wall clock');
    assert.ok(r.fake.requests.length <= 3, String(r.fake.requests.length));
  });
});
