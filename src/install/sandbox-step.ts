// The half of the install that runs code: inside the run's sandbox (network none, its limits),
// after the fetch. Dependency lifecycle scripts (install/postinstall, native builds) run only when
// .tracefix.yml opts in with `install.scripts: true`; the repository's `install.command`, if it
// has one, runs after them. With `install.network: proxy` that command (and only it) reaches
// install.registries through the egress proxy (egress-proxy.ts), which is closed when it returns.
// A failure stops the run before the baseline.
import type { RepoConfig } from '../../schemas/repo-config.ts';
import { SANDBOX_WORKSPACE, type Sandbox } from '../sandbox/types.ts';
import { startEgressProxy } from './egress-proxy.ts';
import { InstallError, trimOutput } from './errors.ts';
import { isPythonManager } from './managers.ts';
import { relayedCommand } from './sandbox-relay.ts';

export interface SandboxStepResult {
  /** The commands that ran, in order. */
  ran: string[];
  /** `install.network: proxy`: what the command asked the proxy for. */
  egress?: { allowed: number; denied: readonly string[] };
}

export interface SandboxStepOptions {
  /** Host path of the sandbox's workspace: where the egress proxy's socket is made. Needed for `network: proxy`. */
  workspaceDir?: string;
}

/** The commands the sandbox runs for this configuration (empty: nothing). */
export function sandboxCommands(install: RepoConfig['install']): string[] {
  if (!install) return [];
  const out: string[] = [];
  // npm rebuild runs each dependency's install scripts (and node-gyp builds) against the
  // node_modules the fetch laid out; it reads no registry.
  if (install.scripts && !isPythonManager(install.manager) && install.manager !== 'none') out.push('npm rebuild --no-audit --no-fund');
  if (install.command) out.push(install.command);
  return out;
}

export async function runSandboxStep(sandbox: Sandbox, repoConfig: RepoConfig, options: SandboxStepOptions = {}): Promise<SandboxStepResult> {
  const install = repoConfig.install;
  const ran: string[] = [];
  let egress: SandboxStepResult['egress'];
  for (const command of sandboxCommands(install)) {
    const proxied = install?.network === 'proxy' && command === install.command;
    if (proxied && !options.workspaceDir) throw new InstallError('install.network: proxy needs the workspace directory of the sandbox (a caller error)');
    const proxy = proxied ? await startEgressProxy({ workspaceDir: options.workspaceDir!, sandboxWorkspace: SANDBOX_WORKSPACE, registries: install.registries }) : undefined;
    let result: Awaited<ReturnType<Sandbox['exec']>>;
    try {
      const text = proxy ? relayedCommand(command, proxy.sandboxPath, repoConfig.language === 'python' ? 'python' : 'node') : command;
      result = await sandbox.exec(['sh', '-c', text], { timeoutMs: repoConfig.timeouts.installMs });
    } finally {
      await proxy?.close();
    }
    if (proxy) egress = { allowed: proxy.allowed.length, denied: [...proxy.denied] };
    if (result.exitCode !== 0 || result.timedOut) {
      const how = result.timedOut ? 'timed out' : result.oomKilled ? 'ran out of memory' : `failed (exit ${result.exitCode})`;
      const where = proxy ? `in the sandbox (only install.registries reachable, through the egress proxy${proxy.denied.length ? `; refused: ${proxy.denied.slice(0, 3).join(', ')}` : ''})` : 'in the sandbox (no network there: dependencies come from the fetch step)';
      throw new InstallError(`\`${command}\` ${how} ${where}`, trimOutput(`${result.stdout}\n${result.stderr}`));
    }
    ran.push(command);
  }
  return { ran, ...(egress ? { egress } : {}) };
}
