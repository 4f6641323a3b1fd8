// The room a run works in (readme.md): the repository checked out at the incident's commit (a worktree of the
// data dir's mirror, never the user's checkout), its resolved .tracefix.yml, the files tracked at
// that commit, its dependencies (src/install/: fetched on the host, built in the sandbox), and one
// warm sandbox over the checkout. Every stage of a run (reproduce, repair)
// opens one, and close() removes the sandbox and the worktree whatever happened.
import type { RepoConfig } from '../../schemas/repo-config.ts';
import type { Config } from '../config.ts';
import { installDependencies, runSandboxStep, type InstallOutcome } from '../install/index.ts';
import { sharedSandboxDriver } from '../sandbox/api.ts';
import { sandboxImage } from '../sandbox/images.ts';
import type { Sandbox } from '../sandbox/types.ts';
import type { Logger } from '../telemetry.ts';
import { createWorkspaceManager, loadRepoConfig, type RepoSource, type Workspace } from '../workspace/index.ts';

export interface RunEnvironment {
  workspace: Workspace;
  repoConfig: RepoConfig;
  /** Files tracked at the commit (workspace-relative POSIX paths). */
  trackedFiles: readonly string[];
  sandbox: Sandbox;
  /** What the install step did, for the run record; undefined when there was none. A failed install throws InstallError. */
  install?: { ok: boolean; detail: string; source?: 'cache' | 'fetched' | 'committed' };
  close(): Promise<void>;
}

export interface OpenRunEnvironment {
  config: Config;
  runId: string;
  repo: RepoSource;
  /** Commit sha (or ref); the default branch head when absent. */
  commit?: string;
  /** Overrides config.sandbox.driver. */
  driver?: 'docker' | 'local';
  labels?: Record<string, string>;
  /** Environment every exec of the sandbox gets (the incident's TZ). */
  env?: Record<string, string>;
  log?: Logger;
}

export async function openRunEnvironment(input: OpenRunEnvironment): Promise<RunEnvironment> {
  const { config, log } = input;
  const manager = createWorkspaceManager({ dataDir: config.dataDir, ...(log ? { log } : {}) });
  const workspace = await manager.create({ runId: input.runId, repo: input.repo, ...(input.commit ? { commit: input.commit } : {}) });
  let sandbox: Sandbox | undefined;
  try {
    const repoConfig = await loadRepoConfig(workspace.dir, { images: { node: sandboxImage('node'), python: sandboxImage('python') } });
    log?.info(
      { framework: repoConfig.framework, command: repoConfig.test.command, evidence: repoConfig.detection?.evidence },
      'Chose the test framework',
    );
    const trackedFiles = await manager.listFiles(workspace);
    // Before the sandbox: the fetch writes into the checkout, and its environment (PYTHONPATH) is the sandbox's.
    const deps = await installDependencies({
      dataDir: config.dataDir,
      workspaceDir: workspace.dir,
      repoConfig,
      image: repoConfig.image,
      credentials: config.install.credentials,
      ...(config.install.caFile ? { caFile: config.install.caFile } : {}),
      ...(config.install.toolPath.length > 0 ? { toolPath: config.install.toolPath } : {}),
      bounds: { maxBytes: config.install.cacheMaxBytes, maxAgeMs: config.install.cacheMaxAgeMs },
      ...(log ? { log } : {}),
    });
    const sandboxEnv = { ...input.env, ...deps?.sandboxEnv };
    // The local driver logs its weaker isolation itself, once, through this logger.
    const driver = sharedSandboxDriver(input.driver ?? config.sandbox.driver, { ...(log ? { logger: log } : {}), defaultTimeoutMs: config.sandbox.timeoutMs });
    sandbox = await driver.create({
      image: repoConfig.image,
      workspaceDir: workspace.dir,
      limits: config.sandbox.limits,
      labels: { 'org.tracefix.run': input.runId, ...input.labels },
      ...(Object.keys(sandboxEnv).length > 0 ? { env: sandboxEnv } : {}),
    });
    const install = deps || repoConfig.install ? await runSandboxInstall(sandbox, repoConfig, deps, workspace.dir) : undefined;
    const opened = sandbox;
    return {
      workspace,
      repoConfig,
      trackedFiles,
      sandbox: opened,
      ...(install ? { install } : {}),
      close: async () => {
        await opened.destroy().catch((error: unknown) => log?.warn({ err: error }, 'Could not destroy the sandbox'));
        await manager.remove(workspace).catch((error: unknown) => log?.warn({ err: error }, 'Could not remove the workspace'));
      },
    };
  } catch (error) {
    // The original error is what the caller needs; a failed cleanup is logged beside it.
    await sandbox?.destroy().catch((cleanup: unknown) => log?.warn({ err: cleanup }, 'Could not destroy the sandbox'));
    await manager.remove(workspace).catch((cleanup: unknown) => log?.warn({ err: cleanup }, 'Could not remove the workspace'));
    throw error;
  }
}

/** The sandbox half of the install (scripts, the repository's command); throws InstallError. */
async function runSandboxInstall(sandbox: Sandbox, repoConfig: RepoConfig, deps: InstallOutcome | undefined, workspaceDir: string): Promise<{ ok: boolean; detail: string; source?: InstallOutcome['source'] }> {
  const { ran, egress } = await runSandboxStep(sandbox, repoConfig, { workspaceDir });
  const parts: string[] = [];
  if (deps) {
    const how = { cache: 'restored from the cache', fetched: 'fetched', committed: 'committed in the repository' }[deps.source];
    parts.push(`${deps.manager} (${deps.lockfile}, ${deps.packages} packages) ${how}`);
  }
  if (ran.length > 0) parts.push(`ran in the sandbox: ${ran.join('; ')}`);
  if (egress) parts.push(`through the egress proxy: ${egress.allowed} requests to the registries allowed, ${egress.denied.length} refused`);
  return { ok: true, detail: parts.join('; ') || 'nothing to install', ...(deps ? { source: deps.source } : {}) };
}
