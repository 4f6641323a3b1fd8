// V8 block coverage → executed source lines. A line counts when its first code character lies in
// an executed region: ranges are painted outermost first, so a nested count-0 block (the branch not
// taken) overrides the function around it. Offsets are UTF-16 indexes into the script V8 compiled;
// they match the file on disk for plain JS and for TypeScript run by Node's type stripping (types
// become spaces, and a `//# sourceURL=` line is appended), not for transpiled code, which
// alignSource detects by the script's length.
import { z } from 'zod';

export const V8Range = z.object({ startOffset: z.number(), endOffset: z.number(), count: z.number() });
export const V8Function = z.object({ functionName: z.string().optional(), ranges: z.array(V8Range), isBlockCoverage: z.boolean().optional() });
export const V8Script = z.object({ url: z.string(), functions: z.array(V8Function) });
export type V8Function = z.infer<typeof V8Function>;
export type V8Script = z.infer<typeof V8Script>;

/** Length of the script V8 saw: the top-level function's range spans it. */
function scriptLength(functions: readonly V8Function[]): number | undefined {
  let length: number | undefined;
  for (const f of functions) {
    for (const r of f.ranges) if (r.startOffset === 0) length = Math.max(length ?? 0, r.endOffset);
  }
  return length;
}

/** The source as V8 saw it, or undefined when the offsets cannot refer to this text. */
export function alignSource(source: string, functions: readonly V8Function[], url?: string): string | undefined {
  const length = scriptLength(functions);
  if (length === undefined) return undefined;
  if (length === source.length) return source;
  // Type stripping keeps every offset and appends the file's URL for stack traces.
  const suffix = url === undefined ? undefined : `\n\n//# sourceURL=${url}`;
  if (suffix && length === source.length + suffix.length) return source + suffix;
  // CommonJS loading strips a byte-order mark; its removal does not move any line.
  if (source.startsWith('\uFEFF') && length === source.length - 1) return source.slice(1);
  return undefined;
}

/** Lines with nothing to execute: blank, comments, lone closing brackets. */
function isCodeLess(text: string): boolean {
  const t = text.trim();
  return t === '' || t.startsWith('//') || t.startsWith('/*') || t.startsWith('*') || /^[\s})\];,]*$/.test(t);
}

/** Executed 1-based line numbers, or undefined when the coverage does not fit the source. */
export function executedLines(source: string, functions: readonly V8Function[], url?: string): Set<number> | undefined {
  const text = alignSource(source, functions, url);
  if (text === undefined) return undefined;
  const ranges = functions.flatMap((f) => f.ranges).filter((r) => r.endOffset > r.startOffset);
  ranges.sort((a, b) => a.startOffset - b.startOffset || b.endOffset - a.endOffset);
  // 0 = outside any range (never compiled), 1 = executed, 2 = not executed.
  const state = new Uint8Array(text.length);
  for (const r of ranges) state.fill(r.count > 0 ? 1 : 2, Math.max(0, r.startOffset), Math.min(text.length, r.endOffset));
  const lines = new Set<number>();
  let lineNo = 1;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    if (!isCodeLess(line)) {
      const first = start + line.search(/\S/);
      if (state[first] === 1) lines.add(lineNo);
    }
    lineNo++;
    start = end + 1;
  }
  return lines;
}
