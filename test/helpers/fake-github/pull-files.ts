// A pull request's files and reviews, as GitHub computes them: the files are the three-dot diff
// (merge base of base and head → head) of the fake's real git objects, each file's `patch` made by
// `git diff --no-index` of the two blobs (GitHub's hunks are git's), and a review comment is
// accepted only on a line that patch shows on the side it names: GitHub's 422 otherwise.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FakeGithubState } from './state.ts';

export interface PullFile {
  sha: string;
  filename: string;
  status: 'added' | 'removed' | 'modified';
  additions: number;
  deletions: number;
  changes: number;
  blob_url: string;
  raw_url: string;
  contents_url: string;
  patch?: string;
}

/** The nearest common ancestor of two commits (breadth-first over the fake's commit objects). */
export function mergeBase(state: FakeGithubState, a: string, b: string): string | undefined {
  const ancestors = new Set<string>();
  for (let queue = [a]; queue.length > 0; ) {
    const sha = queue.shift()!;
    if (ancestors.has(sha)) continue;
    ancestors.add(sha);
    queue.push(...(state.git.readCommit(sha)?.parents ?? []));
  }
  const seen = new Set<string>();
  for (let queue = [b]; queue.length > 0; ) {
    const sha = queue.shift()!;
    if (ancestors.has(sha)) return sha;
    if (seen.has(sha)) continue;
    seen.add(sha);
    queue.push(...(state.git.readCommit(sha)?.parents ?? []));
  }
  return undefined;
}

/** git's hunks between two blobs (no headers: GitHub's `patch` starts at the first @@). */
function blobPatch(state: FakeGithubState, oldSha: string | undefined, newSha: string | undefined): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fake-github-diff-'));
  try {
    const write = (name: string, sha: string | undefined) => {
      writeFileSync(path.join(dir, name), sha ? state.git.get(sha, 'blob')!.content : Buffer.alloc(0));
      return name;
    };
    const args = ['diff', '--no-index', '--no-color', '--no-ext-diff', '-U3', write('a', oldSha), write('b', newSha)];
    let out: string;
    try {
      out = execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
    } catch (error) {
      // `git diff --no-index` exits 1 when the files differ.
      const e = error as { status?: number; stdout?: string };
      if (e.status !== 1) throw error;
      out = e.stdout ?? '';
    }
    const start = out.indexOf('\n@@');
    return start < 0 ? '' : out.slice(start + 1).replace(/\n$/, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pullFiles(state: FakeGithubState, input: { baseSha: string; headSha: string; full: string; baseUrl: string }): PullFile[] {
  const base = mergeBase(state, input.baseSha, input.headSha) ?? input.baseSha;
  const before = state.git.flatten(state.git.readCommit(base)!.tree);
  const after = state.git.flatten(state.git.readCommit(input.headSha)!.tree);
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const files: PullFile[] = [];
  for (const filename of names) {
    const old = before.get(filename)?.sha;
    const now = after.get(filename)?.sha;
    if (old === now) continue;
    const patch = blobPatch(state, old, now);
    const lines = patch.split('\n');
    const additions = lines.filter((l) => l.startsWith('+')).length;
    const deletions = lines.filter((l) => l.startsWith('-')).length;
    const blobPath = `${input.headSha}/${filename}`;
    files.push({
      sha: now ?? old!,
      filename,
      status: !old ? 'added' : !now ? 'removed' : 'modified',
      additions,
      deletions,
      changes: additions + deletions,
      blob_url: `${input.baseUrl}/${input.full}/blob/${blobPath}`,
      raw_url: `${input.baseUrl}/${input.full}/raw/${blobPath}`,
      contents_url: `${input.baseUrl}/repos/${input.full}/contents/${filename}?ref=${input.headSha}`,
      ...(patch ? { patch } : {}),
    });
  }
  return files;
}

/** Per hunk, the lines it shows on each side. */
function hunks(patch: string): { LEFT: Set<number>; RIGHT: Set<number> }[] {
  const out: { LEFT: Set<number>; RIGHT: Set<number> }[] = [];
  let oldLine = 0;
  let newLine = 0;
  for (const line of patch.split('\n')) {
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (header) {
      oldLine = Number(header[1]);
      newLine = Number(header[2]);
      out.push({ LEFT: new Set(), RIGHT: new Set() });
      continue;
    }
    const hunk = out.at(-1);
    if (!hunk || line.startsWith('\\')) continue;
    if (line.startsWith('-')) hunk.LEFT.add(oldLine++);
    else if (line.startsWith('+')) hunk.RIGHT.add(newLine++);
    else {
      hunk.LEFT.add(oldLine++);
      hunk.RIGHT.add(newLine++);
    }
  }
  return out;
}

export interface ReviewCommentInput {
  path: string;
  body: string;
  line?: number;
  side?: string;
  start_line?: number;
  start_side?: string;
  position?: number;
}

/** Why GitHub would refuse a review comment, or undefined when it lands on the diff. */
export function reviewCommentProblem(files: readonly PullFile[], c: ReviewCommentInput): string | undefined {
  const file = files.find((f) => f.filename === c.path);
  if (!file) return `Path ${c.path} is not part of the pull request's diff`;
  if (c.position !== undefined) return undefined;
  if (c.line === undefined) return 'Line could not be resolved';
  const side = (c.side ?? 'RIGHT') as 'LEFT' | 'RIGHT';
  const startSide = (c.start_side ?? side) as 'LEFT' | 'RIGHT';
  if (!['LEFT', 'RIGHT'].includes(side) || !['LEFT', 'RIGHT'].includes(startSide)) return 'side must be LEFT or RIGHT';
  const hunk = hunks(file.patch ?? '').find((h) => h[side].has(c.line!));
  if (!hunk) return 'Pull request review thread line must be part of the diff';
  if (c.start_line !== undefined) {
    if (c.start_line >= c.line) return 'Pull request review thread start line must precede the end line';
    if (!hunk[startSide].has(c.start_line)) return 'Pull request review thread start line must be part of the same hunk as the line';
  }
  return undefined;
}
