// The suite before any patch, with the reproduction test in place: what already failed (so the
// suite check blames a patch only for what it broke) and whether typecheck and lint already
// failed (so a repository whose lint was red before is not held to a green lint by a patch).
// Taken once per run; every candidate is validated against it. A baseline that ran nothing is a
// failure of the run (BaselineError), never an empty suite every candidate would then "pass".
import type { RepoConfig } from '../../../schemas/repo-config.ts';
import { countsOf } from '../../runners/results.ts';
import { runTests } from '../../runners/run-tests.ts';
import type { Sandbox } from '../../sandbox/types.ts';
import { instrument, type Logger } from '../../telemetry.ts';
import type { SuiteBaseline } from '../types.ts';
import type { Reproduced } from '../../../schemas/run.ts';
import { clip, nameSome, oneLine } from './clip.ts';
import { CHECK_COMMANDS, runCheckCommand } from './commands.ts';
import { failingIds } from './suite.ts';
import { AppError } from '../../errors.ts';

export interface SuiteBaselineInput {
  sandbox: Sandbox;
  repoConfig: RepoConfig;
  reproduction: Reproduced;
  /** The repository's test files (tracked, matching the test globs): named when nothing was collected. */
  testFiles?: readonly string[];
  /** The incident's environment (TZ), as every later run gets it. */
  env?: Record<string, string>;
  log?: Logger;
}

/** The suite could not be compared against: the run ends here, with this message as its reason. */
export class BaselineError extends AppError {
  constructor(message: string) {
    super('TF_BASELINE', message);
  }
}

/** What was detected and run, and how to say otherwise: the tail of every baseline failure. */
function howToFix(config: RepoConfig): string {
  const why = config.detection?.evidence ?? `${config.framework}${config.source.file ? `, from ${config.source.file}` : ''}`;
  const example =
    config.language === 'python'
      ? '`test: { command: "python -m pytest", framework: pytest }` (or `{ command: python3, framework: unittest }` for unittest.TestCase suites)'
      : '`test: { command: "node_modules/.bin/vitest run", framework: vitest }` (frameworks: node:test, vitest, jest, mocha)';
  return `Detected: ${why}; ran \`${config.test.command}\`. If that is not how this repository runs its tests, set the test command in .tracefix.yml, e.g. ${example}.`;
}

/** Throws BaselineError when the suite gives no usable report or collects no test at all. */
export async function suiteBaseline(input: SuiteBaselineInput): Promise<SuiteBaseline> {
  const { sandbox, repoConfig: config, reproduction, env, log } = input;
  return instrument('repair.baseline', { 'tracefix.framework': config.framework }, async () => {
    const started = performance.now();
    const results = await runTests(sandbox, config, env ? { env } : {});
    if (results.problem) {
      log?.warn({ framework: config.framework, command: config.test.command, problem: results.problem }, 'The suite did not run before the patch');
      throw new BaselineError(`the suite did not run before the patch: ${clip(oneLine(results.problem), 1000)}. ${howToFix(config)}`);
    }
    if (results.tests.length === 0) {
      const files = input.testFiles ?? [];
      const has = files.length > 0 ? `while the repository has ${files.length} test file${files.length === 1 ? '' : 's'} (${nameSome(files)})` : `not even the reproduction test ${reproduction.testId}`;
      log?.warn({ framework: config.framework, command: config.test.command, testFiles: files.length, evidence: config.detection?.evidence }, 'The suite collected no test before the patch');
      throw new BaselineError(`the suite collected 0 tests before the patch ${has}: no gate can pass on nothing. ${howToFix(config)}`);
    }
    const baseline: SuiteBaseline = {
      failing: failingIds(results).filter((id) => id !== reproduction.testId),
      tests: results.tests.map((t) => t.id),
      durationMs: 0,
      results,
    };
    for (const name of CHECK_COMMANDS) {
      const outcome = await runCheckCommand(sandbox, config, name, env);
      if (outcome) baseline[name] = outcome;
    }
    baseline.durationMs = Math.round(performance.now() - started);
    log?.info(
      { ...countsOf(results.summary), failing: baseline.failing.length, typecheck: baseline.typecheck?.ok, lint: baseline.lint?.ok, durationMs: baseline.durationMs },
      'Took the suite baseline',
    );
    return baseline;
  });
}
