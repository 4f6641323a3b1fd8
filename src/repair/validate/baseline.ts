// The suite before any patch, with the reproduction test in place: what already failed (so the
// suite check blames a patch only for what it broke) and whether typecheck and lint already
// failed (so a repository whose lint was red before is not held to a green lint by a patch).
// Taken once per run; every candidate is validated against it.
import type { RepoConfig } from '../../../schemas/repo-config.ts';
import { runTests } from '../../runners/run-tests.ts';
import type { Sandbox } from '../../sandbox/types.ts';
import { instrument, type Logger } from '../../telemetry.ts';
import type { Reproduced, SuiteBaseline } from '../types.ts';
import { clip, oneLine } from './clip.ts';
import { CHECK_COMMANDS, runCheckCommand } from './commands.ts';
import { failingIds } from './suite.ts';

export interface SuiteBaselineInput {
  sandbox: Sandbox;
  repoConfig: RepoConfig;
  reproduction: Reproduced;
  /** The incident's environment (TZ), as every later run gets it. */
  env?: Record<string, string>;
  log?: Logger;
}

/** Throws when the suite gives no usable report: nothing could then be compared against it. */
export async function suiteBaseline(input: SuiteBaselineInput): Promise<SuiteBaseline> {
  const { sandbox, repoConfig: config, reproduction, env, log } = input;
  return instrument('repair.baseline', { 'tracefix.framework': config.framework }, async () => {
    const started = performance.now();
    const results = await runTests(sandbox, config, env ? { env } : {});
    if (results.problem) throw new Error(`the suite did not run before the patch: ${clip(oneLine(results.problem), 1000)}`);
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
      { tests: baseline.tests.length, failing: baseline.failing.length, typecheck: baseline.typecheck?.ok, lint: baseline.lint?.ok, durationMs: baseline.durationMs },
      'Took the suite baseline',
    );
    return baseline;
  });
}
