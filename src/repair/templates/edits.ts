// Text edits at node positions: templates never re-print a file, they replace a span, so every
// byte outside the span (comments, formatting, blank lines) stays exactly as the author wrote it.
import type { Edit } from './types.ts';

/** Applies non-overlapping edits; throws when two overlap (a template bug, not user input). */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at || e.end < e.start || e.end > text.length) {
      throw new RangeError(`Overlapping or out-of-range edit [${e.start}, ${e.end})`);
    }
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/** Characters removed plus inserted. */
export function editChars(edits: readonly Edit[]): number {
  return edits.reduce((n, e) => n + (e.end - e.start) + e.text.length, 0);
}

/** Offset of the first character of each line (line 1 is index 0). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** The leading whitespace of the line that contains `offset`. */
export function indentAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const m = /^[ \t]*/.exec(text.slice(start));
  return m ? m[0] : '';
}

/** One indentation step as the file uses it (two or four spaces, or a tab), for nested bodies. */
export function indentUnit(text: string): string {
  if (/^\t/m.test(text)) return '\t';
  const widths = [...text.matchAll(/^( +)\S/gm)].map((m) => (m[1] ?? '').length).filter((w) => w > 0);
  const smallest = Math.min(...widths, 4);
  return ' '.repeat(smallest === 2 || smallest === 4 ? smallest : 4);
}

/** The file's line ending, so an inserted line matches the others. */
export function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}
