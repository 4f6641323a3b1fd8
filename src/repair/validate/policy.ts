// The cheap checks, decided from the patch's text alone before anything runs: which paths it
// touches (paths) and how big it is (size). Pure functions, so the agent's tools and the unit
// tests use them as validation does.
import type { RepoConfig } from '../../../schemas/repo-config.ts';
import type { Candidate } from '../../../schemas/run.ts';
import { checkPath, findTestFiles, normalizeWorkspacePath } from '../../workspace/path-policy.ts';
import { diffStats, unifiedDiff } from '../templates/unified-diff.ts';
import { nameSome } from './clip.ts';

export type Check = Candidate['checks'][number];

/** Candidate.diff's cap in the run record: a longer diff cannot be recorded or proposed whole. */
export const MAX_DIFF_CHARS = 262_144;

export interface PathsInput {
  repoConfig: RepoConfig;
  /** The patch's paths, as the engine gave them. */
  files: Iterable<string>;
  /** Files tracked at the incident's commit: the existing tests are found among them. */
  trackedFiles: readonly string[];
  /** The reproduction's test file: the test that proves the fix is not the patch's to change. */
  reproTestFile?: string | undefined;
}

export type PathsResult = { check: Check; files: string[] };

/**
 * Every path of the patch against the policy: inside the workspace, no denied path (built-in CI
 * config, lockfiles, .git, the repo config; plus .tracefix.yml's deny), no existing test file, not
 * the reproduction test, inside .tracefix.yml's allow-list when it has one. Returns the paths in
 * normalized form, for the steps that follow.
 */
export function checkPatchPaths(input: PathsInput): PathsResult {
  const existingTests = new Set(findTestFiles(input.repoConfig, input.trackedFiles));
  const repro = input.reproTestFile ? normalizeWorkspacePath(input.reproTestFile) : undefined;
  const problems: string[] = [];
  const seen = new Set<string>();
  const files: string[] = [];
  for (const file of input.files) {
    const decision = checkPath(input.repoConfig, file, { existingTests });
    if (!decision.allowed) {
      const rule = decision.reason === 'outside the allowed paths' ? `${decision.reason} (${input.repoConfig.paths.allow.join(', ')})` : decision.reason;
      problems.push(`${decision.path}: ${rule}`);
      continue;
    }
    if (decision.path === repro) {
      problems.push(`${decision.path}: the reproduction test (a patch may not change the test that proves it)`);
      continue;
    }
    if (seen.has(decision.path)) {
      problems.push(`${decision.path}: listed twice`);
      continue;
    }
    seen.add(decision.path);
    files.push(decision.path);
  }
  if (problems.length > 0) return { check: { name: 'paths', ok: false, detail: nameSome(problems, 5) }, files };
  const detail = files.length === 0 ? 'no files' : `${files.length} file${files.length === 1 ? '' : 's'} within the allowed paths: ${nameSome(files)}`;
  return { check: { name: 'paths', ok: true, detail }, files };
}

/** One file the patch changes, with its diff. `before` is undefined for a file the patch adds. */
export interface FileChange {
  file: string;
  before: string | undefined;
  after: string;
  added: number;
  removed: number;
  diff: string;
}

/** A file the patch adds gets git's new-file header, so `git apply` creates it. */
function newFileDiff(file: string, after: string): string {
  const lines = unifiedDiff(file, '', after).split('\n');
  return [lines[0], 'new file mode 100644', '--- /dev/null', ...lines.slice(2)].join('\n');
}

/** The files whose content the patch really changes, sorted by path (deterministic diffs). */
export function fileChanges(originals: ReadonlyMap<string, string | undefined>, files: ReadonlyMap<string, string>): FileChange[] {
  const out: FileChange[] = [];
  for (const [file, after] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const before = originals.get(file);
    if (before === after) continue;
    const { added, removed } = diffStats(before ?? '', after);
    out.push({ file, before, after, added, removed, diff: before === undefined ? newFileDiff(file, after) : unifiedDiff(file, before, after) });
  }
  return out;
}

export function patchDiff(changes: readonly FileChange[]): { diff: string; stats: Candidate['stats'] } {
  return {
    diff: changes.map((c) => c.diff).join(''),
    stats: {
      files: changes.length,
      added: changes.reduce((n, c) => n + c.added, 0),
      removed: changes.reduce((n, c) => n + c.removed, 0),
    },
  };
}

/** Lines (added + removed) and files against .tracefix.yml's maxPatchLines / maxPatchFiles. */
export function checkPatchSize(config: RepoConfig, changes: readonly FileChange[]): Check {
  const { diff, stats } = patchDiff(changes);
  if (changes.length === 0) return { name: 'size', ok: false, detail: 'the patch changes no file' };
  const lines = stats.added + stats.removed;
  const size = `${lines} line${lines === 1 ? '' : 's'} (+${stats.added} −${stats.removed}) in ${stats.files} file${stats.files === 1 ? '' : 's'}`;
  const over: string[] = [];
  if (lines > config.maxPatchLines) over.push(`more than maxPatchLines ${config.maxPatchLines}`);
  if (stats.files > config.maxPatchFiles) over.push(`more than maxPatchFiles ${config.maxPatchFiles}`);
  if (diff.length > MAX_DIFF_CHARS) over.push(`a diff of ${diff.length} characters, more than the run record holds (${MAX_DIFF_CHARS})`);
  if (over.length > 0) return { name: 'size', ok: false, detail: `${size}: ${over.join('; ')}` };
  return { name: 'size', ok: true, detail: `${size}, within ${config.maxPatchLines} lines and ${config.maxPatchFiles} files` };
}
