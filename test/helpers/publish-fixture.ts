// TEST HELPER: a fixed run of the js-cart fixture as `tracefix repair` leaves it (result.json,
// patch.diff, the test, pr.md), the repository as a local git checkout at the run's commit, and the
// same repository on the fake GitHub.
import { chmod, cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Candidate, Reproduced, Run } from '../../schemas/run.ts';
import { buildProposal, writeRunOutputs } from '../../src/repair/proposal/index.ts';
import { signatureFromBundle } from '../../src/reproduce/signature.ts';
import { fixtureBundle, REPRO_REPOS } from '../unit/reproduce/helpers.ts';
import { gitIn } from './git-repo.ts';

export const FIX_DIFF =
  'diff --git a/src/cart.js b/src/cart.js\n--- a/src/cart.js\n+++ b/src/cart.js\n@@ -14,2 +14,3 @@\n   const coupon = findCoupon(code);\n+  if (!coupon) return total;\n   return total - total * coupon.rate;\n';
export const TEST_FILE = 'test/tracefix-coupon.test.js';
export const TEST_CONTENT = "'use strict';\nconst { test } = require('node:test');\nconst assert = require('node:assert');\nconst { applyCoupon } = require('../src/cart.js');\ntest('unknown coupon', () => {\n  assert.strictEqual(applyCoupon(100, 'NOPE'), 100);\n});\n";

export interface PublishFixture {
  dir: string;
  repoDir: string;
  runDir: string;
  run: Run;
  commit: string;
  close(): Promise<void>;
}

export async function publishFixture(options: { incidentId?: string; diff?: string } = {}): Promise<PublishFixture> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-publish-'));
  await chmod(dir, 0o711);
  const repoDir = path.join(dir, 'repo');
  await cp(path.join(REPRO_REPOS, 'js-cart'), repoDir, { recursive: true, filter: (src) => !src.endsWith('incident.sentry.json') });
  await gitIn(repoDir, 'init', '-q', '-b', 'main');
  await gitIn(repoDir, 'add', '-A');
  await gitIn(repoDir, 'commit', '-q', '-m', 'shop-api 1.4.2');
  const commit = await gitIn(repoDir, 'rev-parse', 'HEAD');
  const bundle = await fixtureBundle('js-cart');
  if (options.incidentId) bundle.incident.id = options.incidentId;
  const diff = options.diff ?? FIX_DIFF;
  const reproduction: Reproduced = {
    status: 'reproduced',
    source: 'synthesized',
    framework: 'node-test',
    testFile: TEST_FILE,
    testId: `${TEST_FILE}::unknown coupon`,
    testContent: TEST_CONTENT,
    signature: signatureFromBundle(bundle, ['src/cart.js']),
    runs: 3,
    attempts: [],
  };
  const candidate: Candidate = {
    id: 'null-guard-ab12',
    engine: 'templates',
    description: 'null-guard',
    diff,
    stats: { files: 1, added: 1, removed: 0 },
    status: 'validated',
    checks: [{ name: 'paths', ok: true, detail: 'ok' }],
    durationMs: 10,
  };
  const run: Run = {
    version: 1,
    id: 'run-abc-12345678',
    incident: { id: bundle.incident.id, source: 'sentry' },
    repo: { url: repoDir, commit },
    engine: 'templates',
    startedAt: '2025-07-01T12:04:00.000Z',
    finishedAt: '2025-07-01T12:05:00.000Z',
    status: 'fixed',
    reproduction,
    localization: null,
    candidates: [candidate],
    proposal: buildProposal({ bundle, reproduction, localization: null, candidate, alternatives: [] }),
  };
  const runDir = path.join(dir, 'run');
  await writeRunOutputs(runDir, run);
  return { dir, repoDir, runDir, run, commit, close: () => rm(dir, { recursive: true, force: true }) };
}

/** The tree sha git itself computes for the checkout at `commit` plus the patch and the test. */
export async function expectedTree(repoDir: string, diffFile: string, testFile: string, testContent: string): Promise<string> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'tracefix-expected-'));
  try {
    await gitIn(repoDir, 'worktree', 'add', '-q', '--detach', work);
    await gitIn(work, 'apply', diffFile);
    const { writeFile, mkdir } = await import('node:fs/promises');
    await mkdir(path.dirname(path.join(work, testFile)), { recursive: true });
    await writeFile(path.join(work, testFile), testContent);
    await gitIn(work, 'add', '-A');
    return await gitIn(work, 'write-tree');
  } finally {
    await gitIn(repoDir, 'worktree', 'remove', '--force', work).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}
