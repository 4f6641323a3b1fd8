// simple-git instances for the workspace code. Each command gets an explicit environment: the
// caller's base (PATH, HOME, proxies) plus what that command needs (credentials, GIT_DIR, a
// temporary index), so nothing leaks between commands and nothing comes from a workspace's .git.
import os from 'node:os';
import { simpleGit, type SimpleGit } from 'simple-git';

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The GIT_* variables this module sets; simple-git drops or refuses any other. */
const GIT_ENV = [
  'GIT_TERMINAL_PROMPT',
  'GIT_LFS_SKIP_SMUDGE',
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_CONFIG_COUNT',
  'GIT_CONFIG_KEY_0',
  'GIT_CONFIG_VALUE_0',
  'GIT_CONFIG_KEY_1',
  'GIT_CONFIG_VALUE_1',
];

export function defaultGitEnv(): Record<string, string> {
  return { PATH: DEFAULT_PATH, HOME: os.homedir() };
}

export interface GitOptions {
  baseEnv: Record<string, string>;
  /** Added to baseEnv for this instance's commands. */
  env?: Record<string, string>;
  /** Kill a command that prints nothing for this long. */
  blockTimeoutMs?: number;
}

export function git(baseDir: string, options: GitOptions): SimpleGit {
  return simpleGit({
    baseDir,
    maxConcurrentProcesses: 4,
    trimmed: false,
    timeout: { block: options.blockTimeoutMs ?? 300_000 },
    // Every argument and variable here is built by this module, never taken from a repository or a
    // request: credentials travel in GIT_CONFIG_* (not argv), and GIT_DIR pins the repository.
    unsafe: { allowUnsafeConfigEnvCount: true, allowUnsafeCredentialHelper: true },
    allowEnvironment: GIT_ENV,
  }).env({
    ...options.baseEnv,
    GIT_TERMINAL_PROMPT: '0',
    // A repository's LFS pointers stay pointers: no smudge filter fetches with our credentials.
    GIT_LFS_SKIP_SMUDGE: '1',
    LC_ALL: 'C',
    ...options.env,
  });
}
