// The install stage for a checkout the benchmark and the examples' tests made themselves (not a
// run's worktree): exactly what a run does before its sandbox exists (src/install/: the lockfile
// checked against the allowed registries, the tree restored from <dataDir>/deps or fetched on the
// host with no scripts), then, once the sandbox is up, its half in the sandbox. sessions-js (npm)
// and rates-py (hashed wheels) cannot run their suites without it.
import type { RepoConfig } from '../../schemas/repo-config.ts';
import type { Config } from '../../src/config.ts';
import { installDependencies, runSandboxStep, type InstallOutcome } from '../../src/install/index.ts';
import type { Sandbox } from '../../src/sandbox/types.ts';

export interface ServiceDeps {
  /** What the fetch did; undefined when the checkout has nothing to install. */
  outcome?: InstallOutcome;
  /** Environment every sandbox exec needs to find the tree (PYTHONPATH); undefined when none. */
  env?: Record<string, string>;
}

/** Fetches (or restores) the checkout's dependencies into it; throws InstallError on failure. */
export async function installServiceDeps(config: Config, dir: string, repoConfig: RepoConfig): Promise<ServiceDeps> {
  const outcome = await installDependencies({
    dataDir: config.dataDir,
    workspaceDir: dir,
    repoConfig,
    image: repoConfig.image,
    credentials: config.install.credentials,
    ...(config.install.caFile ? { caFile: config.install.caFile } : {}),
    bounds: { maxBytes: config.install.cacheMaxBytes, maxAgeMs: config.install.cacheMaxAgeMs },
  });
  if (!outcome) return {};
  return { outcome, ...(Object.keys(outcome.sandboxEnv).length > 0 ? { env: outcome.sandboxEnv } : {}) };
}

/** The sandbox half (dependency scripts when allowed, `install.command`); throws InstallError. */
export async function finishServiceInstall(sandbox: Sandbox, repoConfig: RepoConfig): Promise<string[]> {
  return (await runSandboxStep(sandbox, repoConfig)).ran;
}
