// A failing test command (`npm test`, `node --test`, a CI step's command) narrowed to the test in it
// that failed, so the reproduction re-runs that one test by id — as `--from-test <id>` does —
// rather than the whole command: N runs of one test instead of N runs of a suite, a signature from
// the runner's structured report (type, frames, expected/actual) rather than parsed console text,
// and a reproduction that another failing test cannot stand in for.
import type { RepoConfig } from '../../schemas/repo-config.ts';
import type { TestCase } from '../../schemas/test-results.ts';
import { runTests } from '../runners/run-tests.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { reproEnv } from './gates.ts';
import type { TargetRun } from './test-target.ts';

/** The test's own title: a full name is `suite > test` and the command's output shows the title. */
function titleOf(test: TestCase): string {
  return test.name.split(' > ').at(-1)?.trim() ?? '';
}

/**
 * Which of the suite's failing tests the command's output is about: one whose id it prints (pytest,
 * unittest), else one whose title it prints (node:test, vitest, jest); when the command is the
 * repository's own test command, its first failing test. Undefined when none can be told apart.
 */
export function failingTestOf(output: string, command: string, config: RepoConfig, tests: readonly TestCase[]): TestCase | undefined {
  const failing = tests.filter((t) => t.status === 'failed' || t.status === 'error');
  return (
    failing.find((t) => output.includes(t.id)) ??
    // A short title ("works") would match any output: only a title that can name one test.
    failing.find((t) => titleOf(t).length >= 8 && output.includes(titleOf(t))) ??
    (command.trim() === config.test.command.trim() ? failing[0] : undefined)
  );
}

/** The command's failing run as a run of its failing test, when the repository's runner finds it. */
export async function narrowCommandRun(sandbox: Sandbox, config: RepoConfig, command: string, run: TargetRun): Promise<TargetRun | undefined> {
  if (run.passed || !run.command || run.command.timedOut) return undefined;
  const results = await runTests(sandbox, config, { env: reproEnv(config, {}) });
  const test = failingTestOf(run.command.output, command, config, results.tests);
  return test ? { test, results, passed: false } : undefined;
}
