// The reproduce stage on real repositories, in real sandboxes: for each fixture, a test is
// synthesized from the production incident, fails with the incident's signature 3 of 3 runs,
// and passes once the known fix is applied. Wrong reconstructions and different bugs are
// rejected with the precise reason.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Reproduction } from '../../../schemas/run.ts';
import type { RepoConfig } from '../../../schemas/repo-config.ts';
import { reproduce, type ReproduceResult } from '../../../src/reproduce/index.ts';
import { runTests } from '../../../src/runners/run-tests.ts';
import type { Sandbox } from '../../../src/sandbox/types.ts';
import { loadRepoConfig } from '../../../src/workspace/repo-config.ts';
import { fixtureBundle, sentryFrames } from '../../unit/reproduce/helpers.ts';
import { applyFix, copyRepo, sandboxTargets, type RepoCopy } from './helpers.ts';

const targets = await sandboxTargets();
const primary = targets[0];

const FIXTURES = [
  { name: 'js-cart', runtime: 'node', testFile: 'test/tracefix-7f3a9c21.test.js', fn: 'applyCoupon', type: 'TypeError' },
  { name: 'ts-invoices', runtime: 'node', testFile: 'test/tracefix-2b81d04c.test.ts', fn: 'formatDueDate', type: 'RangeError' },
  { name: 'py-orders', runtime: 'python', testFile: 'tests/test_tracefix_c4e59a11.py', fn: 'line_total', type: 'KeyError' },
] as const;

interface Env {
  repo: RepoCopy;
  sandbox: Sandbox;
  config: RepoConfig;
}

async function setUp(target: (typeof targets)[number], name: string, runtime: 'node' | 'python'): Promise<Env> {
  const repo = await copyRepo(name);
  const sandbox = await target.create(repo.dir, runtime);
  return { repo, sandbox, config: await loadRepoConfig(repo.dir) };
}

async function tearDown(env: Env | undefined): Promise<void> {
  await env?.sandbox.destroy();
  await env?.repo.cleanup();
}

for (const target of targets) {
  for (const fx of FIXTURES) {
    describe(`reproduce ${fx.name} (${target.name})`, { skip: target.skip }, () => {
      let env: Env;
      let result: ReproduceResult;

      before(async () => {
        env = await setUp(target, fx.name, fx.runtime);
        result = await reproduce({ bundle: await fixtureBundle(fx.name), workspaceDir: env.repo.dir, sandbox: env.sandbox, repoConfig: env.config });
      });
      after(() => tearDown(env));

      it('synthesizes a test that fails with the signature 3 of 3 runs', () => {
        Reproduction.parse(result);
        assert.equal(result.status, 'reproduced', JSON.stringify(result, null, 2));
        if (result.status !== 'reproduced') return;
        assert.equal(result.testFile, fx.testFile);
        assert.equal(result.runs, 3);
        assert.equal(result.signature.type, fx.type);
        assert.equal(result.signature.frame?.function, fx.fn);
        const winner = result.attempts.at(-1);
        assert.equal(winner?.outcome, 'reproduced');
        assert.equal(winner?.runs.length, 3);
        for (const run of winner?.runs ?? []) {
          assert.equal(run.match, true);
          assert.equal(run.observed?.type, fx.type);
          assert.equal(run.observed?.frame?.function, fx.fn);
        }
        // Written beside the repository's tests, and left there for the repair stage.
        assert.equal(readFileSync(path.join(env.repo.dir, fx.testFile), 'utf8'), result.testContent);
      });

      it('passes once the known fix is applied, and the suite stays green', async () => {
        assert.equal(result.status, 'reproduced');
        if (result.status !== 'reproduced') return;
        const testId = result.testId;
        await applyFix(env.repo.dir, fx.name);
        const one = await runTests(env.sandbox, env.config, { testIds: [testId] });
        assert.deepEqual(one.tests.map((t) => [t.id, t.status]), [[testId, 'passed']], JSON.stringify(one.tests, null, 2));
        if (target !== primary) return; // the suite's behaviour does not depend on the driver
        const suite = await runTests(env.sandbox, env.config);
        assert.equal(suite.summary.failed + suite.summary.errors, 0, JSON.stringify(suite.tests.filter((t) => t.status !== 'passed'), null, 2));
        assert.ok(suite.tests.some((t) => t.id === testId));
      });
    });
  }

  // Rejection reasons come from the gates, not the driver: checked in the primary sandbox only.
  describe(`wrong reconstructions and different bugs (${target.name})`, { skip: target === primary ? target.skip : 'checked with the primary sandbox' }, () => {
    it('rejects a test whose inputs do not trigger the bug ("test passed") and walks up to the caller', async () => {
      const env = await setUp(target, 'js-cart', 'node');
      try {
        const bundle = await fixtureBundle('js-cart', (event) => {
          (sentryFrames(event).at(-1) as Record<string, any>)['vars']['code'] = 'SAVE10';
        });
        const r = await reproduce({ bundle, workspaceDir: env.repo.dir, sandbox: env.sandbox, repoConfig: env.config });
        assert.equal(r.status, 'reproduced', JSON.stringify(r, null, 2));
        assert.deepEqual(r.attempts.map((a) => [a.frame?.function, a.outcome, a.reason]), [
          ['applyCoupon', 'rejected', 'test passed'],
          ['checkout', 'reproduced', undefined],
        ]);
        assert.equal(r.attempts[0]?.runs.length, 1, 'a rejected candidate is not rerun');
      } finally {
        await tearDown(env);
      }
    });

    it('rejects a different bug with the message that differs, and reports not-reproduced', async () => {
      const env = await setUp(target, 'js-cart', 'node');
      try {
        const bundle = await fixtureBundle('js-cart', (event) => {
          event['exception'].values[0].value = "Cannot read properties of null (reading 'rate')";
        });
        const r = await reproduce({ bundle, workspaceDir: env.repo.dir, sandbox: env.sandbox, repoConfig: env.config });
        assert.equal(r.status, 'not-reproduced');
        const expected = 'message differs: got "Cannot read properties of undefined (reading <str>)", production "Cannot read properties of null (reading <str>)"';
        assert.deepEqual(r.attempts.map((a) => a.reason), [expected, expected, expected]);
        assert.match(r.status === 'not-reproduced' ? r.reason : '', /^no candidate test failed with the incident's signature \(3 tried\)/);
        // Rejected candidates leave nothing behind in the workspace.
        assert.ok(!existsSync(path.join(env.repo.dir, 'test/tracefix-7f3a9c21.test.js')));
      } finally {
        await tearDown(env);
      }
    });

    it('rejects a Python reconstruction that raises another exception, naming both types', async () => {
      const env = await setUp(target, 'py-orders', 'python');
      try {
        const bundle = await fixtureBundle('py-orders', (event) => {
          (sentryFrames(event).at(-1) as Record<string, any>)['vars'] = { line: { sku: "'X'", price: "'9.5'", qty: 'None' } };
        });
        const r = await reproduce({ bundle, workspaceDir: env.repo.dir, sandbox: env.sandbox, repoConfig: env.config });
        assert.equal(r.attempts[0]?.outcome, 'rejected');
        assert.equal(r.attempts[0]?.reason, 'different exception TypeError vs KeyError in production');
        assert.equal(r.status, 'reproduced');
        assert.equal(r.attempts.at(-1)?.frame?.function, 'order_total');
      } finally {
        await tearDown(env);
      }
    });
  });
}
