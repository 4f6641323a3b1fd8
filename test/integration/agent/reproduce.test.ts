// The agent writes the reproduction when test synthesis cannot: js-cart's incident without any
// recorded locals or request body, and with the input search turned off (maxSearch: 0; it would
// otherwise find boundary values), leaves synthesis nothing to call the code with. The scripted
// model first submits a test that throws the production error itself (rejected by the signature
// gate: the crash frame differs), then one that calls checkout as production did (reproduced,
// N of N runs). Only the winning test stays in the workspace.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Reproduction } from '../../../schemas/run.ts';
import { Transcript } from '../../../schemas/transcript.ts';
import { agentReproduce, type AgentReproduceResult } from '../../../src/agent/index.ts';
import { reproduce } from '../../../src/reproduce/index.ts';
import { listWorkspaceFiles } from '../../../src/reproduce/workspace-paths.ts';
import type { Sandbox } from '../../../src/sandbox/types.ts';
import { loadRepoConfig } from '../../../src/workspace/repo-config.ts';
import { lastResults, startFakeOpenAI, type FakeOpenAI } from '../../helpers/fake-openai.ts';
import { fixtureBundle } from '../../unit/reproduce/helpers.ts';
import { copyRepo, sandboxTargets, type RepoCopy } from '../reproduce/helpers.ts';
import { llmConfig } from './helpers.ts';
import { call, sequence } from './scripted-models.ts';

const CHEAT = `'use strict';
const { test } = require('node:test');
test('throws the production error itself', () => {
  throw new TypeError("Cannot read properties of undefined (reading 'rate')");
});
`;

const GOOD = `'use strict';
const { test } = require('node:test');
const { checkout } = require('../src/cart.js');
test('checkout with a coupon code the shop does not know', () => {
  checkout({ items: [{ sku: 'A-1', price: 12.5, qty: 2 }], couponCode: 'SPRING24' });
});
`;

/** The id of the model's own test as run_tests reported it ("Tests in your files:"). */
function ownTestId(results: string[], file: string): string {
  const line = results.join('\n').split('\n').find((l) => l.startsWith(`${file}::`));
  assert.ok(line, results.join('\n'));
  return line.replace(/: (failed|passed|error|skipped)$/, '');
}

const script = sequence([
  call('read_file', { path: 'test/cart.test.js' }),
  call('write_test', { path: 'test/agent-cheat.test.js', content: CHEAT }),
  call('submit_reproduction', { test_file: 'test/agent-cheat.test.js', test_id: 'test/agent-cheat.test.js::throws the production error itself', explanation: 'throws it' }),
  call('write_test', { path: 'test/agent-repro.test.js', content: GOOD }),
  call('run_tests', { scope: 'suite' }),
  (request) =>
    call('submit_reproduction', {
      test_file: 'test/agent-repro.test.js',
      test_id: ownTestId(lastResults(request), 'test/agent-repro.test.js'),
      explanation: 'checkout applies the unknown coupon SPRING24; findCoupon returns undefined and applyCoupon reads its rate.',
    }),
]);

describe('agentReproduce when synthesis cannot write a test', () => {
  let repo: RepoCopy;
  let sandbox: Sandbox;
  let fake: FakeOpenAI;
  let result: AgentReproduceResult;
  let artifacts: string;

  before(async () => {
    repo = await copyRepo('js-cart');
    const [target] = await sandboxTargets();
    sandbox = await target!.create(repo.dir, 'node');
    const repoConfig = await loadRepoConfig(repo.dir);
    const bundle = await fixtureBundle('js-cart', (event) => {
      for (const frame of event['exception'].values[0].stacktrace.frames) delete frame.vars;
      delete event['request'].data;
    });
    const workspaceFiles = await listWorkspaceFiles(repo.dir);
    const previous = await reproduce({ bundle, workspaceDir: repo.dir, sandbox, repoConfig, workspaceFiles, maxSearch: 0 });
    assert.equal(previous.status, 'not-reproduced', JSON.stringify(previous, null, 2));
    artifacts = await mkdtemp(path.join(os.tmpdir(), 'tracefix-agent-repro-'));
    fake = await startFakeOpenAI({ script, apiKey: 'sk-test-Zq8kR2vN5xW1pL7mC3bT9yH4' });
    result = await agentReproduce({ llm: llmConfig(fake.baseUrl), bundle, sandbox, repoConfig, workspaceFiles, previous, artifactsDir: artifacts });
  });
  after(async () => {
    await fake?.close();
    await sandbox?.destroy();
    await repo?.cleanup();
    await rm(artifacts, { recursive: true, force: true });
  });

  it('reproduces through the signature and flake gates with the agent strategy', () => {
    assert.deepEqual(fake.violations, []);
    assert.equal(result.stopped, 'reproduced');
    const r = Reproduction.parse(result.reproduction);
    assert.equal(r.status, 'reproduced', JSON.stringify(r, null, 2));
    if (r.status !== 'reproduced') return;
    assert.equal(r.source, 'agent');
    assert.equal(r.testFile, 'test/agent-repro.test.js');
    assert.equal(r.testId, 'test/agent-repro.test.js::checkout with a coupon code the shop does not know');
    assert.equal(r.testContent, GOOD);
    assert.equal(r.runs, 3);
    const agent = r.attempts.filter((a) => a.strategy === 'agent');
    assert.deepEqual(agent.map((a) => [a.testFile, a.outcome]), [['test/agent-cheat.test.js', 'rejected'], ['test/agent-repro.test.js', 'reproduced']]);
    assert.match(agent[0]!.reason ?? '', /^crash frame differs/);
    assert.equal(agent[1]!.runs.length, 3);
    assert.ok(agent[1]!.runs.every((run) => run.match));
    // Numbered after synthesis' own attempts.
    assert.deepEqual(r.attempts.map((a) => a.n), r.attempts.map((_, i) => i + 1));
    assert.ok(r.attempts.some((a) => a.strategy === 'frame-call'));
  });

  it('keeps only the winning test in the workspace', () => {
    assert.equal(readFileSync(path.join(repo.dir, 'test/agent-repro.test.js'), 'utf8'), GOOD);
    assert.ok(!existsSync(path.join(repo.dir, 'test/agent-cheat.test.js')));
  });

  it('offers the reproduction tools only: no edit, no submit of a patch', () => {
    const names = fake.requests[0]!.body.tools?.map((t) => t.function.name).sort();
    assert.deepEqual(names, ['list_dir', 'read_file', 'run_tests', 'search', 'show_diff', 'submit_reproduction', 'write_test']);
  });

  it('records the transcript', () => {
    const t = Transcript.parse(JSON.parse(readFileSync(result.artifacts.transcript, 'utf8')));
    assert.equal(t.kind, 'reproduce');
    assert.equal(t.stopped, 'reproduced');
    assert.deepEqual(
      t.attempts[0]!.events.flatMap((e) => (e.type === 'submit' ? [[e.files[0], e.status]] : [])),
      [['test/agent-cheat.test.js', 'rejected'], ['test/agent-repro.test.js', 'reproduced']],
    );
  });
});
