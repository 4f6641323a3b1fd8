// A docker sandbox: one warm container; every command runs in it, one at a time: through the
// container's own runner (PID 1, runner-script.ts) when its image can run one, else as a
// `docker exec`. Both run the same wrapped argv as the same user under the same wall clock.
import type Docker from 'dockerode';
import type { Logger } from 'pino';
import { buildSandboxEnv, envToList } from '../env.ts';
import { KILL_ALL, wrapArgv } from '../exec-wrapper.ts';
import { workspaceDiff } from '../git-diff.ts';
import { readWorkspaceFile, writeWorkspaceFile } from '../paths.ts';
import { Serial } from '../serial.ts';
import type { ExecOptions, ExecResult, Sandbox, SandboxLimits } from '../types.ts';
import type { SandboxUser } from '../workspace-owner.ts';
import { runDockerExec, type DockerExecOutcome, type DockerExecParams } from './exec.ts';
import { readOomKillCount } from './oom.ts';
import { RunnerChannel, RunnerClosedError } from './runner-channel.ts';
import { runRunnerExec } from './runner-exec.ts';

export interface DockerSandboxInit {
  id: string;
  container: Docker.Container;
  workspaceDir: string;
  user: SandboxUser;
  limits: SandboxLimits;
  /** Sandbox-wide environment, already filtered. */
  env: Record<string, string>;
  defaultTimeoutMs: number;
  /** The container's PID 1 is the runner (container-spec.ts `runner`): try it before docker exec. */
  runner: boolean;
  logger?: Logger;
}

const KILL_EXEC_TIMEOUT_MS = 5000;

export class DockerSandbox implements Sandbox {
  readonly id: string;
  readonly driver = 'docker' as const;
  readonly #init: DockerSandboxInit;
  readonly #serial = new Serial();
  #oomSeen = 0;
  #destroyed: Promise<void> | undefined;
  /** The attached runner; undefined until the first exec, or after its stream ended. */
  #channel: RunnerChannel | undefined;
  /** The image has no runner (or it never answered): every command is a docker exec. */
  #noRunner: boolean;

  constructor(init: DockerSandboxInit) {
    this.id = init.id;
    this.#init = init;
    this.#noRunner = !init.runner;
  }

  get containerId(): string {
    return this.#init.container.id;
  }

  exec(argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const cmd = wrapArgv(argv, options.cwd);
    return this.#serial.run(() => this.#exec(cmd, options));
  }

  readFile(path: string): Promise<string> {
    return this.#serial.run(async () => {
      this.#assertAlive();
      return readWorkspaceFile(this.#init.workspaceDir, path);
    });
  }

  writeFile(path: string, content: string): Promise<void> {
    return this.#serial.run(async () => {
      this.#assertAlive();
      await writeWorkspaceFile(this.#init.workspaceDir, path, content, this.#init.user);
    });
  }

  diff(): Promise<string> {
    return this.#serial.run(async () => {
      this.#assertAlive();
      return workspaceDiff(this.#init.workspaceDir);
    });
  }

  /** Removes the container (killing whatever runs in it). Safe to call more than once. */
  destroy(): Promise<void> {
    this.#channel?.close();
    this.#destroyed ??= this.#init.container.remove({ force: true, v: true }).then(
      () => undefined,
      (error: { statusCode?: number }) => {
        if (error.statusCode !== 404 && error.statusCode !== 409) throw error;
      },
    );
    return this.#destroyed;
  }

  #assertAlive(): void {
    if (this.#destroyed) throw new Error(`sandbox ${this.id} was destroyed`);
  }

  async #exec(cmd: string[], options: ExecOptions): Promise<ExecResult> {
    this.#assertAlive();
    const { env, dropped } = buildSandboxEnv(this.#init.env, options.env);
    if (dropped.length > 0) {
      this.#init.logger?.warn({ sandbox: this.id, dropped }, 'Dropped secret-looking variables from a sandbox exec');
    }
    const params = {
      container: this.#init.container,
      cmd,
      env: envToList(env),
      user: `${this.#init.user.uid}:${this.#init.user.gid}`,
      stdin: options.stdin,
      timeoutMs: options.timeoutMs ?? this.#init.defaultTimeoutMs,
      outputBytes: options.outputBytes ?? this.#init.limits.outputBytes,
      onTimeout: () => this.#killAll(),
      onStuck: () => this.#restart('an exec did not end after its processes were killed'),
    };
    const outcome = await this.#run(params);
    const oomKilled = outcome.exitCode !== 0 && (await this.#oomKilledSinceLastLook(outcome.exitCode));
    return { ...outcome, oomKilled };
  }

  async #run(params: DockerExecParams): Promise<DockerExecOutcome> {
    const channel = await this.#runnerChannel();
    if (channel) {
      try {
        return await runRunnerExec(channel, params);
      } catch (error) {
        // The stream ended under a command that had not timed out: the runner (PID 1) died, so the
        // container stopped, or its reply was unreadable. Start it again once; this command, whose
        // result is lost, runs again as a docker exec (a runner is attached again next time).
        if (!(error instanceof RunnerClosedError) || this.#destroyed) throw error;
        this.#channel = undefined;
        await this.#restart(`the runner's stream ended: ${error.message}`);
        return runDockerExec(params);
      }
    }
    try {
      return await runDockerExec(params);
    } catch (error) {
      // 409: the container stopped (its init died); start it again once, then retry.
      if ((error as { statusCode?: number }).statusCode !== 409 || this.#destroyed) throw error;
      await this.#restart('the container was not running');
      return runDockerExec(params);
    }
  }

  /** The runner, attached on first use and again after a restart ended its stream. */
  async #runnerChannel(): Promise<RunnerChannel | undefined> {
    if (this.#noRunner) return undefined;
    if (this.#channel && !this.#channel.closed) return this.#channel;
    this.#channel = await RunnerChannel.open(this.#init.container, this.#init.logger);
    if (!this.#channel) this.#noRunner = true;
    return this.#channel;
  }

  /** True when the cgroup's OOM-kill counter moved (or, failing that, Docker says so). */
  async #oomKilledSinceLastLook(exitCode: number): Promise<boolean> {
    const count = await readOomKillCount(this.#init.container);
    if (count !== undefined) {
      const moved = count > this.#oomSeen;
      this.#oomSeen = count;
      return moved;
    }
    if (exitCode !== 137) return false;
    const info = await this.#init.container.inspect().catch(() => undefined);
    return info?.State.OOMKilled === true;
  }

  /** On timeout: SIGKILL everything but init from a second exec; restart if even that fails. */
  async #killAll(): Promise<void> {
    try {
      const exec = await this.#init.container.exec({
        Cmd: KILL_ALL,
        User: `${this.#init.user.uid}:${this.#init.user.gid}`,
        AttachStdout: true,
        AttachStderr: true,
      });
      const stream = await exec.start({});
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('kill exec timed out')), KILL_EXEC_TIMEOUT_MS);
        stream.resume();
        stream.once('end', () => (clearTimeout(timer), resolve()));
        stream.once('close', () => (clearTimeout(timer), resolve()));
        stream.once('error', (e: Error) => (clearTimeout(timer), reject(e)));
      });
    } catch (error) {
      // A fork bomb at the pids limit leaves no room for the kill exec: restart instead, which
      // kills the whole pid namespace at once.
      await this.#restart(`the kill exec failed: ${(error as Error).message}`);
    }
  }

  async #restart(reason: string): Promise<void> {
    if (this.#destroyed) return;
    this.#init.logger?.warn({ sandbox: this.id, reason }, 'Restarting sandbox container');
    await this.#init.container.restart({ t: 0 });
    // A restarted container may get a fresh cgroup, whose OOM counter starts again at zero.
    this.#oomSeen = (await readOomKillCount(this.#init.container)) ?? 0;
  }
}
