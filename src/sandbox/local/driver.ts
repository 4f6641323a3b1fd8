// The local SandboxDriver: bubblewrap jails for machines without Docker (a developer laptop, a
// CI runner). Weaker than the docker driver (see readme.md); it says so once in the log.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';
import { filterEnv } from '../env.ts';
import { DEFAULT_TIMEOUT_MS, resolveLimits } from '../limits.ts';
import { ownerState, ownerToken } from '../owner.ts';
import type { Sandbox, SandboxCreateOptions, SandboxDriver } from '../types.ts';
import { handOverWorkspace, sandboxUser } from '../workspace-owner.ts';
import { cgroupDirs, createSandboxCgroups, removeCgroups } from './cgroup.ts';
import { LocalSandbox, releaseStateDir } from './sandbox.ts';

const run = promisify(execFile);
const STATE_PREFIX = 'tracefix-local-';

export interface LocalDriverOptions {
  logger?: Logger;
  /** Told once, when the first sandbox is created, that this driver isolates less than docker. */
  onWeakerIsolation?: (message: string) => void;
  /**
   * uid and gid sandboxes run as when tracefix runs as root. Default 10002, not the docker images'
   * 10001: without cgroups RLIMIT_NPROC counts every process of the uid on the host, and docker
   * sandboxes' processes would eat into that budget.
   */
  uid?: number;
  /** Node binary bound at /opt/node/bin/node (default: the Node running tracefix, i.e. Node 24). */
  nodeBinary?: string;
  /**
   * Where per-sandbox state (passwd, /tmp) lives (default os.tmpdir()). When tracefix is root the
   * sandbox uid must be able to traverse it (mode 0711 or 1777), since bwrap binds from it.
   */
  stateRoot?: string;
  bwrap?: string;
  defaultTimeoutMs?: number;
}

export const DEFAULT_LOCAL_UID = 10002;

const WEAKER =
  'local sandbox driver: bubblewrap isolation is weaker than docker (shared kernel attack surface ' +
  'through user namespaces, the host /usr visible read-only, limits only where cgroups are writable)';

export class LocalDriver implements SandboxDriver {
  readonly name = 'local' as const;
  readonly #options: LocalDriverOptions;
  #warned = false;

  constructor(options: LocalDriverOptions = {}) {
    this.#options = options;
  }

  #stateRoot(): string {
    return this.#options.stateRoot ?? os.tmpdir();
  }

  async create(options: SandboxCreateOptions): Promise<Sandbox> {
    const bwrap = this.#options.bwrap ?? 'bwrap';
    assertBwrap(bwrap);
    this.#warnOnce();
    const limits = resolveLimits(options.limits);
    const logger = this.#options.logger;
    if (!path.isAbsolute(options.workspaceDir)) throw new Error(`sandbox workspaceDir must be absolute: ${options.workspaceDir}`);
    const workspaceDir = await fs.realpath(options.workspaceDir);
    if (!(await fs.stat(workspaceDir)).isDirectory()) throw new Error(`sandbox workspaceDir is not a directory: ${workspaceDir}`);
    const gitPath = path.join(workspaceDir, '.git');
    const hasGit = await fs.lstat(gitPath).then((s) => s.isDirectory() || s.isFile(), () => false);
    const isRoot = (process.getuid?.() ?? 0) === 0;
    const user = sandboxUser(this.#options.uid ?? DEFAULT_LOCAL_UID);
    handOverWorkspace(workspaceDir, user);

    const id = randomBytes(6).toString('hex');
    const stateDir = path.join(this.#stateRoot(), `${STATE_PREFIX}${id}`);
    await fs.mkdir(path.join(stateDir, 'etc'), { recursive: true, mode: 0o711 });
    await fs.chmod(stateDir, 0o711);
    await fs.writeFile(path.join(stateDir, 'owner'), ownerToken());
    await fs.writeFile(
      path.join(stateDir, 'etc', 'passwd'),
      `root:x:0:0:root:/root:/usr/sbin/nologin\nsandbox:x:${user.uid}:${user.gid}:tracefix sandbox:/tmp:/bin/sh\n` +
        'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n',
    );
    await fs.writeFile(path.join(stateDir, 'etc', 'group'), `root:x:0:\nsandbox:x:${user.gid}:\nnogroup:x:65534:\n`);
    const tmp = path.join(stateDir, 'tmp');
    await fs.mkdir(tmp, { mode: 0o700 });
    let tmpMounted = false;
    if (isRoot) {
      // A size-capped tmpfs that outlives each exec (runners write reports to /tmp and read them
      // back with a second exec), unlike a tmpfs bwrap would create per exec.
      const opts = `size=${limits.tmpBytes},mode=0700,uid=${user.uid},gid=${user.gid},nosuid,nodev`;
      tmpMounted = await run('mount', ['-t', 'tmpfs', '-o', opts, 'tracefix-sandbox-tmp', tmp]).then(() => true, (error: Error) => {
        logger?.warn({ sandbox: id, error: error.message }, 'Local sandbox /tmp is a plain directory without a size cap');
        return false;
      });
      if (!tmpMounted) await fs.chown(tmp, user.uid, user.gid);
    }

    const cgroups = createSandboxCgroups(`sandbox-${id}`, limits);
    if ('unavailable' in cgroups) {
      logger?.warn({ sandbox: id, reason: cgroups.unavailable }, 'Local sandbox without cgroups: memory and pids limits are rlimits only');
    }
    if (options.network !== undefined) {
      logger?.warn({ sandbox: id, network: options.network }, 'Local sandbox shares the host network (install phase)');
    }
    const env = filterEnv(options.env);
    if (env.dropped.length > 0) logger?.warn({ sandbox: id, dropped: env.dropped }, 'Dropped secret-looking variables from a sandbox env');

    return new LocalSandbox({
      id,
      workspaceDir,
      gitPath: hasGit ? gitPath : undefined,
      stateDir,
      tmpMounted,
      dropTo: isRoot ? user : undefined,
      fileOwner: isRoot ? user : undefined,
      limits,
      env: env.env,
      cgroups: 'unavailable' in cgroups ? undefined : cgroups,
      nodeBinary: this.#options.nodeBinary ?? process.execPath,
      shareNetwork: options.network !== undefined,
      bwrap,
      defaultTimeoutMs: this.#options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS,
      logger,
    });
  }

  /** Removes state directories (and their cgroups and /tmp mounts) of dead tracefix processes. */
  async sweepOrphans(): Promise<number> {
    const root = this.#stateRoot();
    let removed = 0;
    for (const name of await fs.readdir(root).catch(() => [] as string[])) {
      if (!name.startsWith(STATE_PREFIX)) continue;
      const stateDir = path.join(root, name);
      const owner = await fs.readFile(path.join(stateDir, 'owner'), 'utf8').catch(() => undefined);
      if (ownerState(owner) !== 'dead') continue;
      const mounted = (await fs.readFile('/proc/self/mounts', 'utf8')).includes(` ${path.join(stateDir, 'tmp')} `);
      await removeCgroups(cgroupDirs(`sandbox-${name.slice(STATE_PREFIX.length)}`)).catch(() => undefined);
      await releaseStateDir(stateDir, mounted);
      removed++;
    }
    if (removed > 0) this.#options.logger?.info({ removed }, 'Removed orphaned local sandboxes');
    return removed;
  }

  #warnOnce(): void {
    if (this.#warned) return;
    this.#warned = true;
    this.#options.onWeakerIsolation?.(WEAKER);
    this.#options.logger?.warn({ driver: 'local' }, WEAKER);
  }
}

let bwrapChecked: string | undefined;

function assertBwrap(bwrap: string): void {
  if (bwrapChecked === bwrap) return;
  try {
    execFileSync(bwrap, ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(`the local sandbox driver needs bubblewrap (${bwrap}); install it with apt-get install bubblewrap`);
  }
  bwrapChecked = bwrap;
}

export function createLocalDriver(options: LocalDriverOptions = {}): LocalDriver {
  return new LocalDriver(options);
}
