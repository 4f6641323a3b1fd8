// One bisect step: the repository checked out at a commit in its own sandbox (the run environment
// every stage uses: worktree of the mirror, .tracefix.yml at that commit, install), the
// reproduction test written in as it was at the incident's commit, one run of it. Bad only when it
// fails with the incident's signature; good when it passes; anything else (the file did not load,
// the test is absent from the report, it timed out, another exception) is a skip: the commit tells
// nothing about this bug.
import type { RepoConfig } from '../../schemas/repo-config.ts';
import type { Signature } from '../../schemas/run.ts';
import type { Config } from '../config.ts';
import { openRunEnvironment } from '../run/run-env.ts';
import { crashFunctions, testIdExecution } from '../reproduce/gates.ts';
import { matchSignature } from '../reproduce/signature.ts';
import type { Logger } from '../telemetry.ts';
import type { RepoSource } from '../workspace/index.ts';
import type { ProbeResult } from './search.ts';

export interface ReproTest {
  testFile: string;
  testId: string;
  /** The file as it was when the reproduction failed (the incident's commit). */
  content: string;
  signature: Signature;
}

export interface ProbeInput {
  config: Config;
  repo: RepoSource;
  runId: string;
  commit: string;
  test: ReproTest;
  driver: 'docker' | 'local';
  env: Record<string, string>;
  /** Milliseconds this step may take at most (the rest of the bisect's budget). */
  timeLeftMs: number;
  log?: Logger;
}

/** A step never outlives the budget: the single-test timeout is cut to what is left. */
function withinBudget(repoConfig: RepoConfig, ms: number): RepoConfig {
  const cap = Math.max(1000, Math.floor(ms));
  return { ...repoConfig, timeouts: { ...repoConfig.timeouts, singleTestMs: Math.min(repoConfig.timeouts.singleTestMs, cap), testMs: Math.min(repoConfig.timeouts.testMs, cap) } };
}

export async function probeCommit(input: ProbeInput): Promise<ProbeResult> {
  const { test, log } = input;
  const env = await openRunEnvironment({
    config: input.config,
    runId: input.runId,
    repo: input.repo,
    commit: input.commit,
    driver: input.driver,
    labels: { 'org.tracefix.bisect': input.commit.slice(0, 12) },
    env: input.env,
    ...(log ? { log } : {}),
  });
  try {
    await env.sandbox.writeFile(test.testFile, test.content);
    const workspaceFiles = env.trackedFiles.includes(test.testFile) ? env.trackedFiles : [...env.trackedFiles, test.testFile];
    const repoConfig = withinBudget(env.repoConfig, input.timeLeftMs);
    const execute = testIdExecution({ sandbox: env.sandbox, config: repoConfig, testId: test.testId, testFile: test.testFile, workspaceFiles, env: input.env });
    const { observation } = await execute();
    if (observation.kind === 'passed') return { verdict: 'good' };
    const functionAt = await crashFunctions(env.sandbox, repoConfig, test.signature, workspaceFiles).catch(() => undefined);
    const verdict = matchSignature(test.signature, observation, functionAt ? { functionAt } : {});
    return verdict.match ? { verdict: 'bad' } : { verdict: 'skip', reason: verdict.reason };
  } finally {
    await env.close();
  }
}
