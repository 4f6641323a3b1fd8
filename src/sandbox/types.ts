// The Sandbox port. Everything tracefix learns about a repository it learns by running that
// repository's code, and that code is untrusted; every command goes through this interface.
// Drivers: docker/ (dockerode, the default) and local/ (bubblewrap, weaker isolation).

/** Where the workspace is mounted inside every sandbox (both drivers). */
export const SANDBOX_WORKSPACE = '/workspace';

export interface SandboxLimits {
  /** Memory in bytes; swap is set equal so the container cannot swap past it. */
  memoryBytes: number;
  /** CPU count as a fraction (1.5 = one and a half cores). */
  cpus: number;
  /** Maximum number of processes/threads. */
  pids: number;
  /** Size of the tmpfs mounted at /tmp, in bytes. */
  tmpBytes: number;
  /** Cap on each of stdout and stderr, in bytes; the rest is dropped and `truncated` is set. */
  outputBytes: number;
}

export interface SandboxCreateOptions {
  /** Image (docker) or ignored (local). */
  image: string;
  /** Host directory mounted read-write at /workspace. Its `.git` is never writable from inside. */
  workspaceDir: string;
  limits?: Partial<SandboxLimits>;
  /** Named Docker network for the install phase only; reproduce and repair never get one. */
  network?: string;
  /** Labels for bookkeeping (run id, incident id). */
  labels?: Record<string, string>;
  /** Environment for every exec in this sandbox (e.g. the bundle's repro env); filtered like ExecOptions.env. */
  env?: Record<string, string>;
}

export interface ExecOptions {
  /** Working directory inside the sandbox, relative to /workspace or absolute. */
  cwd?: string;
  /** Extra environment; passed through the allowlist filter, never tracefix's own env. */
  env?: Record<string, string>;
  /** Wall-clock limit in milliseconds; the command is killed when it passes. */
  timeoutMs?: number;
  stdin?: string;
  /** Per-exec override of limits.outputBytes (e.g. to `cat` a large report file). */
  outputBytes?: number;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  oomKilled: boolean;
  /** stdout or stderr passed the output cap and was cut. */
  truncated: boolean;
}

export interface Sandbox {
  readonly id: string;
  readonly driver: 'docker' | 'local';
  /**
   * Runs argv (no shell) in the workspace. Execs in one sandbox run one at a time, and nothing an
   * exec started outlives it: when it returns, every process it left behind has been killed.
   */
  exec(argv: string[], options?: ExecOptions): Promise<ExecResult>;
  /** Paths are relative to the workspace; reading or writing outside it is refused. */
  readFile(path: string): Promise<string>;
  writeFile(path: string, content: string): Promise<void>;
  /** Unified diff of the workspace against the commit it was checked out at. */
  diff(): Promise<string>;
  destroy(): Promise<void>;
}

export interface SandboxDriver {
  readonly name: 'docker' | 'local';
  create(options: SandboxCreateOptions): Promise<Sandbox>;
  /** Remove sandboxes left behind by a crashed process. Returns how many were removed. */
  sweepOrphans(): Promise<number>;
}
