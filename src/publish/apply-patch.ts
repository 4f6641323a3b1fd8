// A unified diff (patch.diff, as `git diff` writes it) applied to a set of original files by
// `git apply` in a private temporary directory: the same applier, with the same rules, as the
// repository's own git. Used twice: for the commit (originals fetched from GitHub) and for the
// re-validation on a moved base (originals read from the checkout). Contents are Buffers
// throughout so binary files and any encoding pass through unchanged; modes are kept.
import { execFile } from 'node:child_process';
import { chmod, lstat, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../errors.ts';

const run = promisify(execFile);

/** Git's file modes for blobs; symlinks and submodules are never patched by tracefix. */
export type BlobMode = '100644' | '100755';

export interface OriginalFile {
  content: Buffer;
  mode: BlobMode;
}

/** A path the patch touches: its new content and mode, or null when the patch deletes it. */
export type PatchedFile = { content: Buffer; mode: BlobMode } | null;

export class PatchApplyError extends AppError {
  constructor(message: string) {
    super('TF_PATCH_APPLY', message);
  }
}

// No user or system git config: nothing on this host changes how the patch applies, and no
// credential helper is ever consulted (nothing here talks to a remote).
const GIT_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: os.tmpdir(), LC_ALL: 'C' };

function safeRelative(file: string): string {
  const normalized = path.posix.normalize(file);
  if (!normalized || normalized.startsWith('../') || normalized === '..' || path.posix.isAbsolute(normalized) || normalized.split('/').includes('.git')) {
    throw new PatchApplyError(`the patch names a path outside the repository: ${JSON.stringify(file).slice(0, 300)}`);
  }
  return normalized;
}

/** The paths a patch reads (old names) and writes (new names), from `git apply --numstat -z`. */
export async function patchPaths(diff: string): Promise<{ before: string[]; after: string[] }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-patch-'));
  try {
    await writeFile(path.join(dir, 'patch.diff'), diff);
    const { stdout } = await run('git', ['apply', '--numstat', '-z', 'patch.diff'], { cwd: dir, env: { ...GIT_ENV, GIT_CEILING_DIRECTORIES: path.dirname(dir) }, maxBuffer: 16 * 1024 * 1024 }).catch((error: { stderr?: string }) => {
      throw new PatchApplyError(`patch.diff is not a patch git can read: ${String(error.stderr ?? error).trim().slice(0, 500)}`);
    });
    const before = new Set<string>();
    const after = new Set<string>();
    // Records: "added\tdeleted\tpath\0", or for a rename/copy "added\tdeleted\t\0old\0new\0".
    const parts = stdout.split('\0');
    for (let i = 0; i < parts.length; i++) {
      const record = parts[i];
      if (!record) continue;
      const fields = record.split('\t');
      if (fields.length < 3) continue;
      const name = fields.slice(2).join('\t');
      if (name) {
        before.add(safeRelative(name));
        after.add(safeRelative(name));
      } else {
        before.add(safeRelative(parts[i + 1] ?? ''));
        after.add(safeRelative(parts[i + 2] ?? ''));
        i += 2;
      }
    }
    return { before: [...before], after: [...after] };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Applies `diff` to `originals` (path → content and mode; a path absent from the map does not
 * exist). Returns every path the patch touches with its result. Throws PatchApplyError when the
 * patch does not apply (the base changed under it).
 */
export async function applyPatch(diff: string, originals: ReadonlyMap<string, OriginalFile>): Promise<Map<string, PatchedFile>> {
  const { before, after } = await patchPaths(diff);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-apply-'));
  try {
    const tree = path.join(dir, 'tree');
    await mkdir(tree);
    for (const [file, original] of originals) {
      const target = path.join(tree, safeRelative(file));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, original.content);
      await chmod(target, original.mode === '100755' ? 0o755 : 0o644);
    }
    await writeFile(path.join(dir, 'patch.diff'), diff);
    // The ceiling keeps git from finding a repository above the temporary directory.
    await run('git', ['apply', '--binary', '--whitespace=nowarn', path.join(dir, 'patch.diff')], {
      cwd: tree,
      env: { ...GIT_ENV, GIT_CEILING_DIRECTORIES: dir },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stderr?: string }) => {
      throw new PatchApplyError(`the patch does not apply: ${String(error.stderr ?? error).trim().slice(0, 1000)}`);
    });
    const result = new Map<string, PatchedFile>();
    for (const file of new Set([...before, ...after])) {
      const target = path.join(tree, file);
      const stat = await lstat(target).catch(() => undefined);
      if (!stat?.isFile()) {
        result.set(file, null);
        continue;
      }
      result.set(file, { content: await readFile(target), mode: stat.mode & 0o111 ? '100755' : '100644' });
    }
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
