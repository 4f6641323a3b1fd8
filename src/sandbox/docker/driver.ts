// The docker SandboxDriver: creates one locked-down container per sandbox (container-spec.ts)
// and sweeps the ones a crashed tracefix process left behind.
import Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { AppError } from '../../errors.ts';
import { filterEnv } from '../env.ts';
import { DEFAULT_TIMEOUT_MS, resolveLimits } from '../limits.ts';
import { ownerState, ownerToken } from '../owner.ts';
import type { Sandbox, SandboxCreateOptions, SandboxDriver } from '../types.ts';
import { handOverWorkspace, sandboxUser } from '../workspace-owner.ts';
import { containerSpec, OWNER_LABEL, SANDBOX_LABEL } from './container-spec.ts';
import { DockerSandbox } from './sandbox.ts';

export interface DockerDriverOptions {
  /** A dockerode client; default `new Docker()` (DOCKER_HOST or /var/run/docker.sock). */
  docker?: Docker;
  logger?: Logger;
  /** uid and gid sandboxes run as when tracefix runs as root (default 10001, the images' user). */
  uid?: number;
  /** Wall-clock limit of an exec that names none (default 10 min). */
  defaultTimeoutMs?: number;
  /**
   * Commands go through a runner in the container (PID 1) instead of one `docker exec` each
   * (runner-script.ts; default true). Images without perl fall back to docker exec by themselves.
   */
  runner?: boolean;
  /** A sandbox whose owner is on another host is swept only when older than this (default 24 h). */
  foreignOrphanAgeMs?: number;
}

export const DEFAULT_SANDBOX_UID = 10001;

/** Networks that would share the host's or another container's network stack. */
function refusedNetwork(network: string): boolean {
  return network === 'host' || network.startsWith('container:');
}

export class DockerDriver implements SandboxDriver {
  readonly name = 'docker' as const;
  readonly docker: Docker;
  readonly #options: DockerDriverOptions;

  constructor(options: DockerDriverOptions = {}) {
    this.docker = options.docker ?? new Docker();
    this.#options = options;
  }

  async create(options: SandboxCreateOptions): Promise<Sandbox> {
    const limits = resolveLimits(options.limits);
    if (options.network !== undefined && refusedNetwork(options.network)) {
      throw new Error(`sandbox network ${options.network} is not allowed`);
    }
    const workspaceDir = await realDirectory(options.workspaceDir);
    const gitPath = path.join(workspaceDir, '.git');
    const hasGit = await fs.lstat(gitPath).then((s) => s.isDirectory() || s.isFile(), () => false);
    const user = sandboxUser(this.#options.uid ?? DEFAULT_SANDBOX_UID);
    handOverWorkspace(workspaceDir, user);

    const id = randomBytes(6).toString('hex');
    const env = filterEnv(options.env);
    if (env.dropped.length > 0) {
      this.#options.logger?.warn({ sandbox: id, dropped: env.dropped }, 'Dropped secret-looking variables from a sandbox env');
    }
    const spec = containerSpec({
      name: `tracefix-${id}`,
      image: options.image,
      workspaceDir,
      gitPath: hasGit ? gitPath : undefined,
      user,
      limits,
      network: options.network,
      // Ours last: a caller's labels must not disown the container from the sweep.
      labels: { ...options.labels, [SANDBOX_LABEL]: '1', [OWNER_LABEL]: ownerToken() },
      runner: this.#options.runner ?? true,
    });
    let container: Docker.Container;
    try {
      container = await this.docker.createContainer(spec);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) {
        throw new AppError('TF_SANDBOX_IMAGE', `sandbox image ${options.image} not found; build it with \`tracefix images build\``, { cause: error });
      }
      throw error;
    }
    try {
      await container.start();
    } catch (error) {
      await container.remove({ force: true }).catch(() => undefined);
      throw error;
    }
    this.#options.logger?.debug({ sandbox: id, image: options.image, limits }, 'Sandbox container started');
    return new DockerSandbox({
      id,
      container,
      workspaceDir,
      user,
      limits,
      env: env.env,
      defaultTimeoutMs: this.#options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS,
      runner: this.#options.runner ?? true,
      logger: this.#options.logger,
    });
  }

  /**
   * Removes sandbox containers whose owning process is gone: owned by a dead process on this
   * host, unowned, or owned on another host and older than foreignOrphanAgeMs. Live sandboxes of
   * this process and of other running workers are left alone.
   */
  async sweepOrphans(): Promise<number> {
    const maxForeignAgeMs = this.#options.foreignOrphanAgeMs ?? 24 * 60 * 60 * 1000;
    const containers = await this.docker.listContainers({ all: true, filters: { label: [`${SANDBOX_LABEL}=1`] } });
    let removed = 0;
    for (const info of containers) {
      const state = ownerState(info.Labels[OWNER_LABEL]);
      const ageMs = Date.now() - info.Created * 1000;
      const orphan = state === 'dead' || (state === 'foreign' && ageMs > maxForeignAgeMs);
      if (!orphan) continue;
      try {
        await this.docker.getContainer(info.Id).remove({ force: true, v: true });
        removed++;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      }
    }
    if (removed > 0) this.#options.logger?.info({ removed }, 'Removed orphaned sandbox containers');
    return removed;
  }
}

async function realDirectory(dir: string): Promise<string> {
  if (!path.isAbsolute(dir)) throw new Error(`sandbox workspaceDir must be absolute: ${dir}`);
  const real = await fs.realpath(dir);
  if (!(await fs.stat(real)).isDirectory()) throw new Error(`sandbox workspaceDir is not a directory: ${dir}`);
  return real;
}

export function createDockerDriver(options: DockerDriverOptions = {}): DockerDriver {
  return new DockerDriver(options);
}
