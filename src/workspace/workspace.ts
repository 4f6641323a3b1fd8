// Per-run worktrees: <dataDir>/workspaces/<runId>, detached at the incident's commit, sharing the
// repository's mirror. The worktree's `.git` is a file naming <mirror>/worktrees/<runId>; the mirror
// lives outside every workspace, so a sandbox that mounts only the workspace cannot reach it, and a
// driver that binds the gitdir in (for git inside the sandbox) must bind it read-only.
// Host-side git never trusts the workspace's `.git` file: GIT_DIR comes from the Workspace record.
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { instrument, type Logger } from '../telemetry.ts';
import { WorkspaceError } from './errors.ts';
import { defaultGitEnv, git } from './git.ts';
import { prepareMirror, type MirrorContext } from './mirror.ts';
import { resolveSource, type RepoSource } from './repo-source.ts';

export interface Workspace {
  runId: string;
  /** The checkout, mounted read-write at /workspace in the sandbox. */
  dir: string;
  /** The repository URL or path, without credentials. */
  repo: string;
  /** Full sha of the checked-out commit. */
  commit: string;
  /** The shared bare mirror (never inside `dir`). */
  mirrorDir: string;
  /** This worktree's git directory inside the mirror; bind read-only if mounted at all. */
  gitDir: string;
}

export interface WorkspaceManagerOptions {
  dataDir: string;
  /**
   * Environment for git processes (PATH, HOME, proxy and CA settings).
   * @defaultValue PATH=/usr/local/bin:/usr/bin:/bin…, HOME=the user's home
   */
  gitEnv?: Record<string, string>;
  log?: Logger;
}

export interface CreateWorkspaceInput {
  runId: string;
  repo: RepoSource;
  /** Commit sha (or branch/tag); the default branch head when absent. */
  commit?: string;
}

export interface WorkspaceManager {
  create(input: CreateWorkspaceInput): Promise<Workspace>;
  /** Unified diff of the workspace against its commit, new untracked files included. */
  diff(workspace: Workspace): Promise<string>;
  /** Files tracked at the workspace's commit (workspace-relative POSIX paths). */
  listFiles(workspace: Workspace): Promise<string[]>;
  /** Removes the worktree and its registration; safe to call twice or for an unknown run. */
  remove(workspace: Workspace | string): Promise<void>;
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export function createWorkspaceManager(options: WorkspaceManagerOptions): WorkspaceManager {
  const dataDir = path.resolve(options.dataDir);
  const baseEnv = options.gitEnv ?? defaultGitEnv();
  const ctx: MirrorContext = { dataDir, baseEnv, log: options.log };
  const workspacesDir = path.join(dataDir, 'workspaces');
  const mirrorsDir = path.join(dataDir, 'mirrors');

  const worktreeGit = (ws: Workspace, env: Record<string, string> = {}) =>
    git(ws.dir, { baseEnv, env: { GIT_DIR: ws.gitDir, GIT_WORK_TREE: ws.dir, ...env } });

  async function prune(mirrorDir: string): Promise<void> {
    if (!existsSync(path.join(mirrorDir, 'HEAD'))) return;
    await git(mirrorDir, { baseEnv, env: { GIT_DIR: mirrorDir } }).raw(['worktree', 'prune']).catch(() => undefined);
  }

  async function create(input: CreateWorkspaceInput): Promise<Workspace> {
    if (!RUN_ID.test(input.runId)) throw new WorkspaceError(`Invalid run id ${JSON.stringify(input.runId)}`);
    const source = resolveSource(input.repo);
    return instrument('workspace.create', { 'tracefix.run_id': input.runId }, async () => {
      const dir = path.join(workspacesDir, input.runId);
      const { mirrorDir, sha } = await prepareMirror(source, input.commit, ctx);
      if (isInside(mirrorDir, dir) || isInside(dir, mirrorDir)) throw new WorkspaceError('The mirror and the workspace must not contain each other');
      // A retried run starts from a clean checkout.
      if (existsSync(dir)) await remove(input.runId);
      await mkdir(workspacesDir, { recursive: true });
      const m = git(mirrorDir, { baseEnv, env: { GIT_DIR: mirrorDir } });
      await m.raw(['worktree', 'prune']);
      try {
        await m.raw(['worktree', 'add', '--detach', '--quiet', dir, sha]);
      } catch (err) {
        throw new WorkspaceError(`Cannot check out ${sha} into ${dir}: ${(err as Error).message.trim()}`);
      }
      const pointer = (await readFile(path.join(dir, '.git'), 'utf8')).trim();
      const gitDir = path.resolve(dir, pointer.replace(/^gitdir:\s*/, ''));
      if (!isInside(gitDir, mirrorDir)) throw new WorkspaceError(`Unexpected worktree git directory ${gitDir}`);
      return { runId: input.runId, dir, repo: source.remote, commit: sha, mirrorDir, gitDir };
    });
  }

  async function diff(ws: Workspace): Promise<string> {
    // A throwaway index: `git add -A` there sees new files without touching the worktree's index,
    // which the sandbox may not be able to write and other readers rely on.
    const index = path.join(os.tmpdir(), `tracefix-index-${ws.runId}-${randomUUID()}`);
    try {
      if (existsSync(path.join(ws.gitDir, 'index'))) await copyFile(path.join(ws.gitDir, 'index'), index);
      const g = worktreeGit(ws, { GIT_INDEX_FILE: index });
      await g.raw(['add', '--all', '--', '.']);
      return await g.raw(['diff', '--cached', '--no-color', '--no-ext-diff', '--no-textconv', '--no-renames', '--binary', 'HEAD']);
    } finally {
      await rm(index, { force: true });
    }
  }

  async function listFiles(ws: Workspace): Promise<string[]> {
    const out = await worktreeGit(ws).raw(['ls-tree', '-r', '-z', '--name-only', 'HEAD']);
    return out.split('\0').filter(Boolean);
  }

  async function remove(target: Workspace | string): Promise<void> {
    const runId = typeof target === 'string' ? target : target.runId;
    if (!RUN_ID.test(runId)) throw new WorkspaceError(`Invalid run id ${JSON.stringify(runId)}`);
    const dir = path.join(workspacesDir, runId);
    // Without the record, any mirror may hold the registration; pruning is cheap.
    const mirrors =
      typeof target === 'string'
        ? existsSync(mirrorsDir)
          ? readdirSync(mirrorsDir).filter((n) => !n.endsWith('.lock')).map((n) => path.join(mirrorsDir, n))
          : []
        : [target.mirrorDir];
    if (existsSync(dir) && typeof target !== 'string') {
      await git(target.mirrorDir, { baseEnv, env: { GIT_DIR: target.mirrorDir } })
        .raw(['worktree', 'remove', '--force', '--force', dir])
        .catch(() => undefined);
    }
    // Files the sandbox created may defeat `worktree remove`; deleting the directory always works.
    await rm(dir, { recursive: true, force: true });
    for (const mirror of mirrors) await prune(mirror);
  }

  return { create, diff, listFiles, remove };
}
