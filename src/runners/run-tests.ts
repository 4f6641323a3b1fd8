// runTests: run the repository's tests (all, or some ids) in a sandbox and parse the framework's
// report. The report goes to a fresh directory in the sandbox's /tmp and is read back with `cat`.
import type { RepoConfig } from '../../schemas/repo-config.ts';
import type { TestCase, TestResults } from '../../schemas/test-results.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { instrument } from '../telemetry.ts';
import { getRunner } from './api.ts';
import { buildResults } from './results.ts';
import { inFreshDir, NO_TEMP_DIR_EXIT, probePackages, readReportsAndRemove, removeDir, RUN_ENV, tempDirPath, workspaceRoot } from './sandbox-io.ts';

export interface RunTestsOptions {
  /** Only these test ids (as a previous run reported them). */
  testIds?: readonly string[];
  /** Defaults to the config's test timeout, or its single-test timeout when ids are given. */
  timeoutMs?: number;
  /** Extra environment for the test process (the sandbox's allowlist still applies). */
  env?: Record<string, string>;
}

export async function runTests(sandbox: Sandbox, config: RepoConfig, options: RunTestsOptions = {}): Promise<TestResults> {
  const runner = getRunner(config.framework);
  return instrument('runners.run_tests', { 'tracefix.framework': runner.framework, 'tracefix.test_ids': options.testIds?.length ?? 0 }, async () => {
    const root = await workspaceRoot(sandbox);
    const packages = await probePackages(sandbox, runner.probePackages);
    // Two execs per run: the command (its report directory made first, in the same exec), then
    // the report read and the directory removed.
    const outDir = tempDirPath('tests');
    let removed = false;
    try {
      const cmd = runner.command({
        ...(options.testIds ? { testIds: options.testIds } : {}),
        outDir,
        baseCommand: config.test.command,
        packages,
      });
      const timeoutMs = options.timeoutMs ?? (options.testIds?.length ? config.timeouts.singleTestMs * Math.min(options.testIds.length, 5) : config.timeouts.testMs);
      const result = await sandbox.exec(inFreshDir(outDir, cmd.argv), { env: { ...RUN_ENV, ...options.env, ...cmd.env }, timeoutMs });
      if (result.exitCode === NO_TEMP_DIR_EXIT && /mkdir/.test(result.stderr)) {
        throw new Error(`Cannot create ${outDir} in the sandbox (a writable /tmp is required): ${result.stderr.trim()}`);
      }
      const files = await readReportsAndRemove(sandbox, cmd.reports, outDir);
      removed = true;
      const parsed = runner.parse(result, files, { root });
      return buildResults(runner.framework, cmd.argv, result, onlyRequested(parsed.tests, options.testIds), parsed.problem);
    } finally {
      if (!removed) await removeDir(sandbox, outDir);
    }
  });
}

/** Filtering frameworks (jest) report the tests they filtered out as skipped: drop those. */
function onlyRequested(tests: TestCase[], ids: readonly string[] | undefined): TestCase[] {
  if (!ids?.length) return tests;
  const wanted = new Set(ids);
  return tests.filter((t) => wanted.has(t.id) || t.status !== 'skipped');
}
