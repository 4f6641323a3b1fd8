// A bare mirror per repository under <dataDir>/mirrors/<key>, shared by every run of that
// repository: fetched on use, never checked out. Runs get worktrees of it (workspace.ts).
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../telemetry.ts';
import { WorkspaceError } from './errors.ts';
import { git } from './git.ts';
import { withLock } from './lock.ts';
import { credentialEnv, type ResolvedSource } from './repo-source.ts';

export interface MirrorContext {
  dataDir: string;
  baseEnv: Record<string, string>;
  log?: Logger | undefined;
}

/** Files that test runs leave behind and that are never part of a patch (read by `git add -A`). */
const EXCLUDES = [
  'node_modules/',
  '__pycache__/',
  '*.py[cod]',
  '.pytest_cache/',
  '.coverage',
  'coverage/',
  '.nyc_output/',
  '.tracefix-tmp/',
  // Python dependencies installed by src/install/ (PYTHONPATH points there).
  '.tracefix-deps/',
];

const COMMITISH = /^(?:[0-9a-f]{4,40}|[A-Za-z0-9_][A-Za-z0-9._/-]{0,254})$/;

export function mirrorDirFor(dataDir: string, source: ResolvedSource): string {
  return path.join(dataDir, 'mirrors', source.key);
}

function redact(text: string, source: ResolvedSource): string {
  const c = source.credentials;
  if (!c) return text;
  const basic = Buffer.from(`${c.username}:${c.token}`).toString('base64');
  return text.split(c.token).join('[redacted]').split(basic).join('[redacted]');
}

function failure(what: string, err: unknown, source: ResolvedSource): WorkspaceError {
  const detail = redact(err instanceof Error ? err.message : String(err), source).trim();
  return new WorkspaceError(`${what}: ${detail}`);
}

async function initMirror(dir: string, source: ResolvedSource, ctx: MirrorContext): Promise<void> {
  await mkdir(path.dirname(dir), { recursive: true });
  const g = git(path.dirname(dir), { baseEnv: ctx.baseEnv });
  await g.raw(['init', '--bare', '--quiet', dir]);
  const m = git(dir, { baseEnv: ctx.baseEnv, env: { GIT_DIR: dir } });
  // Only the URL is stored, never a credential (resolveSource stripped any user:password).
  await m.raw(['config', 'remote.origin.url', source.remote]);
  await m.raw(['config', '--replace-all', 'remote.origin.fetch', '+refs/heads/*:refs/heads/*']);
  await m.raw(['config', '--add', 'remote.origin.fetch', '+refs/tags/*:refs/tags/*']);
  await mkdir(path.join(dir, 'info'), { recursive: true });
  await writeFile(path.join(dir, 'info', 'exclude'), `# tracefix: run artifacts that never belong in a patch\n${EXCLUDES.join('\n')}\n`);
}

async function fetchMirror(dir: string, source: ResolvedSource, ctx: MirrorContext): Promise<void> {
  const m = git(dir, { baseEnv: ctx.baseEnv, env: { GIT_DIR: dir, ...credentialEnv(source) } });
  try {
    await m.raw(['fetch', '--prune', '--no-tags', '--quiet', 'origin']);
  } catch (err) {
    throw failure(`Cannot fetch ${source.remote}`, err, source);
  }
  // Follow the remote's default branch, which may have changed since the mirror was made.
  try {
    const out = await m.raw(['ls-remote', '--symref', 'origin', 'HEAD']);
    const head = /^ref: (refs\/heads\/\S+)\tHEAD$/m.exec(out)?.[1];
    if (head) await m.raw(['symbolic-ref', 'HEAD', head]);
  } catch (err) {
    ctx.log?.warn({ remote: source.remote, err: redact(String(err), source) }, 'Cannot read the remote default branch');
  }
}

async function resolveCommit(dir: string, commit: string, ctx: MirrorContext): Promise<string | undefined> {
  const m = git(dir, { baseEnv: ctx.baseEnv, env: { GIT_DIR: dir } });
  try {
    return (await m.raw(['rev-parse', '--verify', '--quiet', `${commit}^{commit}`])).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes sure the mirror exists and holds `commit` (fetching when it does not, or always when no
 * commit is given), and returns the full sha to check out: `commit`, or the default branch head.
 */
export async function prepareMirror(source: ResolvedSource, commit: string | undefined, ctx: MirrorContext): Promise<{ mirrorDir: string; sha: string }> {
  if (commit !== undefined && !COMMITISH.test(commit)) throw new WorkspaceError(`Invalid commit ${JSON.stringify(commit)}`);
  const dir = mirrorDirFor(ctx.dataDir, source);
  await mkdir(path.dirname(dir), { recursive: true });
  return withLock(`${dir}.lock`, async () => {
    if (!existsSync(path.join(dir, 'HEAD'))) await initMirror(dir, source, ctx);
    // A sha names immutable content: no fetch needed when the mirror already has it.
    let sha = commit ? await resolveCommit(dir, commit, ctx) : undefined;
    if (!sha || (commit && !/^[0-9a-f]{40}$/.test(commit))) {
      await fetchMirror(dir, source, ctx);
      sha = await resolveCommit(dir, commit ?? 'HEAD', ctx);
    }
    if (!sha && commit && /^[0-9a-f]{40}$/.test(commit)) {
      // Not on any branch or tag (a pull request head, a deleted branch): ask for it by id.
      const m = git(dir, { baseEnv: ctx.baseEnv, env: { GIT_DIR: dir, ...credentialEnv(source) } });
      await m.raw(['fetch', '--quiet', 'origin', commit]).catch(() => undefined);
      sha = await resolveCommit(dir, commit, ctx);
    }
    if (!sha) {
      throw new WorkspaceError(
        commit
          ? `Commit ${commit} is not in ${source.remote} (fetched its branches and tags)`
          : `${source.remote} has no default branch to check out (is it empty?)`,
      );
    }
    return { mirrorDir: dir, sha };
  });
}
