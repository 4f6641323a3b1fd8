// Putting a patch into the workspace and taking it out again, through the sandbox (its readFile
// and writeFile refuse symlinks and paths out of the workspace). Validation owns the workspace for
// the length of one candidate: whatever it wrote, and every directory it had to create, is undone
// before the next candidate, so each one is judged against the same pre-patch state.
import path from 'node:path';
import { SandboxPathError } from '../../sandbox/paths.ts';
import type { Sandbox } from '../../sandbox/types.ts';
import { errorMessage } from './clip.ts';
import type { FileChange } from './policy.ts';

/** Path → content before the patch; undefined for a file the patch adds. */
export type Originals = Map<string, string | undefined>;

export type ReadOutcome = { ok: true; originals: Originals } | { ok: false; detail: string };

/** Codes that say the file cannot be patched (a parent is a file, the path is a directory). */
const UNPATCHABLE = new Set(['ENOTDIR', 'EISDIR', 'ELOOP']);

/** The current content of every file the patch names. A refused path (a symlink out of the
 * workspace, a directory) is the patch's problem; anything else (the sandbox died) is thrown. */
export async function readOriginals(sandbox: Sandbox, files: readonly string[]): Promise<ReadOutcome> {
  const originals: Originals = new Map();
  for (const file of files) {
    try {
      originals.set(file, await sandbox.readFile(file));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') originals.set(file, undefined);
      else if (error instanceof SandboxPathError || (code && UNPATCHABLE.has(code))) return { ok: false, detail: `cannot patch ${file}: ${errorMessage(error)}` };
      else throw error;
    }
  }
  return { ok: true, originals };
}

/** The outermost directories that new files need and that do not exist yet. */
export async function missingDirs(sandbox: Sandbox, changes: readonly FileChange[]): Promise<string[]> {
  const candidates = new Set<string>();
  for (const c of changes) {
    if (c.before !== undefined) continue;
    for (let dir = path.posix.dirname(c.file); dir !== '.' && dir !== ''; dir = path.posix.dirname(dir)) candidates.add(dir);
  }
  if (candidates.size === 0) return [];
  const dirs = [...candidates];
  const r = await sandbox.exec(['sh', '-c', 'for d do [ -e "$d" ] || printf "%s\\n" "$d"; done', 'sh', ...dirs], { timeoutMs: 30_000 });
  if (r.exitCode !== 0) throw new Error(`cannot inspect the workspace: ${r.stderr.trim().slice(0, 300)}`);
  const missing = new Set(r.stdout.split('\n').filter(Boolean));
  // Only the outermost: removing it removes what is below.
  return [...missing].filter((d) => !missing.has(path.posix.dirname(d))).sort();
}

export type ApplyOutcome = { ok: true } | { ok: false; detail: string };

/** Writes the new contents; `touched` collects each file before its write, so a failure halfway
 * is still undone by restore. */
export async function applyChanges(sandbox: Sandbox, changes: readonly FileChange[], touched: Set<string>): Promise<ApplyOutcome> {
  for (const c of changes) {
    touched.add(c.file);
    try {
      await sandbox.writeFile(c.file, c.after);
    } catch (error) {
      return { ok: false, detail: `cannot write ${c.file}: ${errorMessage(error)}` };
    }
  }
  return { ok: true };
}

/** Puts back the originals of the touched files and removes what the patch added. */
export async function restoreChanges(sandbox: Sandbox, changes: readonly FileChange[], touched: Set<string>, createdDirs: readonly string[]): Promise<void> {
  const remove: string[] = [...createdDirs];
  for (const c of changes) {
    if (!touched.has(c.file)) continue;
    if (c.before === undefined) {
      if (!createdDirs.some((d) => c.file.startsWith(`${d}/`))) remove.push(c.file);
    } else {
      await sandbox.writeFile(c.file, c.before);
    }
  }
  if (remove.length > 0) {
    const r = await sandbox.exec(['rm', '-rf', '--', ...remove], { timeoutMs: 60_000 });
    if (r.exitCode !== 0) throw new Error(`cannot remove ${remove.join(', ')}: ${r.stderr.trim().slice(0, 300)}`);
  }
  touched.clear();
}
