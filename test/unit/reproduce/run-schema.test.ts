// The run record (schemas/run.ts): the status/reason rules and a full fixed run.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Run, type Candidate } from '../../../schemas/run.ts';

const signature = { type: 'TypeError', message: "Cannot read properties of undefined (reading 'rate')", normalizedMessage: 'Cannot read properties of undefined (reading <str>)', frame: { file: 'src/cart.js', function: 'applyCoupon', line: 15 } };
const gateRun = { status: 'failed' as const, match: true, observed: { type: 'TypeError', message: signature.message, frame: signature.frame }, durationMs: 700 };
const reproduction = {
  status: 'reproduced' as const,
  source: 'synthesized' as const,
  framework: 'node-test' as const,
  testFile: 'test/tracefix-7f3a9c21.test.js',
  testId: 'test/tracefix-7f3a9c21.test.js::tracefix incident 7f3a9c21: applyCoupon as called in production',
  testContent: '…',
  signature,
  runs: 3,
  attempts: [{ n: 1, strategy: 'frame-call' as const, frame: { index: 0, file: 'src/cart.js', function: 'applyCoupon', line: 15 }, outcome: 'reproduced' as const, testFile: 'test/tracefix-7f3a9c21.test.js', arguments: [{ name: 'total', source: 'locals' as const }], runs: [gateRun, gateRun, gateRun] }],
};
const candidate: Candidate = {
  id: 'c1',
  engine: 'templates',
  description: 'guard-undefined at src/cart.js:15',
  location: { file: 'src/cart.js', line: 15 },
  diff: '--- a/src/cart.js\n+++ b/src/cart.js\n',
  stats: { files: 1, added: 1, removed: 0 },
  status: 'validated',
  checks: [{ name: 'reproduction', ok: true, detail: '3 of 3 passed' }, { name: 'sensitivity', ok: true }],
  durationMs: 9000,
};
const base = {
  version: 1 as const,
  id: 'run_1',
  incident: { id: 'inc_7f3a9c21e0', source: 'sentry' as const },
  repo: { url: 'https://github.com/acme/shop', commit: 'a'.repeat(40) },
  startedAt: '2025-07-01T12:04:00.000Z',
  localization: null,
  candidates: [] as Candidate[],
  proposal: null,
};

describe('Run', () => {
  it('accepts a fixed run with its evidence', () => {
    const run = Run.parse({
      ...base,
      status: 'fixed',
      finishedAt: '2025-07-01T12:05:00.000Z',
      reproduction,
      localization: { ranking: [{ file: 'src/cart.js', line: 15, function: 'applyCoupon', score: 0.85, reasons: ['crash site'] }], weights: { frames: 0.5, spectrum: 0.5 }, spectrum: { failingTests: [reproduction.testId], passingTests: 3, coveredLines: 20, problems: [] } },
      candidates: [candidate],
      proposal: { candidateId: 'c1', title: 'Guard an unknown coupon', body: '…', diff: candidate.diff, alternatives: [] },
    });
    assert.equal(run.status, 'fixed');
  });

  it('needs a reason unless fixed, and a validated candidate and a reproduction when fixed', () => {
    const issues = (input: unknown) => (Run.safeParse(input).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);
    assert.deepEqual(issues({ ...base, status: 'not-fixed', reproduction }), ['reason: a not-fixed run needs a reason']);
    assert.deepEqual(issues({ ...base, status: 'not-reproduced', reason: 'no test', reproduction: { status: 'not-reproduced', reason: 'no test', signature: null, attempts: [] } }), []);
    assert.deepEqual(issues({ ...base, status: 'not-reproduced', reason: 'x', reproduction }), ['status: the reproduction succeeded: the run cannot be not-reproduced']);
    assert.deepEqual(issues({ ...base, status: 'fixed', reproduction, candidates: [{ ...candidate, status: 'rejected' }], proposal: { candidateId: 'c1', title: 't', body: 'b', diff: 'd', alternatives: [] } }), [
      'proposal.candidateId: the proposal must name a validated candidate',
    ]);
    assert.deepEqual(issues({ ...base, status: 'fixed', reproduction: null }), ['proposal: a fixed run needs a proposal', 'reproduction: a fixed run needs a reproduction']);
  });
});
