// Text that reaches the run record from a sandbox (test output, failure messages, command output)
// is untrusted and unbounded; the schema caps every field (ValidationCheck.detail and
// Candidate.reason at 4096). These helpers keep what a reviewer needs: the start of a message, the
// end of a command's output (where compilers and linters print the summary).

/** Caps a check's detail well inside the schema's 4096, leaving room for a prefix. */
export const DETAIL_MAX = 2000;

/** The first `max` characters, marked when cut. */
export function clip(text: string, max = DETAIL_MAX): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** The last `max` characters, marked when cut. */
export function clipTail(text: string, max = DETAIL_MAX): string {
  return text.length <= max ? text : `…${text.slice(text.length - Math.max(0, max - 1))}`;
}

/** One line: runs of whitespace (newlines included) become one space. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** `a, b, c (and 4 more)`: a list that names the first few. */
export function nameSome(items: readonly string[], shown = 5): string {
  const head = items.slice(0, shown).join(', ');
  return items.length > shown ? `${head} (and ${items.length - shown} more)` : head;
}

/** The message of a thrown value, without its stack. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
