// The agent fixes js-cart's bug in three steps against the scripted endpoint, streamed and not:
// the real `openai` client, the real sandbox, the real validator. The validated candidate, its
// root cause, the usage and the transcript come back; the workspace is as the engine found it;
// `tracefix replay` prints the transcript.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { Transcript } from '../../../schemas/transcript.ts';
import { createAgentEngine } from '../../../src/agent/index.ts';
import type { EngineResult } from '../../../src/repair/types.ts';
import { runCli } from '../../helpers/cli.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../helpers/fake-openai.ts';
import { llmConfig, setUpRepair, type RepairSetup } from './helpers.ts';
import { fixInThreeSteps, stuckThenFix } from './scripted-models.ts';

let setup: RepairSetup;
let pristine: string;
let artifacts: string;

before(async () => {
  setup = await setUpRepair();
  pristine = await setup.fingerprint();
  artifacts = await mkdtemp(path.join(os.tmpdir(), 'tracefix-agent-artifacts-'));
});
after(async () => {
  await setup?.cleanup();
  await rm(artifacts, { recursive: true, force: true });
});

for (const stream of ['on', 'off'] as const) {
  describe(`a fix in three steps (stream ${stream})`, () => {
    let fake: FakeOpenAI;
    let result: EngineResult;
    let dir: string;

    before(async () => {
      fake = await startFakeOpenAI({ script: fixInThreeSteps(), apiKey: 'sk-test-Zq8kR2vN5xW1pL7mC3bT9yH4' });
      dir = path.join(artifacts, `stream-${stream}`);
      const engine = createAgentEngine(llmConfig(fake.baseUrl, { TRACEFIX_LLM_STREAM: stream }));
      result = await engine.run(setup.context({ artifactsDir: dir }));
    });
    after(() => fake.close());

    it('returns the validated candidate with the model root cause', () => {
      assert.deepEqual(fake.violations, []);
      assert.equal(result.stopped, 'validated');
      assert.equal(result.candidates.length, 1);
      const [candidate] = result.candidates;
      assert.equal(candidate?.status, 'validated', JSON.stringify(candidate, null, 2));
      assert.equal(candidate?.id, 'llm-1-1');
      assert.equal(candidate?.engine, 'llm');
      assert.match(candidate?.diff ?? '', /\+ {2}if \(!coupon\) return total;/);
      assert.match(result.rootCauses.get('llm-1-1') ?? '', /findCoupon returns undefined/);
    });

    it('made three model calls, each streamed as configured, with the reserved output cap', () => {
      assert.equal(fake.requests.length, 3);
      for (const r of fake.requests) {
        assert.equal(r.body.stream ?? false, stream === 'on');
        if (stream === 'on') assert.deepEqual(r.body.stream_options, { include_usage: true });
        assert.ok((r.body.max_completion_tokens ?? 0) > 0 && (r.body.max_completion_tokens ?? 0) <= 4096);
        assert.equal(r.body.temperature, 0.2);
        assert.deepEqual(r.body.tools?.map((t) => t.function.name).sort(), ['edit', 'list_dir', 'read_file', 'run_tests', 'search', 'show_diff', 'submit', 'write_test']);
      }
      assert.equal(result.usage?.calls, 3);
      assert.ok((result.usage?.promptTokens ?? 0) > 0);
      assert.ok((result.usage?.costUsd ?? 0) > 0);
    });

    it('leaves the workspace as it found it', async () => {
      assert.equal(await setup.fingerprint(), pristine);
    });

    it('writes the transcript: messages, tool calls, tokens, cost, the verdict', async () => {
      assert.equal(result.artifacts?.['transcript'], path.join(dir, 'transcript.json'));
      const t = Transcript.parse(JSON.parse(await readFile(path.join(dir, 'transcript.json'), 'utf8')));
      assert.equal(t.stopped, 'validated');
      assert.equal(t.attempts.length, 1);
      const events = t.attempts[0]!.events;
      assert.equal(events.filter((e) => e.type === 'model-call').length, 3);
      assert.deepEqual(events.filter((e) => e.type === 'tool').map((e) => e.type === 'tool' && e.name), ['read_file', 'edit', 'submit']);
      assert.ok(events.some((e) => e.type === 'submit' && e.status === 'validated' && e.id === 'llm-1-1'));
      assert.equal(t.price.source, 'configured');
      assert.ok(!JSON.stringify(t).includes('sk-test-Zq8kR2vN5xW1pL7mC3bT9yH4'), 'the key never reaches the transcript');
      for (const e of events) if (e.type === 'model-call') assert.equal(e.usage.estimated, false);
    });

    it('tracefix replay prints it, from the file, the directory and a run id', async () => {
      const file = await runCli(['replay', path.join(dir, 'transcript.json')], {});
      assert.equal(file.code, 0, file.output);
      assert.match(file.output, /tracefix repair transcript · incident inc_7f3a9c21e0/);
      assert.match(file.output, /→ read_file \{"path":"src\/cart\.js"\}/);
      assert.match(file.output, /── submitted llm-1-1 \(src\/cart\.js\): validated/);
      assert.match(file.output, /result: validated · 3 calls/);
      assert.ok(!file.output.includes('\u001b['), 'no color when stdout is not a terminal');
      const fromDir = await runCli(['replay', dir], {});
      assert.equal(fromDir.output, file.output);
      const byId = await runCli(['replay', `stream-${stream}`], { TRACEFIX_DATA_DIR: await runsDir(dir, stream) });
      assert.equal(byId.code, 0, byId.output);
      assert.equal(byId.output, file.output);
    });
  });
}

/** A data dir whose runs/<id> is the artifact dir (a symlink, as the service lays runs out). */
async function runsDir(dir: string, stream: string): Promise<string> {
  const { mkdir, symlink } = await import('node:fs/promises');
  const data = path.join(artifacts, `data-${stream}`);
  await mkdir(path.join(data, 'runs'), { recursive: true });
  await symlink(dir, path.join(data, 'runs', `stream-${stream}`));
  return data;
}

describe('tracefix replay without a transcript', () => {
  it('exits 2 with a clear message', async () => {
    const r = await runCli(['replay', 'no-such-run'], { TRACEFIX_DATA_DIR: artifacts });
    assert.equal(r.code, 2);
    assert.match(r.output, /no transcript for "no-such-run": not a transcript file, a directory with transcript\.json, or a run id or .*runs\/no-such-run\/transcript\.json/);
  });
});

describe('a stuck first attempt, then a second with another seed and temperature', () => {
  it('stops attempt 1 as stuck, fixes in attempt 2', async () => {
    const fake = await startFakeOpenAI({ script: stuckThenFix(), apiKey: 'sk-test-Zq8kR2vN5xW1pL7mC3bT9yH4' });
    try {
      const dir = path.join(artifacts, 'two-attempts');
      const result = await createAgentEngine(llmConfig(fake.baseUrl, { TRACEFIX_LLM_ATTEMPTS: '2' })).run(setup.context({ artifactsDir: dir }));
      assert.equal(result.stopped, 'validated');
      assert.deepEqual(result.candidates.map((c) => [c.id, c.status]), [['llm-2-1', 'validated']]);
      const t = Transcript.parse(JSON.parse(await readFile(path.join(dir, 'transcript.json'), 'utf8')));
      assert.deepEqual(t.attempts.map((a) => [a.n, a.seed, a.temperature, a.stopped]), [
        [1, 1, 0.2, 'stuck: the same action and observation 3 times in a row (read_file {"path":"src/cart.js"})'],
        [2, 2, 0.5, 'validated'],
      ]);
      assert.deepEqual([...new Set(fake.requests.map((r) => `${r.body.seed}:${r.body.temperature}`))], ['1:0.2', '2:0.5']);
      assert.equal(await setup.fingerprint(), pristine);
    } finally {
      await fake.close();
    }
  });
});
