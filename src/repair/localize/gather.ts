// Per-test coverage for the spectrum, through the runners: one suite run tells which tests pass,
// then the reproduction and (a bounded number of) passing tests each run alone under coverage.
// Tests that already failed before the repair are left out: they fail for their own reasons and
// would blur the spectrum of this bug.
import type { RepoConfig } from '../../../schemas/repo-config.ts';
import type { TestCoverage, TestResults } from '../../../schemas/test-results.ts';
import { collectCoverageDetailed } from '../../runners/collect-coverage.ts';
import { runTests } from '../../runners/run-tests.ts';
import type { Sandbox } from '../../sandbox/types.ts';
import type { Logger } from '../../telemetry.ts';

export interface GatherInput {
  sandbox: Sandbox;
  repoConfig: RepoConfig;
  /** The reproduction's test id (it fails). */
  failingTestId: string;
  /** A suite run already made (by the reproduce or validate stage); run here when absent. */
  suite?: TestResults;
  /** Passing tests measured at most. @defaultValue 30 */
  maxPassing?: number;
  /** Passing tests whose file names one of these stems go first (the files on the stack). */
  preferStems?: readonly string[];
  log?: Logger;
}

export interface GatheredCoverage {
  coverage: TestCoverage;
  failing: string[];
  passing: string[];
  problems: string[];
}

function pick(ids: string[], stems: readonly string[], max: number): string[] {
  const mentions = (id: string) => (stems.some((s) => s && id.split('::')[0]?.includes(s)) ? 1 : 0);
  return [...ids].sort((a, b) => mentions(b) - mentions(a) || (a < b ? -1 : a > b ? 1 : 0)).slice(0, max);
}

export async function gatherCoverage(input: GatherInput): Promise<GatheredCoverage> {
  const { sandbox, repoConfig: config, failingTestId } = input;
  const problems: string[] = [];
  const suite = input.suite ?? (await runTests(sandbox, config));
  if (suite.problem) problems.push(`suite run: ${suite.problem}`);
  const passingAll = suite.tests.filter((t) => t.status === 'passed' && t.id !== failingTestId).map((t) => t.id);
  const max = input.maxPassing ?? 30;
  const passing = pick(passingAll, input.preferStems ?? [], max);
  if (passingAll.length > passing.length) problems.push(`${passingAll.length - passing.length} passing tests left out of the spectrum (at most ${max} are measured)`);
  const { coverage, runs } = await collectCoverageDetailed(sandbox, config, [failingTestId, ...passing], { ...(input.log ? { log: input.log } : {}) });
  for (const [id, run] of Object.entries(runs)) if (run.problem) problems.push(`${id}: ${run.problem}`);
  const failed = runs[failingTestId]?.status;
  const failing = failed === 'failed' || failed === 'error' ? [failingTestId] : [];
  if (failing.length === 0) problems.push(`the reproduction ${failingTestId} did not fail under coverage (${failed ?? 'not run'})`);
  // A test whose coverage run did not pass (order dependence, flakiness) says nothing reliable.
  const stillPassing = passing.filter((id) => runs[id]?.status === 'passed');
  return { coverage, failing, passing: stillPassing, problems };
}
