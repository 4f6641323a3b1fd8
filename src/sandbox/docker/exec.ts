// One docker exec: create, attach, demultiplex into capped buffers, enforce the wall clock.
// Killing is the caller's job (it knows the container); this module only says when.
import type Docker from 'dockerode';
import type { Duplex } from 'node:stream';
import { CappedOutput } from '../output.ts';
import { DockerDemuxer } from './demux.ts';

export interface DockerExecParams {
  container: Docker.Container;
  cmd: string[];
  env: string[];
  user: string;
  stdin?: string;
  timeoutMs: number;
  outputBytes: number;
  /** Called once when the wall clock passes; must end every process of the exec. */
  onTimeout: () => Promise<void>;
  /** Called when the stream still has not ended this long after onTimeout (last resort). */
  onStuck: () => Promise<void>;
}

export interface DockerExecOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
  truncated: boolean;
  timedOut: boolean;
  durationMs: number;
}

/** How long the stream may stay open after the kill before the container is restarted. */
export const KILL_GRACE_MS = 3000;

export async function runDockerExec(p: DockerExecParams): Promise<DockerExecOutcome> {
  const started = performance.now();
  const exec = await p.container.exec({
    Cmd: p.cmd,
    Env: p.env,
    User: p.user,
    AttachStdin: p.stdin !== undefined,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
  });
  const hijack = p.stdin !== undefined;
  const stream = (await exec.start({ hijack, stdin: hijack })) as Duplex;
  const stdout = new CappedOutput(p.outputBytes);
  const stderr = new CappedOutput(p.outputBytes);
  const demuxer = new DockerDemuxer((which, payload) => (which === 'stdout' ? stdout : stderr).push(payload));

  let timedOut = false;
  const ended = new Promise<void>((resolve) => {
    stream.on('data', (chunk: Buffer) => demuxer.push(chunk));
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
  if (hijack) stream.end(p.stdin);

  let stuckTimer: NodeJS.Timeout | undefined;
  let finished = false;
  let killing: Promise<void> | undefined;
  let unsticking: Promise<void> | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    killing = p.onTimeout().finally(() => {
      if (finished) return;
      stuckTimer = setTimeout(() => {
        unsticking = p.onStuck().finally(() => stream.destroy());
      }, KILL_GRACE_MS);
    });
  }, p.timeoutMs);
  try {
    await ended;
  } finally {
    finished = true;
    clearTimeout(timer);
    if (stuckTimer) clearTimeout(stuckTimer);
  }
  // The kill-all exec must be over before the next exec of this sandbox starts, or it kills that.
  if (killing) await killing.catch(() => undefined);
  if (unsticking) await unsticking.catch(() => undefined);

  const exitCode = await exitCodeOf(exec, timedOut);
  return {
    exitCode,
    stdout: stdout.text(),
    stderr: stderr.text(),
    truncated: stdout.truncated || stderr.truncated,
    timedOut,
    durationMs: Math.round(performance.now() - started),
  };
}

/** The exec's exit code; dockerd may flip Running a moment after the stream ends. */
async function exitCodeOf(exec: Docker.Exec, timedOut: boolean): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const info = await exec.inspect().catch(() => undefined);
    if (info === undefined) break;
    if (!info.Running && typeof info.ExitCode === 'number') return info.ExitCode;
    await new Promise((r) => setTimeout(r, attempt < 10 ? 5 : 20));
  }
  // Killed with its container (restart) or lost: report it as SIGKILLed.
  return timedOut ? 137 : -1;
}
