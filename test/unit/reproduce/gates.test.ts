import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gate, gateRuns, reproEnv, type Execution } from '../../../src/reproduce/gates.ts';
import { makeSignature, type Observation } from '../../../src/reproduce/signature.ts';
import { repoConfig } from './helpers.ts';

const signature = makeSignature({ type: 'KeyError', message: "'price'", frame: { file: 'app/orders.py', function: 'line_total' } });
const hit: Observation = { kind: 'failed', type: 'KeyError', message: "'price'", frame: { file: 'app/orders.py', function: 'line_total', line: 5 } };

function sequence(observations: Observation[]): { execute: () => Promise<Execution>; calls: () => number } {
  let i = 0;
  return {
    execute: async () => {
      const observation = observations[i++] ?? { kind: 'missing' };
      return { observation, status: observation.kind === 'failed' ? 'failed' : observation.kind === 'passed' ? 'passed' : 'missing', durationMs: 5 };
    },
    calls: () => i,
  };
}

describe('gate', () => {
  it('passes only when every run fails with the signature', async () => {
    const s = sequence([hit, hit, hit]);
    const r = await gate(signature, s.execute, 3);
    assert.equal(r.passed, true);
    assert.equal(r.runs.length, 3);
    assert.ok(r.runs.every((run) => run.match && run.status === 'failed' && run.observed?.type === 'KeyError'));
  });

  it('stops at the first run that differs and reports it as flaky when earlier runs matched', async () => {
    const s = sequence([hit, hit, { kind: 'passed' }, hit]);
    const r = await gate(signature, s.execute, 3);
    assert.deepEqual(r.passed ? null : r.reason, 'flaky: failed with the signature in 2 of 3 runs, then test passed');
    assert.equal(s.calls(), 3);
    assert.deepEqual(r.runs.map((x) => x.match), [true, true, false]);
  });

  it('rejects on the first run without rerunning', async () => {
    const s = sequence([{ kind: 'failed', type: 'TypeError', message: 'x', frame: null }, hit, hit]);
    const r = await gate(signature, s.execute, 3);
    assert.deepEqual(r.passed ? null : r.reason, 'different exception TypeError vs KeyError in production');
    assert.equal(s.calls(), 1);
  });

  it('runs N = flakeReruns times, at least once', () => {
    const config = repoConfig('pytest');
    assert.equal(gateRuns(config), 3);
    assert.equal(gateRuns({ ...config, flakeReruns: 5 }), 5);
    assert.equal(gateRuns({ ...config, flakeReruns: 0 }), 1);
  });

  it("asks pytest for native tracebacks (every frame's function named), nothing of other runners", () => {
    assert.deepEqual(reproEnv(repoConfig('pytest'), { TZ: 'Europe/Berlin' }), { TZ: 'Europe/Berlin', PYTEST_ADDOPTS: '--tb=native' });
    assert.deepEqual(reproEnv(repoConfig('node-test')), {});
  });
});
