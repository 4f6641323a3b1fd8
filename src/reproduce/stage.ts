// The `reproduce` stage over a run's environment: a `ci` incident's own failing test goes through
// the gates as it is; any other incident gets a synthesized test (src/reproduce). When neither
// works and a model is configured, the agent may write the test, under the same gates.
import type { Bundle } from '../../schemas/bundle.ts';
import type { RepoConfig } from '../../schemas/repo-config.ts';
import type { Reproduced, Reproduction } from '../../schemas/run.ts';
import type { Sandbox } from '../sandbox/types.ts';
import type { Logger } from '../telemetry.ts';
import { reproduce, reproduceFromTest, signatureFromBundle } from './index.ts';

/** What the stage needs of a run's environment (src/run/run-env.ts opens one). */
export interface StageEnvironment {
  workspace: { dir: string };
  repoConfig: RepoConfig;
  /** Files tracked at the commit (workspace-relative POSIX paths). */
  trackedFiles: readonly string[];
  sandbox: Sandbox;
}

/** Writes a reproduction for a run that does not have it yet; the agent's fallback plugs in here. */
export type ReproduceFallback = (input: { bundle: Bundle; env: StageEnvironment; failed: Reproduction }) => Promise<Reproduction>;

export interface ReproduceStageInput {
  bundle: Bundle;
  env: StageEnvironment;
  fallback?: ReproduceFallback;
  log?: Logger;
  progress?: (message: string) => void;
}

export async function reproduceStage(input: ReproduceStageInput): Promise<Reproduction> {
  const { bundle, env, log } = input;
  const progress = input.progress ?? (() => undefined);
  const { sandbox, repoConfig, trackedFiles } = env;
  const test = bundle.repro.test;
  let result: Reproduction;
  if (test) {
    progress(`reproducing with the incident's own failing test (${test.target.kind})`);
    const signature = signatureFromBundle(bundle, trackedFiles);
    result = await reproduceFromTest({
      sandbox,
      repoConfig,
      signature,
      target: test.target,
      workspaceFiles: trackedFiles,
      ...(test.testFile ? { testFile: test.testFile } : {}),
      ...(log ? { log } : {}),
    });
  } else {
    progress('synthesizing a failing test from the frames, locals, request and spans');
    result = await reproduce({ bundle, workspaceDir: env.workspace.dir, sandbox, repoConfig, workspaceFiles: trackedFiles, ...(log ? { log } : {}) });
  }
  if (result.status !== 'reproduced' && input.fallback) {
    progress('templates could not reproduce it; asking the model to write the test');
    result = await input.fallback({ bundle, env, failed: result });
  }
  progress(result.status === 'reproduced' ? `reproduced: ${result.testId} fails with the incident's signature ${result.runs}/${result.runs}` : `not reproduced: ${result.reason}`);
  return result;
}

/** Puts a reproduction written by an earlier job back into a fresh workspace. */
export async function restoreReproduction(env: StageEnvironment, reproduction: Reproduced): Promise<void> {
  if (reproduction.testFile && reproduction.testContent !== undefined && !env.trackedFiles.includes(reproduction.testFile)) {
    await env.sandbox.writeFile(reproduction.testFile, reproduction.testContent);
  }
}
