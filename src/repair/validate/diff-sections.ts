// The workspace diff (sandbox.diff(): git's unified diff against the commit, new files included)
// read back one section per file, and the contents those sections pin down: a new file's text, a
// deleted file's text, a changed file's text at the commit given its text now. Reading them back
// from the host's diff is what lets validation put a file back without git inside the sandbox: in
// a real run the worktree's .git names a mirror the sandbox never sees. Pure (workspace-reset.ts).

export interface Hunk {
  /** 1-based first line on the old side (the line before the hunk when it removes nothing there). */
  oldStart: number;
  /** 1-based first line on the new side (the line before the hunk when it adds nothing there). */
  newStart: number;
  newCount: number;
  /** The body as git printed it: ' ', '-', '+' lines and `\ No newline at end of file` markers. */
  lines: string[];
}

export interface FileSection {
  path: string;
  /** `added`: a new (untracked) file; `deleted`: a tracked file that is gone; else `modified`. */
  status: 'added' | 'deleted' | 'modified';
  /** Git modes on each side when the section names them (100644, 100755; 120000 is a symlink). */
  oldMode?: string;
  newMode?: string;
  /** The text does not give the content: a binary file, a type change, a hunk that does not parse. */
  opaque: boolean;
  hunks: Hunk[];
  /** The whole section: it changes whenever the file's content or mode does (the index line
   * carries both blob hashes, a binary file's included). */
  text: string;
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const REGULAR = new Set(['100644', '100755']);

/** Every section of a workspace diff, by path. */
export function parseWorkspaceDiff(diff: string): Map<string, FileSection> {
  const lines = diff.split('\n');
  const sections = new Map<string, FileSection>();
  let i = 0;
  while (i < lines.length) {
    const header = lines[i] as string;
    if (!header.startsWith('diff --git ')) {
      i++;
      continue;
    }
    const start = i++;
    const path = headerPath(header.slice('diff --git '.length));
    let status: FileSection['status'] = 'modified';
    let oldMode: string | undefined;
    let newMode: string | undefined;
    let opaque = false;
    for (; i < lines.length && !isSectionStart(lines[i] as string) && !(lines[i] as string).startsWith('@@ '); i++) {
      const line = lines[i] as string;
      if (line.startsWith('new file mode ')) [status, newMode] = ['added', line.slice('new file mode '.length)];
      else if (line.startsWith('deleted file mode ')) [status, oldMode] = ['deleted', line.slice('deleted file mode '.length)];
      else if (line.startsWith('old mode ')) oldMode = line.slice('old mode '.length);
      else if (line.startsWith('new mode ')) newMode = line.slice('new mode '.length);
      else if (line.startsWith('Binary files ') || line === 'GIT binary patch') opaque = true;
      else if (line.startsWith('index ')) {
        // `index a..b 100644`: the mode, unchanged on both sides (a change has its own lines).
        const mode = /^index \S+ (\d+)$/.exec(line)?.[1];
        oldMode ??= mode;
        newMode ??= mode;
      }
    }
    const hunks: Hunk[] = [];
    while (i < lines.length && (lines[i] as string).startsWith('@@ ')) {
      const m = HUNK.exec(lines[i] as string);
      i++;
      if (!m) {
        opaque = true;
        break;
      }
      let oldLeft = Number(m[2] ?? 1);
      let newLeft = Number(m[4] ?? 1);
      const hunk: Hunk = { oldStart: Number(m[1]), newStart: Number(m[3]), newCount: newLeft, lines: [] };
      // By the counts, not by the look of a line: a context line may be empty
      // (diff.suppressBlankEmpty), a content line may read like a header.
      while (i < lines.length && (oldLeft > 0 || newLeft > 0 || (lines[i] as string).startsWith('\\'))) {
        const line = lines[i++] as string;
        const tag = line[0];
        if (tag === '-') oldLeft--;
        else if (tag === '+') newLeft--;
        else if (tag !== '\\') {
          oldLeft--;
          newLeft--;
        }
        hunk.lines.push(line);
      }
      if (oldLeft !== 0 || newLeft !== 0) opaque = true;
      hunks.push(hunk);
    }
    if (path === undefined) continue;
    const text = lines.slice(start, i).join('\n');
    const previous = sections.get(path);
    if (previous) {
      // The same path twice is a type change (a file became a symlink): a deletion and an addition.
      sections.set(path, { ...previous, status: 'modified', opaque: true, text: `${previous.text}\n${text}` });
    } else {
      sections.set(path, { path, status, ...(oldMode ? { oldMode } : {}), ...(newMode ? { newMode } : {}), opaque, hunks, text });
    }
  }
  return sections;
}

function isSectionStart(line: string): boolean {
  return line.startsWith('diff --git ');
}

/** The path of `a/P b/P` (both sides name the same file: the index is the commit's, so nothing is
 * renamed), C-quoted by git when it holds unusual characters. */
function headerPath(rest: string): string | undefined {
  if (rest.startsWith('"')) {
    const a = unquote(rest);
    return a?.startsWith('a/') ? a.slice(2) : undefined;
  }
  const length = (rest.length - 5) / 2;
  if (!Number.isInteger(length) || length < 1) return undefined;
  const path = rest.slice(2, 2 + length);
  return rest === `a/${path} b/${path}` ? path : undefined;
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** The first C-quoted string of `text` (git's quoting: escapes, and octal bytes of UTF-8). */
function unquote(text: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 1; i < text.length; ) {
    const c = text[i] as string;
    if (c === '"') return Buffer.from(bytes).toString('utf8');
    if (c !== '\\') {
      const char = String.fromCodePoint(text.codePointAt(i) as number);
      bytes.push(...Buffer.from(char, 'utf8'));
      i += char.length;
      continue;
    }
    const octal = /^[0-7]{3}/.exec(text.slice(i + 1, i + 4))?.[0];
    const escaped = ESCAPES[text[i + 1] ?? ''];
    if (octal) {
      bytes.push(parseInt(octal, 8));
      i += 4;
    } else if (escaped !== undefined) {
      bytes.push(escaped);
      i += 2;
    } else {
      return undefined;
    }
  }
  return undefined;
}

interface Lines {
  lines: string[];
  /** The last line ends with a newline. */
  eol: boolean;
}

function split(text: string): Lines {
  const lines = text.split('\n');
  if (lines.at(-1) === '') {
    lines.pop();
    return { lines, eol: true };
  }
  return { lines, eol: false };
}

function join({ lines, eol }: Lines): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}${eol ? '\n' : ''}`;
}

function isRegular(mode: string | undefined): boolean {
  return mode === undefined || REGULAR.has(mode);
}

/** A new file's content (every line of its section is on the new side). */
export function addedContent(section: FileSection): string | undefined {
  if (section.status !== 'added' || section.opaque || !isRegular(section.newMode)) return undefined;
  return sideOf(section, '+');
}

/** A changed or deleted file's content at the commit, given its content now (ignored for a
 * deletion, whose section holds every line). Undefined when the section cannot give it, or when
 * `current` is not the text the diff was taken of. */
export function contentAtCommit(section: FileSection, current: string | undefined): string | undefined {
  if (section.status === 'added' || section.opaque || !isRegular(section.oldMode) || !isRegular(section.newMode)) return undefined;
  if (section.status === 'deleted') return sideOf(section, '-');
  if (current === undefined) return undefined;
  const now = split(current);
  const out: string[] = [];
  let pos = 0;
  let oldNoEol = false;
  let newNoEol = false;
  for (const hunk of section.hunks) {
    // An empty new side names the line before it; otherwise the hunk's first line.
    const start = hunk.newCount === 0 ? hunk.newStart : hunk.newStart - 1;
    if (start < pos || start > now.lines.length) return undefined;
    out.push(...now.lines.slice(pos, start));
    pos = start;
    let prev: string | undefined;
    for (const line of hunk.lines) {
      // An empty line is an empty context line (diff.suppressBlankEmpty).
      const tag = line[0] ?? ' ';
      if (tag === '\\') {
        if (prev !== '+') oldNoEol = true;
        if (prev !== '-') newNoEol = true;
        continue;
      }
      prev = tag;
      const body = line.slice(1);
      if (tag !== '-') {
        if (now.lines[pos] !== body) return undefined;
        pos++;
      }
      if (tag !== '+') out.push(body);
    }
  }
  if (newNoEol && now.eol) return undefined;
  out.push(...now.lines.slice(pos));
  // Without a marker on the old side its last line ends like the current one (unchanged), unless
  // the marker says the new side alone lost its newline.
  return join({ lines: out, eol: oldNoEol ? false : newNoEol ? true : now.eol });
}

/** The lines of one side of a section that has only that side (an added or a deleted file). */
function sideOf(section: FileSection, tag: '+' | '-'): string {
  const lines: string[] = [];
  let eol = true;
  let prev: string | undefined;
  for (const hunk of section.hunks) {
    for (const line of hunk.lines) {
      if (line[0] === '\\') {
        if (prev === tag) eol = false;
        continue;
      }
      prev = line[0];
      if (line[0] === tag) lines.push(line.slice(1));
    }
  }
  return join({ lines, eol });
}
