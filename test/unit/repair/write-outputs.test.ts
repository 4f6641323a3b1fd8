// The run's output files: result.json parses against Run, patch.diff and pr.md only for a fixed
// run, the reproduction test under its own file name, nothing at all for an invalid record.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Candidate, type Reproduced, Run } from '../../../schemas/run.ts';
import { buildProposal, writeRunOutputs } from '../../../src/repair/proposal/index.ts';
import { signatureFromBundle } from '../../../src/reproduce/signature.ts';
import { fixtureBundle } from '../reproduce/helpers.ts';

const DIFF = 'diff --git a/src/cart.js b/src/cart.js\n--- a/src/cart.js\n+++ b/src/cart.js\n@@ -14,2 +14,3 @@\n   const coupon = findCoupon(code);\n+  if (!coupon) return total;\n   return total - total * coupon.rate;\n';
const TEST = "const { test } = require('node:test');\ntest('x', async () => {});\n";

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-outputs-'));
});
after(() => rm(dir, { recursive: true, force: true }));

async function fixedRun(): Promise<Run> {
  const bundle = await fixtureBundle('js-cart');
  const reproduction: Reproduced = {
    status: 'reproduced',
    source: 'synthesized',
    framework: 'node-test',
    testFile: 'test/tracefix-ab12.test.js',
    testId: 'test/tracefix-ab12.test.js::x',
    testContent: TEST,
    signature: signatureFromBundle(bundle, ['src/cart.js']),
    runs: 3,
    attempts: [],
  };
  const candidate: Candidate = {
    id: 'null-guard-ab12',
    engine: 'templates',
    description: 'null-guard',
    diff: DIFF,
    stats: { files: 1, added: 1, removed: 0 },
    status: 'validated',
    checks: [{ name: 'paths', ok: true, detail: 'ok' }],
    durationMs: 10,
  };
  return {
    version: 1,
    id: 'run_1',
    incident: { id: bundle.incident.id, source: 'sentry' },
    repo: {},
    engine: 'templates',
    startedAt: '2025-07-01T12:04:00.000Z',
    finishedAt: '2025-07-01T12:05:00.000Z',
    status: 'fixed',
    reproduction,
    localization: null,
    candidates: [candidate],
    proposal: buildProposal({ bundle, reproduction, localization: null, candidate, alternatives: [] }),
  };
}

describe('writeRunOutputs', () => {
  it('writes the patch, the test under its own name, pr.md and a result.json that parses as a Run', async () => {
    const out = path.join(dir, 'fixed');
    const run = await fixedRun();
    const written = await writeRunOutputs(out, run);
    assert.deepEqual(written.map((f) => path.relative(out, f)), ['patch.diff', 'tracefix-ab12.test.js', 'pr.md', 'result.json']);
    assert.equal(await readFile(path.join(out, 'patch.diff'), 'utf8'), DIFF);
    assert.equal(await readFile(path.join(out, 'tracefix-ab12.test.js'), 'utf8'), TEST);
    const pr = await readFile(path.join(out, 'pr.md'), 'utf8');
    assert.ok(pr.startsWith('# fix: TypeError in applyCoupon (src/cart.js)\n\ntracefix reproduced incident'), pr.slice(0, 80));
    assert.ok(pr.includes('## Evidence'));
    const text = await readFile(path.join(out, 'result.json'), 'utf8');
    assert.ok(text.startsWith('{\n  "version": 1,\n'));
    assert.deepEqual(Run.parse(JSON.parse(text)), run);
  });

  it('writes only the record and the test for a run that reproduced but found no fix', async () => {
    const out = path.join(dir, 'not-fixed');
    const run: Run = { ...(await fixedRun()), status: 'not-fixed', reason: 'no candidate patch passed validation', proposal: null };
    run.candidates = run.candidates.map((c) => ({ ...c, status: 'rejected', reason: 'suite' }));
    await writeRunOutputs(out, run);
    assert.deepEqual((await readdir(out)).sort(), ['result.json', 'tracefix-ab12.test.js']);
    Run.parse(JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')));
  });

  it('refuses an invalid record before writing anything', async () => {
    const out = path.join(dir, 'invalid');
    const run: Run = { ...(await fixedRun()), proposal: null };
    await assert.rejects(writeRunOutputs(out, run), /a fixed run needs a proposal/);
    assert.ok(!existsSync(out));
  });

  it('never writes the test outside the directory, whatever its path says', async () => {
    const out = path.join(dir, 'names');
    const run = await fixedRun();
    run.proposal = { ...run.proposal!, testFile: '../../escape/../result.json' };
    await writeRunOutputs(out, run);
    assert.deepEqual((await readdir(out)).sort(), ['patch.diff', 'pr.md', 'result.json']);
    Run.parse(JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')));
  });
});
