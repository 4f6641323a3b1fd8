// `tracefix bundle --from-test`: the incident is a failing test instead of a production alert (a
// red CI run, the GitHub Actions step, a benchmark bug). The test runs in the sandbox over a fresh
// checkout of the repository's HEAD (never the user's working tree); its failure becomes a `ci`
// Alert, and the test itself is recorded as the bundle's reproduction.
import { randomBytes } from 'node:crypto';
import type { Alert } from '../../schemas/alert.ts';
import type { ReproTest } from '../../schemas/bundle.ts';
import type { Config } from '../config.ts';
import { UsageError } from '../errors.ts';
import { openRunEnvironment } from '../run/run-env.ts';
import { incidentFromFailingTest } from '../reproduce/index.ts';
import type { Logger } from '../telemetry.ts';
import { RepoConfigError, WorkspaceError } from '../workspace/index.ts';

export interface FromTestOptions {
  config: Config;
  /** Absolute path of the repository (HEAD is what runs). */
  repoDir: string;
  test: string;
  driver?: 'docker' | 'local';
  log?: Logger;
}

export async function alertFromFailingTest(options: FromTestOptions): Promise<{ alert: Alert; reproTest: ReproTest }> {
  const { config, log } = options;
  let env;
  try {
    env = await openRunEnvironment({
      config,
      runId: `from-test-${randomBytes(4).toString('hex')}`,
      repo: { url: options.repoDir },
      ...(options.driver ? { driver: options.driver } : {}),
      ...(log ? { log } : {}),
    });
  } catch (error) {
    if (error instanceof RepoConfigError) throw new UsageError(`the repository's .tracefix.yml is invalid:\n${error.problems.join('\n')}`);
    if (error instanceof WorkspaceError) throw new UsageError(`--repo ${options.repoDir}: ${error.message}`);
    throw error;
  }
  try {
    const incident = await incidentFromFailingTest({
      sandbox: env.sandbox,
      repoConfig: env.repoConfig,
      test: options.test,
      workspaceFiles: env.trackedFiles,
      repo: { url: options.repoDir, commitSha: env.workspace.commit },
      ...(log ? { log } : {}),
    });
    const reproTest: ReproTest = {
      framework: env.repoConfig.framework,
      target: incident.target,
      ...(incident.testFile ? { testFile: incident.testFile } : {}),
    };
    return { alert: incident.alert, reproTest };
  } finally {
    await env.close();
  }
}
