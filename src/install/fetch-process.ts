// Runs a package manager for the fetch step: a host process with an environment built from nothing
// (no variable of tracefix's own, so no LLM key, GitHub token or database URL), its own HOME and
// cache under a scratch directory (never the host's ~/.npm, ~/.cache/pip or global config), and,
// when tracefix runs as root, an unprivileged uid. It executes no code of the repository: the
// caller passes the package manager's own "run no scripts, build nothing" flags.
import { spawn } from 'node:child_process';
import { chown, mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface FetchUser {
  uid: number;
  gid: number;
}

export interface FetchProcessInput {
  argv: readonly string[];
  cwd: string;
  /** Private directory: HOME and caches live under it. */
  scratch: string;
  /** Extra variables (package manager settings); never a secret, which go in files under HOME. */
  env?: Record<string, string>;
  /** Files written under HOME before the run (a `.npmrc` or `.netrc` with registry credentials). */
  homeFiles?: Record<string, string>;
  user?: FetchUser;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface FetchProcessResult {
  exitCode: number;
  output: string;
  timedOut: boolean;
}

const MAX_OUTPUT = 1 << 20;

/** PATH for the fetch: the Node running tracefix first (npm is a Node script), then the system's. */
export function fetchPath(): string {
  return [path.dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':');
}

/** The uid a fetch runs as: the sandbox's unprivileged user when tracefix is root, else tracefix's own. */
export function fetchUser(preferredUid: number): FetchUser | undefined {
  return (process.getuid?.() ?? 0) === 0 ? { uid: preferredUid, gid: preferredUid } : undefined;
}

/**
 * The first directory on the way to `dir` that `user` cannot traverse (no search bit for it),
 * or undefined. A data dir under a 0700 parent (mkdtemp's default) makes every fetch fail with
 * the package manager's own EACCES, which names neither the directory nor the fix.
 */
export async function unreachableAncestor(dir: string, user: FetchUser): Promise<string | undefined> {
  const chain: string[] = [];
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    chain.unshift(at);
    if (path.dirname(at) === at) break;
  }
  for (const at of chain) {
    const s = await stat(at);
    const bit = s.uid === user.uid ? 0o100 : s.gid === user.gid ? 0o010 : 0o001;
    if ((s.mode & bit) === 0) return at;
  }
  return undefined;
}

export async function runFetchProcess(input: FetchProcessInput): Promise<FetchProcessResult> {
  const home = path.join(input.scratch, 'home');
  await mkdir(home, { recursive: true, mode: 0o700 });
  for (const [name, content] of Object.entries(input.homeFiles ?? {})) await writeFile(path.join(home, name), content, { mode: 0o600 });
  if (input.user) {
    await chown(input.scratch, input.user.uid, input.user.gid);
    await chown(home, input.user.uid, input.user.gid);
    for (const name of Object.keys(input.homeFiles ?? {})) await chown(path.join(home, name), input.user.uid, input.user.gid);
  }
  const env: Record<string, string> = {
    PATH: fetchPath(),
    HOME: home,
    LANG: 'C.UTF-8',
    TMPDIR: home,
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_CONFIG_HOME: path.join(home, '.config'),
    CI: 'true',
    ...input.env,
  };
  return new Promise((resolve, reject) => {
    const [bin, ...args] = input.argv;
    const child = spawn(bin ?? '', args, {
      cwd: input.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      ...(input.user ? { uid: input.user.uid, gid: input.user.gid } : {}),
    });
    let output = '';
    const collect = (chunk: Buffer): void => {
      if (output.length < MAX_OUTPUT) output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    // The whole process group: npm and pip start children of their own.
    const kill = (): void => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, input.timeoutMs);
    input.signal?.addEventListener('abort', kill, { once: true });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      input.signal?.removeEventListener('abort', kill);
      resolve({ exitCode: code ?? (sig ? 128 : 1), output, timedOut });
    });
  });
}
