// A validated patch as pull request review comments with GitHub `suggestion` blocks, so the
// author applies the fix with one click. The patch was made against the pull request's head, so
// its old side is the head's text: each run of changed lines becomes one suggestion replacing
// those head lines. GitHub accepts review comments only on lines inside the pull request's own
// diff; changes elsewhere go into the review's body as a diff instead.
import { fence } from '../repair/proposal/index.ts';
import { parseWorkspaceDiff, type FileSection } from '../repair/validate/diff-sections.ts';

export interface ReviewComment {
  path: string;
  /** The last (or only) head line replaced. */
  line: number;
  startLine?: number;
  body: string;
}

export interface Suggestions {
  comments: ReviewComment[];
  /** Sections of the patch that cannot be suggestions (outside the PR's diff, new files...). */
  elsewhere: string[];
}

/** Head lines the PR's diff shows, per file: from the `patch` of GET /pulls/{n}/files. */
export type CommentableLines = Map<string, { from: number; to: number }[]>;

interface Change {
  /** Head lines [start, end] replaced; end = start - 1 for a pure insertion after line start - 1. */
  start: number;
  end: number;
  added: string[];
  /** The head line next to a pure insertion, which the suggestion must repeat. */
  anchor?: { line: number; text: string; before: boolean };
}

function changesOf(section: FileSection): Change[] {
  const changes: Change[] = [];
  for (const hunk of section.hunks) {
    let oldLine = hunk.oldStart === 0 ? 1 : hunk.oldStart;
    let current: Change | undefined;
    let previousContext: { line: number; text: string } | undefined;
    const close = () => {
      if (current) changes.push(current);
      current = undefined;
    };
    for (const raw of hunk.lines) {
      const tag = raw[0];
      const text = raw.slice(1);
      if (tag === '\\') continue;
      if (tag === ' ') {
        if (current && current.end < current.start) current.anchor ??= previousContext ? { ...previousContext, before: true } : { line: oldLine, text, before: false };
        close();
        previousContext = { line: oldLine, text };
        oldLine++;
      } else if (tag === '-') {
        current ??= { start: oldLine, end: oldLine - 1, added: [] };
        current.end = oldLine;
        oldLine++;
      } else if (tag === '+') {
        current ??= { start: oldLine, end: oldLine - 1, added: [] };
        current.added.push(text);
      }
    }
    if (current && (current as Change).end < (current as Change).start && previousContext) (current as Change).anchor ??= { ...previousContext, before: true };
    close();
  }
  return changes;
}

function inDiff(lines: CommentableLines, file: string, from: number, to: number): boolean {
  return (lines.get(file) ?? []).some((r) => from >= r.from && to <= r.to);
}

/** The head lines each file's PR patch shows (context and added lines of its hunks). */
export function commentableLines(files: readonly { filename: string; patch?: string }[]): CommentableLines {
  const out: CommentableLines = new Map();
  for (const f of files) {
    if (!f.patch) continue;
    const ranges = [...f.patch.matchAll(/^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/gm)].map((m) => {
      const from = Number(m[1]);
      return { from, to: from + Number(m[2] ?? 1) - 1 };
    });
    out.set(f.filename, ranges);
  }
  return out;
}

export function patchSuggestions(patch: string, lines: CommentableLines): Suggestions {
  const comments: ReviewComment[] = [];
  const elsewhere: string[] = [];
  for (const section of parseWorkspaceDiff(patch).values()) {
    if (section.status !== 'modified' || section.opaque) {
      elsewhere.push(section.text);
      continue;
    }
    const leftovers: Change[] = [];
    for (const change of changesOf(section)) {
      const insertion = change.end < change.start;
      const from = insertion ? (change.anchor?.line ?? change.start) : change.start;
      const to = insertion ? from : change.end;
      if (!inDiff(lines, section.path, from, to) || (insertion && !change.anchor)) {
        leftovers.push(change);
        continue;
      }
      const replacement = insertion
        ? change.anchor!.before
          ? [change.anchor!.text, ...change.added]
          : [...change.added, change.anchor!.text]
        : change.added;
      comments.push({
        path: section.path,
        line: to,
        ...(to > from ? { startLine: from } : {}),
        body: `tracefix suggests:\n\n${fence(replacement.join('\n'), 'suggestion')}`,
      });
    }
    if (leftovers.length > 0) elsewhere.push(section.text);
  }
  return { comments, elsewhere };
}
