// The shared scenario of the runner integration tests: every fixture in test/fixtures/repos has a
// `discount` function whose HALF branch is wrong, one passing test (no code), one failing test
// (HALF: expected 5, got 6) and one skipped test. Each test file calls runnerScenario once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RepoConfig } from '../../schemas/repo-config.ts';
import type { Framework, TestResults } from '../../schemas/test-results.ts';
import { TestResults as TestResultsSchema } from '../../schemas/test-results.ts';
import { collectCoverageDetailed } from '../../src/runners/collect-coverage.ts';
import { runTests } from '../../src/runners/run-tests.ts';
import type { Sandbox } from '../../src/sandbox/types.ts';
import { loadRepoConfig } from '../../src/workspace/repo-config.ts';
import { prepareFixture, type Fixture } from './fixture-repos.ts';
import { createHostSandbox } from './host-sandbox.ts';

export interface Scenario {
  fixture: string;
  framework: Framework;
  passingId: string;
  failingId: string;
  skippedId: string;
  /** The source file under test, workspace-relative. */
  sourceFile: string;
  /** Lines of sourceFile that only the failing test executes (the HALF branch). */
  failingOnlyLines: number[];
  /** A line only the passing test executes (`return price`). */
  passingOnlyLine: number;
  /** The actual value as the framework renders it (6, or 6.0 in Python). */
  actual: RegExp;
  /** Makes the sandbox; the host helper by default. */
  sandbox?: (dir: string) => Promise<Sandbox>;
  skip?: string | false;
  /** Names the sandbox in the suite title. */
  label?: string;
}

export function runnerScenario(s: Scenario): void {
  describe(`${s.framework} runner (${s.fixture} fixture, ${s.label ?? 'host helper sandbox'})`, { skip: s.skip ?? false }, () => {
    let fixture: Fixture;
    let sandbox: Sandbox;
    let config: RepoConfig;
    let full: TestResults;

    before(async () => {
      fixture = await prepareFixture(s.fixture);
      sandbox = s.sandbox ? await s.sandbox(fixture.dir) : createHostSandbox(fixture.dir);
      config = await loadRepoConfig(fixture.dir);
      full = await runTests(sandbox, config);
    });
    after(async () => {
      await sandbox?.destroy();
      await fixture?.cleanup();
    });

    it('detects the framework', () => {
      assert.equal(config.framework, s.framework);
    });

    it('runs the suite and parses every test', () => {
      TestResultsSchema.parse(full);
      assert.equal(full.problem, undefined, full.problem ?? '');
      const byId = new Map(full.tests.map((t) => [t.id, t]));
      assert.deepEqual([...byId.keys()].sort(), [s.failingId, s.passingId, s.skippedId].sort(), JSON.stringify(full.tests, null, 2));
      assert.equal(byId.get(s.passingId)?.status, 'passed');
      assert.equal(byId.get(s.skippedId)?.status, 'skipped');
      const failing = byId.get(s.failingId);
      assert.equal(failing?.status, 'failed');
      assert.match(failing.failure?.message ?? '', /5/);
      assert.match(failing.failure?.message ?? '', s.actual);
      assert.equal(failing.failure?.expected, '5');
      assert.match(failing.failure?.actual ?? '', s.actual);
      assert.equal(failing.file, s.failingId.includes('::') ? s.failingId.split('::')[0] : failing.file);
      assert.deepEqual(
        { total: full.summary.total, passed: full.summary.passed, failed: full.summary.failed, skipped: full.summary.skipped },
        { total: 3, passed: 1, failed: 1, skipped: 1 },
      );
      assert.notEqual(full.raw.exitCode, 0);
    });

    it('runs a single test by id', async () => {
      const one = await runTests(sandbox, config, { testIds: [s.failingId] });
      assert.equal(one.problem, undefined, one.problem ?? '');
      assert.deepEqual(one.tests.map((t) => [t.id, t.status]), [[s.failingId, 'failed']]);
      const pass = await runTests(sandbox, config, { testIds: [s.passingId] });
      assert.deepEqual(pass.tests.map((t) => [t.id, t.status]), [[s.passingId, 'passed']]);
      assert.equal(pass.raw.exitCode, 0);
    });

    it('collects per-test line coverage that separates the branch', async () => {
      const { coverage, runs } = await collectCoverageDetailed(sandbox, config, [s.passingId, s.failingId]);
      assert.deepEqual(runs, { [s.passingId]: { status: 'passed' }, [s.failingId]: { status: 'failed' } });
      const failLines = new Set(coverage[s.failingId]?.[s.sourceFile] ?? []);
      const passLines = new Set(coverage[s.passingId]?.[s.sourceFile] ?? []);
      assert.ok(failLines.size > 0, `no coverage of ${s.sourceFile}: ${JSON.stringify(coverage)}`);
      for (const line of s.failingOnlyLines) {
        assert.ok(failLines.has(line), `failing test should cover line ${line}: ${[...failLines]}`);
        assert.ok(!passLines.has(line), `passing test should not cover line ${line}: ${[...passLines]}`);
      }
      assert.ok(passLines.has(s.passingOnlyLine), `passing test should cover line ${s.passingOnlyLine}: ${[...passLines]}`);
      assert.ok(!failLines.has(s.passingOnlyLine), `failing test should not cover line ${s.passingOnlyLine}`);
      // Only the workspace's own sources: no test files, no dependencies.
      for (const files of Object.values(coverage)) {
        assert.deepEqual(Object.keys(files), [s.sourceFile]);
      }
    });
  });
}
