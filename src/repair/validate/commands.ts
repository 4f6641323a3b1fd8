// typecheck and lint: the commands .tracefix.yml names, run as the repository would run them
// (a shell string, see src/runners/shell.ts) with the checkMs timeout. Only the outcome and the
// end of the output are kept: compilers and linters print their summary last.
import type { RepoConfig } from '../../../schemas/repo-config.ts';
import { RUN_ENV } from '../../runners/sandbox-io.ts';
import { shellCommand } from '../../runners/shell.ts';
import type { Sandbox } from '../../sandbox/types.ts';
import { clipTail } from './clip.ts';

export type CheckCommandName = 'typecheck' | 'lint';
export const CHECK_COMMANDS: readonly CheckCommandName[] = ['typecheck', 'lint'];

export interface CommandOutcome {
  ok: boolean;
  /** The tail of stdout and stderr, or why it did not finish. */
  output: string;
}

export async function runCheckCommand(sandbox: Sandbox, config: RepoConfig, name: CheckCommandName, env: Record<string, string> = {}): Promise<CommandOutcome | undefined> {
  const command = config[name];
  if (!command) return undefined;
  const r = await sandbox.exec(shellCommand(command), { env: { ...RUN_ENV, ...env }, timeoutMs: config.timeouts.checkMs });
  const output = [r.stdout.trim(), r.stderr.trim()].filter(Boolean).join('\n');
  if (r.timedOut) return { ok: false, output: `timed out after ${Math.round(config.timeouts.checkMs / 1000)}s${output ? `\n${clipTail(output, 1500)}` : ''}` };
  if (r.oomKilled) return { ok: false, output: 'ran out of memory' };
  return { ok: r.exitCode === 0, output: r.exitCode === 0 ? clipTail(output, 1500) : `exit code ${r.exitCode}${output ? `\n${clipTail(output, 1500)}` : ''}` };
}
