// The container a docker sandbox runs in, as a Docker Engine create body. Every isolation rule of
// DESIGN.md's "Sandbox rules" is one line here.
import type Docker from 'dockerode';
import { BASE_ENV, envToList } from '../env.ts';
import { RUNNER_INIT } from './runner-script.ts';
import { SANDBOX_WORKSPACE, type SandboxLimits } from '../types.ts';
import type { SandboxUser } from '../workspace-owner.ts';

export const SANDBOX_LABEL = 'org.tracefix.sandbox';
export const OWNER_LABEL = 'org.tracefix.owner';

/**
 * PID 1: a shell that only waits. It reaps orphans (zombies would count against the pids limit),
 * survives the exec wrapper's `kill -9 -1` (init is exempt), and exits on TERM for a fast stop.
 */
export const INIT_SCRIPT = 'trap "exit 0" TERM; while :; do sleep 86400 & wait; done';

export interface ContainerSpecInput {
  name: string;
  image: string;
  workspaceDir: string;
  /** The workspace's .git (directory, or file in a worktree), mounted read-only over the rw workspace. */
  gitPath?: string;
  user: SandboxUser;
  limits: SandboxLimits;
  network?: string;
  labels: Record<string, string>;
  /** PID 1 is the command runner (runner-script.ts) instead of the shell that only reaps. */
  runner?: boolean;
}

export function containerSpec(input: ContainerSpecInput): Docker.ContainerCreateOptions {
  const mounts: Docker.MountSettings[] = [
    { Type: 'bind', Source: input.workspaceDir, Target: SANDBOX_WORKSPACE, ReadOnly: false },
  ];
  if (input.gitPath) {
    // Read-only: sandboxed code must not plant hooks or config that the host's git would run.
    mounts.push({ Type: 'bind', Source: input.gitPath, Target: `${SANDBOX_WORKSPACE}/.git`, ReadOnly: true });
  }
  return {
    name: input.name,
    Image: input.image,
    // Override any image ENTRYPOINT (the official node image has one).
    Entrypoint: ['/bin/sh', '-c'],
    Cmd: [input.runner ? RUNNER_INIT : INIT_SCRIPT],
    // The runner's requests arrive on stdin, kept open between attaches.
    ...(input.runner ? { OpenStdin: true, StdinOnce: false, AttachStdin: false } : {}),
    User: `${input.user.uid}:${input.user.gid}`,
    WorkingDir: SANDBOX_WORKSPACE,
    Env: envToList(BASE_ENV),
    Labels: input.labels,
    Hostname: 'sandbox',
    HostConfig: {
      NetworkMode: input.network ?? 'none',
      ReadonlyRootfs: true,
      Mounts: mounts,
      Tmpfs: { '/tmp': `rw,nosuid,nodev,size=${input.limits.tmpBytes},mode=1777` },
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      PidsLimit: input.limits.pids,
      Memory: input.limits.memoryBytes,
      // Equal to Memory: no swap beyond the limit, so a memory bomb meets the OOM killer.
      MemorySwap: input.limits.memoryBytes,
      NanoCpus: Math.round(input.limits.cpus * 1e9),
      // No core dumps into the workspace; a bounded number of open files.
      Ulimits: [
        { Name: 'core', Soft: 0, Hard: 0 },
        { Name: 'nofile', Soft: 4096, Hard: 4096 },
      ],
      IpcMode: 'private',
      Init: false,
      AutoRemove: false,
      RestartPolicy: { Name: 'no' },
      // Nothing a container writes to its stdout (the runner's replies: command output) is logged
      // on the host: no copy of it on disk, and no log growing with every command.
      LogConfig: { Type: 'none', Config: {} },
    },
  };
}
