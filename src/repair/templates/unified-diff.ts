// A unified diff between two versions of a file: an LCS line diff over the region between the
// common prefix and suffix (template edits are local, so that region is a few lines), rendered in
// git's format so `git apply` takes it and a reviewer reads it as usual.

export interface LineDiffStats {
  added: number;
  removed: number;
}

type Op = { kind: ' ' | '-' | '+'; line: string };

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Edit script of a against b: LCS by dynamic programming over the trimmed middle. */
function lineOps(a: string[], b: string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const am = a.slice(pre, a.length - suf);
  const bm = b.slice(pre, b.length - suf);
  const n = am.length;
  const m = bm.length;
  // lcs[i][j]: LCS length of am[i..] and bm[j..]. The middle is small for template patches; a
  // whole-file rewrite of a large file would cost n*m, which callers do not produce.
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = am[i] === bm[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const ops: Op[] = a.slice(0, pre).map((line) => ({ kind: ' ', line }));
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && am[i] === bm[j]) {
      ops.push({ kind: ' ', line: am[i]! });
      i++;
      j++;
    } else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      ops.push({ kind: '+', line: bm[j++]! });
    } else {
      ops.push({ kind: '-', line: am[i++]! });
    }
  }
  // Removals before additions inside a change block, as diff(1) prints them.
  for (const line of a.slice(a.length - suf)) ops.push({ kind: ' ', line });
  return normalizeBlocks(ops);
}

function normalizeBlocks(ops: Op[]): Op[] {
  const out: Op[] = [];
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.kind === ' ') {
      out.push(ops[k++]!);
      continue;
    }
    const block: Op[] = [];
    while (k < ops.length && ops[k]!.kind !== ' ') block.push(ops[k++]!);
    out.push(...block.filter((o) => o.kind === '-'), ...block.filter((o) => o.kind === '+'));
  }
  return out;
}

export function diffStats(before: string, after: string): LineDiffStats {
  const ops = lineOps(splitLines(before), splitLines(after));
  return { added: ops.filter((o) => o.kind === '+').length, removed: ops.filter((o) => o.kind === '-').length };
}

/** Unified diff of one file ('' when equal). `path` is workspace-relative. */
export function unifiedDiff(path: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const ops = lineOps(splitLines(before), splitLines(after));
  const changed = ops.map((o, idx) => (o.kind === ' ' ? -1 : idx)).filter((idx) => idx >= 0);
  // Group changes whose context windows touch into hunks.
  const hunks: Array<[number, number]> = [];
  for (const idx of changed) {
    const last = hunks[hunks.length - 1];
    if (last && idx - last[1] <= 2 * context) last[1] = idx;
    else hunks.push([idx, idx]);
  }
  const lines = [`diff --git a/${path} b/${path}`, `--- a/${path}`, `+++ b/${path}`];
  for (const [first, last] of hunks) {
    const start = Math.max(0, first - context);
    const end = Math.min(ops.length - 1, last + context);
    let oldStart = 1;
    let newStart = 1;
    for (let k = 0; k < start; k++) {
      if (ops[k]!.kind !== '+') oldStart++;
      if (ops[k]!.kind !== '-') newStart++;
    }
    const body = ops.slice(start, end + 1);
    const oldLen = body.filter((o) => o.kind !== '+').length;
    const newLen = body.filter((o) => o.kind !== '-').length;
    // An empty side starts at the line before (diff(1)'s convention for pure insertions).
    lines.push(`@@ -${oldLen ? oldStart : oldStart - 1},${oldLen} +${newLen ? newStart : newStart - 1},${newLen} @@`);
    for (const o of body) lines.push(o.kind + o.line);
  }
  const noEol = (text: string) => text !== '' && !text.endsWith('\n');
  if (noEol(before) || noEol(after)) return markMissingEol(lines, before, after);
  return lines.join('\n') + '\n';
}

/** Adds git's "\ No newline at end of file" after the last line of a side that lacks one. */
function markMissingEol(lines: string[], before: string, after: string): string {
  const out: string[] = [];
  const beforeLast = splitLines(before).length;
  const afterLast = splitLines(after).length;
  let oldLine = 0;
  let newLine = 0;
  for (const line of lines) {
    out.push(line);
    const h = /^@@ -(\d+),\d+ \+(\d+),\d+ @@/.exec(line);
    if (h) {
      oldLine = Number(h[1]) - 1;
      newLine = Number(h[2]) - 1;
      if (line.includes(',0 +')) oldLine++;
      continue;
    }
    if (line.startsWith('diff ') || line.startsWith('--- ') || line.startsWith('+++ ')) continue;
    const kind = line[0];
    if (kind !== '+') oldLine++;
    if (kind !== '-') newLine++;
    const endsOld = kind !== '+' && oldLine === beforeLast && !before.endsWith('\n');
    const endsNew = kind !== '-' && newLine === afterLast && !after.endsWith('\n');
    if ((kind === '-' && endsOld) || (kind === '+' && endsNew) || (kind === ' ' && (endsOld || endsNew))) {
      out.push('\\ No newline at end of file');
    }
  }
  return out.join('\n') + '\n';
}
