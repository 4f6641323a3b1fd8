// The repair benchmark with `--engine llm`: without an endpoint it records that the engine was
// not measured; with one (the scripted endpoint here) a bug goes through the repair core in a
// sandbox and the report carries the fix, the model's tokens and its cost. The sandbox is the
// primary test sandbox (bubblewrap, or the host helper where it cannot run).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadBug, writeBug, type Bug } from '../../../bench/repair/corpus.ts';
import { runBug, type BugReport } from '../../../bench/repair/harness.ts';
import { llmPipeline } from '../../../bench/repair/llm-pipeline.ts';
import { markdown } from '../../../bench/repair/report.ts';
import { pipelineFor } from '../../../bench/repair/run.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../helpers/fake-openai.ts';
import { sandboxTargets } from '../reproduce/helpers.ts';
import { llmConfig } from './helpers.ts';
import { call, sequence } from './scripted-models.ts';

const TEST = `'use strict';
const { test } = require('node:test');
const assert = require('node:assert');
const { add } = require('./solution.js');
test('examples', () => {
  assert.strictEqual(add(2, 3), 5);
});
`;

let corpus: string;
let bug: Bug;

before(async () => {
  corpus = await mkdtemp(path.join(os.tmpdir(), 'tracefix-bench-llm-'));
  const dir = await writeBug(corpus, {
    meta: {
      id: 'js-add',
      language: 'node',
      bugType: 'operator misuse',
      source: { name: 'test', task: 'add' },
      files: ['solution.js'],
      function: 'add',
      tests: { visible: ['node', '--test', 'solution.test.js'], groundTruth: ['node', '--test', 'hidden.test.js'] },
    },
    incident: { kind: 'visible-failing-test', testId: 'solution.test.js > examples', command: ['node', '--test', 'solution.test.js'] },
    repo: {
      'solution.js': "'use strict';\n\nfunction add(a, b) {\n  return a - b;\n}\n\nmodule.exports = { add };\n",
      'solution.test.js': TEST,
      // Not `node --test solution.test.js`: node ignores the runner's reporter flags after a file (open point in the report).
      'package.json': JSON.stringify({ name: 'js-add', private: true, type: 'commonjs', scripts: { test: 'node --test' } }, null, 2) + '\n',
    },
    groundTruth: { 'hidden.test.js': TEST.replace("test('examples'", "test('hidden'").replace('add(2, 3), 5', 'add(-4, 1), -3') },
  });
  bug = await loadBug(dir);
});
after(() => rm(corpus, { recursive: true, force: true }));

describe('bench --engine llm', () => {
  it('is recorded as not measured without an endpoint', async () => {
    const { pipeline, note } = await pipelineFor('llm');
    assert.equal(pipeline, undefined);
    assert.equal(note, 'LLM engine not measured: no OpenAI-compatible endpoint is configured (OPENAI_BASE_URL, TRACEFIX_MODEL)');
  });

  describe('with an endpoint', () => {
    let fake: FakeOpenAI;
    let report: BugReport;

    before(async () => {
      fake = await startFakeOpenAI({
        apiKey: 'sk-test-Zq8kR2vN5xW1pL7mC3bT9yH4',
        script: sequence([
          call('read_file', { path: 'solution.js' }),
          call('edit', { path: 'solution.js', old_text: 'return a - b;', new_text: 'return a + b;' }),
          call('submit', { summary: 'add adds', root_cause: 'add subtracted its second argument instead of adding it.' }),
        ]),
      });
      const [target] = await sandboxTargets();
      report = await runBug(bug, llmPipeline(llmConfig(fake.baseUrl), (dir, runtime) => target!.create(dir, runtime)));
    });
    after(() => fake.close());

    it('reports the fix, graded against the hidden tests, with tokens and cost', () => {
      assert.deepEqual(fake.violations, []);
      assert.equal(report.reproduced, true, report.reason ?? '');
      assert.equal(report.plausible, true, report.reason ?? '');
      assert.equal(report.correct, true);
      assert.equal(report.template, 'llm');
      assert.equal(report.patchLines, 2);
      assert.equal(report.usage?.calls, 3);
      assert.ok((report.usage?.promptTokens ?? 0) > 0 && (report.usage?.costUsd ?? 0) > 0);
    });

    it('prints tokens and cost per bug in the report', () => {
      const text = markdown([report], { corpus: 'test (1 bugs)', engine: 'llm', published: false });
      assert.match(text, /\| js-add \| yes \| 3 \| [\d,]+ \| [\d,]+ \| \$0\.\d{4} \|/);
      assert.match(text, /\| \*\*total\*\* \| 1 of 1 \| 3 \|/);
    });
  });
});
