// The half of the install that runs code: inside the run's sandbox (network none, its limits),
// after the fetch. Dependency lifecycle scripts (install/postinstall, native builds) run only when
// .tracefix.yml opts in with `install.scripts: true`; the repository's `install.command`, if it
// has one, runs after them. A failure stops the run before the baseline.
import type { RepoConfig } from '../../schemas/repo-config.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { InstallError, trimOutput } from './errors.ts';
import { isPythonManager } from './managers.ts';

export interface SandboxStepResult {
  /** The commands that ran, in order. */
  ran: string[];
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

export async function runSandboxStep(sandbox: Sandbox, repoConfig: RepoConfig): Promise<SandboxStepResult> {
  const ran: string[] = [];
  for (const command of sandboxCommands(repoConfig.install)) {
    const result = await sandbox.exec(['sh', '-c', command], { timeoutMs: repoConfig.timeouts.installMs });
    if (result.exitCode !== 0 || result.timedOut) {
      const how = result.timedOut ? 'timed out' : result.oomKilled ? 'ran out of memory' : `failed (exit ${result.exitCode})`;
      throw new InstallError(`\`${command}\` ${how} in the sandbox (no network there: dependencies come from the fetch step)`, trimOutput(`${result.stdout}\n${result.stderr}`));
    }
    ran.push(command);
  }
  return { ran };
}
