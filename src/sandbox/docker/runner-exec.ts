// One command through the in-container runner (runner-channel.ts), under the same wall clock as a
// `docker exec` (exec.ts): past the timeout the caller's onTimeout kills every process of the
// sandbox from a second exec, and if the command still has not ended KILL_GRACE_MS later, onStuck
// restarts the container, which ends the runner's stream; either way the result is a timeout.
import type { DockerExecOutcome, DockerExecParams } from './exec.ts';
import { KILL_GRACE_MS } from './exec.ts';
import { RunnerClosedError, type RunnerChannel, type RunnerReply } from './runner-channel.ts';

export async function runRunnerExec(channel: RunnerChannel, p: DockerExecParams): Promise<DockerExecOutcome> {
  const started = performance.now();
  let timedOut = false;
  let finished = false;
  let killing: Promise<void> | undefined;
  let unsticking: Promise<void> | undefined;
  let stuckTimer: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    killing = p.onTimeout().finally(() => {
      if (finished) return;
      stuckTimer = setTimeout(() => {
        unsticking = p.onStuck();
      }, KILL_GRACE_MS);
    });
  }, p.timeoutMs);
  let reply: RunnerReply | undefined;
  try {
    reply = await channel.run({ argv: p.cmd, env: p.env, ...(p.stdin !== undefined ? { stdin: p.stdin } : {}), outputBytes: p.outputBytes });
  } catch (error) {
    // A stream that ends under a timed-out command is the restart that ended it.
    if (!(error instanceof RunnerClosedError) || !timedOut) throw error;
  } finally {
    finished = true;
    clearTimeout(timer);
    if (stuckTimer) clearTimeout(stuckTimer);
  }
  // The kill-all exec must be over before the next command starts, or it kills that one.
  if (killing) await killing.catch(() => undefined);
  if (unsticking) await unsticking.catch(() => undefined);
  const durationMs = Math.round(performance.now() - started);
  if (!reply) return { exitCode: 137, stdout: '', stderr: '', truncated: false, timedOut: true, durationMs };
  return { ...reply, timedOut, durationMs };
}
