// The room a run works in: the repository checked out at the incident's commit (a worktree of the
// data dir's mirror, never the user's checkout), its resolved .tracefix.yml, the files tracked at
// that commit, and one warm sandbox over the checkout. Every stage of a run (reproduce, repair)
// opens one, and close() removes the sandbox and the worktree whatever happened.
import type { RepoConfig } from '../../schemas/repo-config.ts';
import type { Config } from '../config.ts';
import { createSandboxDriver } from '../sandbox/api.ts';
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
  /** What the install step did, for the run record; undefined when there was none. */
  install?: { ok: boolean; detail: string };
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
    // The local driver logs its weaker isolation itself, once, through this logger.
    const driver = createSandboxDriver(input.driver ?? config.sandbox.driver, { ...(log ? { logger: log } : {}), defaultTimeoutMs: config.sandbox.timeoutMs });
    sandbox = await driver.create({
      image: repoConfig.image,
      workspaceDir: workspace.dir,
      limits: config.sandbox.limits,
      labels: { 'org.tracefix.run': input.runId, ...input.labels },
      ...(input.env ? { env: input.env } : {}),
    });
    const install = repoConfig.install ? await runInstall(sandbox, repoConfig, log) : undefined;
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
    await sandbox?.destroy().catch(() => undefined);
    await manager.remove(workspace).catch(() => undefined);
    throw error;
  }
}

/**
 * The repository's install step. Sandboxes of a run have no network, so an install that needs the
 * registry fails here unless .tracefix.yml names an install network (a driver feature) or the
 * dependencies are vendored; a failure is recorded and the run goes on: the tests decide whether
 * what is there is enough.
 */
async function runInstall(sandbox: Sandbox, repoConfig: RepoConfig, log?: Logger): Promise<{ ok: boolean; detail: string }> {
  const command = repoConfig.install?.command ?? '';
  const result = await sandbox.exec(['sh', '-c', command], { timeoutMs: repoConfig.timeouts.installMs });
  const ok = result.exitCode === 0 && !result.timedOut;
  const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-5).join('\n');
  if (!ok) log?.warn({ command, exitCode: result.exitCode, timedOut: result.timedOut }, 'Install step failed; continuing with what the checkout has');
  return { ok, detail: ok ? `${command}: ok` : `${command}: ${result.timedOut ? 'timed out' : `exit ${result.exitCode}`}\n${tail}`.slice(0, 2000) };
}
