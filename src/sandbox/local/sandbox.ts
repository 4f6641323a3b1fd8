// A local sandbox: each exec is one bubblewrap jail over the host's /usr, run as an unprivileged
// uid (when tracefix is root) inside the sandbox's cgroups. Nothing runs between execs: when
// bwrap's pid namespace ends, every process in it ends.
import { execFile, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';
import { BASE_ENV, buildSandboxEnv } from '../env.ts';
import { wrapArgv } from '../exec-wrapper.ts';
import { workspaceDiff } from '../git-diff.ts';
import { CappedOutput } from '../output.ts';
import { readWorkspaceFile, writeWorkspaceFile } from '../paths.ts';
import { Serial } from '../serial.ts';
import type { ExecOptions, ExecResult, Sandbox, SandboxLimits } from '../types.ts';
import type { SandboxUser } from '../workspace-owner.ts';
import { bwrapArgs } from './bwrap-args.ts';
import type { SandboxCgroups } from './cgroup.ts';

const run = promisify(execFile);
const GiB = 1024 ** 3;

/** The launcher's own environment: fixed, so not even bwrap's /proc/1/environ shows tracefix's. */
const LAUNCH_ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' };

// Joins every cgroup (argv: count, files..., command...) and execs the command: the process is
// inside the limits before it can fork anything.
const JOIN_CGROUPS =
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n-1)); done; exec "$@"';

export interface LocalSandboxInit {
  id: string;
  workspaceDir: string;
  gitPath?: string;
  stateDir: string;
  /** Whether stateDir/tmp is a tmpfs we mounted (to unmount on destroy). */
  tmpMounted: boolean;
  /** Set when tracefix is root: setpriv drops to this uid before bwrap. */
  dropTo?: SandboxUser;
  fileOwner?: SandboxUser;
  limits: SandboxLimits;
  env: Record<string, string>;
  cgroups?: SandboxCgroups;
  nodeBinary?: string;
  shareNetwork: boolean;
  bwrap: string;
  defaultTimeoutMs: number;
  logger?: Logger;
}

export class LocalSandbox implements Sandbox {
  readonly id: string;
  readonly driver = 'local' as const;
  readonly #init: LocalSandboxInit;
  readonly #serial = new Serial();
  #running: { kill: () => void } | undefined;
  #destroyed: Promise<void> | undefined;

  constructor(init: LocalSandboxInit) {
    this.id = init.id;
    this.#init = init;
  }

  exec(argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const command = wrapArgv(argv, options.cwd);
    return this.#serial.run(() => this.#exec(command, options));
  }

  readFile(file: string): Promise<string> {
    return this.#serial.run(async () => {
      this.#assertAlive();
      return readWorkspaceFile(this.#init.workspaceDir, file);
    });
  }

  writeFile(file: string, content: string): Promise<void> {
    return this.#serial.run(async () => {
      this.#assertAlive();
      await writeWorkspaceFile(this.#init.workspaceDir, file, content, this.#init.fileOwner);
    });
  }

  diff(): Promise<string> {
    return this.#serial.run(async () => {
      this.#assertAlive();
      return workspaceDiff(this.#init.workspaceDir);
    });
  }

  destroy(): Promise<void> {
    this.#destroyed ??= this.#teardown();
    return this.#destroyed;
  }

  async #teardown(): Promise<void> {
    this.#running?.kill();
    // Let an exec in flight observe its kill before its cgroups and /tmp go away.
    await this.#serial.run(async () => undefined);
    await this.#init.cgroups?.remove();
    await releaseStateDir(this.#init.stateDir, this.#init.tmpMounted);
  }

  #assertAlive(): void {
    if (this.#destroyed) throw new Error(`sandbox ${this.id} was destroyed`);
  }

  #launcher(command: string[], env: Record<string, string>): string[] {
    const { limits, cgroups, dropTo } = this.#init;
    const argv: string[] = [];
    if (cgroups) argv.push('/bin/sh', '-c', JOIN_CGROUPS, 'tracefix-join', String(cgroups.procsFiles.length), ...cgroups.procsFiles);
    argv.push('prlimit', '--core=0');
    // Without cgroups only rlimits are left: RLIMIT_NPROC counts every process of the uid, and
    // RLIMIT_AS needs generous headroom because Node reserves gigabytes of address space at start.
    if (!cgroups) argv.push(`--nproc=${limits.pids}`, `--as=${limits.memoryBytes + 8 * GiB}`);
    argv.push('--');
    if (dropTo) {
      argv.push('setpriv', `--reuid=${dropTo.uid}`, `--regid=${dropTo.gid}`, '--clear-groups', '--no-new-privs', '--bounding-set=-all', '--');
    }
    const jail = bwrapArgs({
      workspaceDir: this.#init.workspaceDir,
      gitPath: this.#init.gitPath,
      stateDir: this.#init.stateDir,
      nodeBinary: this.#init.nodeBinary,
      env,
      command,
    });
    if (this.#init.shareNetwork) jail.unshift('--share-net');
    argv.push(this.#init.bwrap, ...jail);
    return argv;
  }

  async #exec(command: string[], options: ExecOptions): Promise<ExecResult> {
    this.#assertAlive();
    const { env, dropped } = buildSandboxEnv(this.#init.env, options.env);
    if (dropped.length > 0) {
      this.#init.logger?.warn({ sandbox: this.id, dropped }, 'Dropped secret-looking variables from a sandbox exec');
    }
    if (this.#init.nodeBinary && env.PATH === BASE_ENV.PATH) env.PATH = `/opt/node/bin:${env.PATH}`;
    const [file, ...args] = this.#launcher(command, env) as [string, ...string[]];
    const outputBytes = options.outputBytes ?? this.#init.limits.outputBytes;
    const timeoutMs = options.timeoutMs ?? this.#init.defaultTimeoutMs;
    const oomBefore = this.#init.cgroups?.oomKills() ?? 0;
    const started = performance.now();

    const child = spawn(file, args, {
      env: LAUNCH_ENV,
      // Its own process group, so a timeout can kill the launcher chain at once.
      detached: true,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const stdout = new CappedOutput(outputBytes);
    const stderr = new CappedOutput(outputBytes);
    child.stdout?.on('data', (c: Buffer) => stdout.push(c));
    child.stderr?.on('data', (c: Buffer) => stderr.push(c));
    if (options.stdin !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined); // the command may exit without reading it
      child.stdin.end(options.stdin);
    }

    let timedOut = false;
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      // bwrap's --die-with-parent ends the pid namespace; the cgroup kill is for the stragglers.
      try {
        this.#init.cgroups?.killAll();
      } catch {
        // the cgroup may be gone
      }
    };
    this.#running = { kill };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    clearTimeout(timer);
    this.#running = undefined;
    if (exit.error) throw exit.error;

    const exitCode = exit.code ?? 128 + (exit.signal ? (os.constants.signals[exit.signal] ?? 0) : 0);
    const oomKilled = (this.#init.cgroups?.oomKills() ?? 0) > oomBefore;
    return {
      exitCode,
      stdout: stdout.text(),
      stderr: stderr.text(),
      durationMs: Math.round(performance.now() - started),
      timedOut,
      oomKilled,
      truncated: stdout.truncated || stderr.truncated,
    };
  }
}

/** Unmounts the sandbox's /tmp (if it was a tmpfs) and deletes its state directory. */
export async function releaseStateDir(stateDir: string, tmpMounted: boolean): Promise<void> {
  if (tmpMounted) await run('umount', ['-l', path.join(stateDir, 'tmp')], { env: LAUNCH_ENV }).catch(() => undefined);
  await fs.rm(stateDir, { recursive: true, force: true });
}
