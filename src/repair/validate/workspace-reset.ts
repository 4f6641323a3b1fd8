// What the test runs themselves leave in the workspace (a cache, a rewritten fixture, a source file
// a patch made the code rewrite) is not the patch's to undo: restoreChanges knows only what the
// patch wrote. Left there it would be the next candidate's starting point, so the validator
// records the workspace once (its diff against the commit: normally the reproduction test alone)
// and puts every file whose diff section differs from the recording back: a tracked file to its
// content at the commit, rebuilt from the diff itself (the sandbox has no git of the worktree in a
// real run), a recorded file to its recorded content, anything new removed with the directories it
// left empty. One host-side diff when nothing drifted; no copy of the workspace.
import { SandboxPathError } from '../../sandbox/paths.ts';
import type { Sandbox } from '../../sandbox/types.ts';
import { errorMessage } from './clip.ts';
import { addedContent, contentAtCommit, parseWorkspaceDiff, type FileSection } from './diff-sections.ts';

/** What a file should be: gone, this content (and mode), or something the diff cannot say. */
type Target = { kind: 'absent' } | { kind: 'file'; content: string; mode?: string } | { kind: 'unknown'; why: string };

export interface WorkspaceRecord {
  sections: ReadonlyMap<string, FileSection>;
  /** What each recorded file is, read when it was recorded. */
  targets: ReadonlyMap<string, Target>;
}

export interface ResetResult {
  restored: string[];
  removed: string[];
  /** Path → why it could not be put back (a binary file, a symlink, still different afterwards). */
  failed: Map<string, string>;
}

// Caches the test frameworks write and read back, harmless between candidates and often not
// ignored by the repository (a missing .gitignore): never worth a reset, and a .pyc is binary.
const CACHE_DIRS = new Set(['__pycache__', '.pytest_cache', '.mypy_cache', '.ruff_cache', '.hypothesis']);

export function isTestCache(path: string): boolean {
  const segments = path.split('/');
  return segments.some((s, i) => CACHE_DIRS.has(s) || (s === '.cache' && segments[i - 1] === 'node_modules'));
}

/** The workspace as it is now: the state every candidate starts from and is brought back to. */
export async function recordWorkspace(sandbox: Sandbox): Promise<WorkspaceRecord> {
  const sections = parseWorkspaceDiff(await sandbox.diff());
  const targets = new Map<string, Target>();
  for (const [path, section] of sections) {
    if (isTestCache(path)) continue;
    if (section.status === 'deleted') targets.set(path, { kind: 'absent' });
    else if (section.status === 'added') targets.set(path, fileTarget(addedContent(section), section.newMode, section));
    else if (section.opaque) targets.set(path, unknown(section));
    else targets.set(path, fileTarget(await readNow(sandbox, path), section.newMode, section));
  }
  return { sections, targets };
}

/** Brings the workspace back to the record; what it could not put back is in `failed`. */
export async function resetWorkspace(sandbox: Sandbox, record: WorkspaceRecord): Promise<ResetResult> {
  const result: ResetResult = { restored: [], removed: [], failed: new Map() };
  const plan = await planReset(sandbox, record);
  for (const [path, why] of plan.failed) result.failed.set(path, why);
  if (plan.remove.length === 0 && plan.write.length === 0 && plan.chmod.length === 0) return result;

  if (plan.remove.length > 0) {
    // Files only (git lists no directories); then each parent the removal left empty, up to the
    // first that is not (rmdir refuses a directory that still holds anything, ignored files too).
    // A failure shows in the check below.
    const script = 'for f do rm -f -- "$f"; d=$f; while [ "${d%/*}" != "$d" ]; do d=${d%/*}; rmdir -- "$d" 2>/dev/null || break; done; done';
    await sandbox.exec(['sh', '-c', script, 'sh', ...plan.remove], { timeoutMs: 60_000 });
  }
  for (const { path, content } of plan.write) {
    try {
      await sandbox.writeFile(path, content);
    } catch (error) {
      result.failed.set(path, errorMessage(error));
    }
  }
  if (plan.chmod.length > 0) {
    const args = plan.chmod.flatMap(({ path, mode }) => [mode === '100755' ? '755' : '644', path]);
    await sandbox.exec(['sh', '-c', 'while [ $# -gt 1 ]; do chmod "$1" -- "$2"; shift 2; done', 'sh', ...args], { timeoutMs: 60_000 });
  }

  // Checked by a second diff: a failed rm, a lossy re-encoding, a write the sandbox refused.
  const again = await planReset(sandbox, record);
  const left = new Set([...again.remove, ...again.write.map((w) => w.path), ...again.chmod.map((c) => c.path)]);
  for (const path of left) if (!result.failed.has(path)) result.failed.set(path, 'still differs after the reset');
  for (const [path, why] of again.failed) if (!result.failed.has(path)) result.failed.set(path, why);
  const done = (path: string) => !result.failed.has(path);
  result.removed = plan.remove.filter(done);
  result.restored = [...new Set([...plan.write.map((w) => w.path), ...plan.chmod.map((c) => c.path)])].filter(done).sort();
  return result;
}

interface Plan {
  remove: string[];
  write: Array<{ path: string; content: string }>;
  chmod: Array<{ path: string; mode: string }>;
  failed: Map<string, string>;
}

/** Compares a fresh diff with the record, file by file, and says what would put each back. */
async function planReset(sandbox: Sandbox, record: WorkspaceRecord): Promise<Plan> {
  const current = parseWorkspaceDiff(await sandbox.diff());
  const plan: Plan = { remove: [], write: [], chmod: [], failed: new Map() };
  const paths = new Set([...record.sections.keys(), ...current.keys()]);
  for (const path of [...paths].sort()) {
    const recorded = record.sections.get(path);
    const now = current.get(path);
    if (isTestCache(path) || recorded?.text === now?.text) continue;
    const target = record.targets.get(path) ?? (await commitTarget(sandbox, path, now));
    if (target.kind === 'absent') {
      plan.remove.push(path);
      continue;
    }
    // A recorded new file that the diff no longer lists may only be past its cap on new files
    // (git-diff.ts): it is compared by content, and left alone when that cannot be read from a diff.
    const listedOut = recorded?.status === 'added' && now === undefined;
    if (target.kind === 'unknown') {
      if (!listedOut || !(await exists(sandbox, path))) plan.failed.set(path, target.why);
      continue;
    }
    const content = await readNow(sandbox, path);
    if (content !== target.content) plan.write.push({ path, content: target.content });
    // Its mode once written: a new file's is 644; an existing file keeps the one it has now.
    const mode = content === undefined ? '100644' : now && now.status !== 'deleted' ? now.newMode : recorded?.status === 'modified' ? recorded.oldMode : recorded?.newMode;
    if (target.mode && mode && target.mode !== mode) plan.chmod.push({ path, mode: target.mode });
  }
  return plan;
}

/** A file the record does not name is as the commit has it: absent when it is new. */
async function commitTarget(sandbox: Sandbox, path: string, now: FileSection | undefined): Promise<Target> {
  if (!now) return { kind: 'unknown', why: 'not in the diff' };
  if (now.status === 'added') return { kind: 'absent' };
  const content = now.status === 'deleted' ? undefined : await readNow(sandbox, path);
  return fileTarget(contentAtCommit(now, content), now.oldMode, now);
}

function fileTarget(content: string | undefined, mode: string | undefined, section: FileSection): Target {
  // A symlink's "content" read through the sandbox is its target's: nothing to write back.
  if (content === undefined || (mode !== undefined && mode !== '100644' && mode !== '100755')) return unknown(section);
  return { kind: 'file', content, ...(mode ? { mode } : {}) };
}

function unknown(section: FileSection): Target {
  if (section.opaque) return { kind: 'unknown', why: 'a binary file or a type change' };
  if (section.oldMode === '120000' || section.newMode === '120000') return { kind: 'unknown', why: 'a symlink' };
  return { kind: 'unknown', why: 'its content cannot be read back from the diff' };
}

/** Errors that say the path is no readable file (gone, a directory, refused by the sandbox's path
 * checks); anything else (the sandbox died) is thrown. */
function unreadable(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return error instanceof SandboxPathError || code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'ELOOP';
}

/** The file's text now; undefined when there is none to read. */
async function readNow(sandbox: Sandbox, path: string): Promise<string | undefined> {
  try {
    return await sandbox.readFile(path);
  } catch (error) {
    if (unreadable(error)) return undefined;
    throw error;
  }
}

async function exists(sandbox: Sandbox, path: string): Promise<boolean> {
  try {
    await sandbox.readFile(path);
    return true;
  } catch (error) {
    if (!unreadable(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    return code !== 'ENOENT' && code !== 'ENOTDIR';
  }
}
