// The workspace's diff against the commit it was checked out at, computed by the host's git (the
// sandbox never runs it for us). Tracked changes plus new files that .gitignore does not exclude.
// The worktree is untrusted: git runs with every config-driven program off (fsmonitor, external
// diff, textconv, hooks) and without descending into submodules, whose .git a sandbox could forge.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** New files beyond this many are left out of the diff (a forgotten build directory). */
const MAX_UNTRACKED = 500;

export interface DiffOptions {
  git?: string;
}

function gitArgs(workspaceDir: string, args: string[]): string[] {
  return [
    '-c', 'core.fsmonitor=false',
    '-c', 'core.hooksPath=/dev/null',
    '-c', `safe.directory=${workspaceDir}`,
    '-c', 'diff.external=',
    '-C', workspaceDir,
    ...args,
  ];
}

// A fixed environment: no user or system config, no GIT_DIR or similar from tracefix's own env.
const GIT_ENV = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  LANG: 'C',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
};

async function git(workspaceDir: string, args: string[], okCodes: number[] = [0], binary = 'git'): Promise<string> {
  try {
    const { stdout } = await run(binary, gitArgs(workspaceDir, args), {
      env: GIT_ENV,
      maxBuffer: 256 * 1024 * 1024,
      encoding: 'utf8',
    });
    return stdout;
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string };
    if (typeof e.code === 'number' && okCodes.includes(e.code) && typeof e.stdout === 'string') return e.stdout;
    throw error;
  }
}

const DIFF_FLAGS = ['--no-color', '--no-ext-diff', '--no-textconv', '--ignore-submodules=all'];

export async function workspaceDiff(workspaceDir: string, options: DiffOptions = {}): Promise<string> {
  const binary = options.git ?? 'git';
  const tracked = await git(workspaceDir, ['diff', ...DIFF_FLAGS, 'HEAD', '--'], [0], binary);
  const listed = await git(workspaceDir, ['ls-files', '--others', '--exclude-standard', '-z'], [0], binary);
  const untracked = listed.split('\0').filter(Boolean).sort().slice(0, MAX_UNTRACKED);
  const parts = [tracked];
  for (const file of untracked) {
    // --no-index exits 1 when the files differ, which they always do against /dev/null. It reads a
    // symlink's target text, never the file it points at.
    parts.push(await git(workspaceDir, ['diff', '--no-index', ...DIFF_FLAGS.slice(0, 3), '--', '/dev/null', file], [0, 1], binary));
  }
  return parts.join('');
}
