// Changing the workspace: edit (exact search and replace in an existing file of the commit) and
// write_test (a new test file where the repository keeps its tests). An edit must match exactly
// once: a missing or ambiguous match is refused with what to do about it, never guessed.
import { z } from 'zod';
import { safeDiff } from '../edits.ts';
import { editablePath, testPath } from './paths.ts';
import { defineTool, refuse, type Tool } from './types.ts';

const MAX_EDIT_CHARS = 100_000;
const MAX_FILE_CHARS = 1_000_000;

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
    found.push(i);
    if (found.length > 20) break;
  }
  return found;
}

/** Where the old text would match if whitespace did not count: the usual cause of a miss. */
function looseLine(text: string, needle: string): number | undefined {
  const squash = (s: string) => s.replace(/\s+/g, '');
  const target = squash(needle);
  if (!target) return undefined;
  const lines = text.split('\n');
  const first = squash(needle.split('\n').find((l) => l.trim()) ?? '');
  for (let i = 0; i < lines.length; i++) {
    if (!first || !squash(lines[i]!).includes(first)) continue;
    const window = squash(lines.slice(i, i + needle.split('\n').length + 2).join('\n'));
    if (window.includes(target)) return i + 1;
  }
  return undefined;
}

export const editTool = defineTool({
  name: 'edit',
  description:
    'Replace one exact piece of text in an existing file of the repository. old_text must appear exactly once in the file ' +
    '(copy it from read_file without the line-number prefix, whitespace included); add surrounding lines when it is not unique. ' +
    'Tests, CI configuration, lockfiles and other denied paths cannot be edited.',
  schema: z.strictObject({
    path: z.string().min(1).max(1024),
    old_text: z.string().min(1).max(MAX_EDIT_CHARS),
    new_text: z.string().max(MAX_EDIT_CHARS),
  }),
  async run(args, ctx) {
    const p = await editablePath(ctx, args.path);
    if (!p.ok) return refuse(p.reason);
    if (args.old_text === args.new_text) return refuse('old_text and new_text are the same: nothing to change');
    let text: string;
    try {
      text = await ctx.sandbox.readFile(p.path);
    } catch (error) {
      return refuse(`cannot read ${p.path}: ${(error as Error).message}`);
    }
    const found = occurrences(text, args.old_text);
    if (found.length === 0) {
      const near = looseLine(text, args.old_text);
      return refuse(
        `old_text was not found in ${p.path}${near ? `; it matches at line ${near} if whitespace is ignored: copy the indentation exactly` : '; read the file again and copy the text exactly'}`,
      );
    }
    if (found.length > 1) {
      const lines = found.slice(0, 10).map((o) => lineOf(text, o));
      return refuse(`old_text matches ${found.length > 20 ? 'more than 20' : found.length} places in ${p.path} (lines ${lines.join(', ')}); include more surrounding lines so it matches once`);
    }
    const at = found[0]!;
    const next = text.slice(0, at) + args.new_text + text.slice(at + args.old_text.length);
    if (next.length > MAX_FILE_CHARS) return refuse(`the edit would make ${p.path} larger than ${MAX_FILE_CHARS} characters`);
    await ctx.ledger.touch(p.path, true);
    await ctx.sandbox.writeFile(p.path, next);
    return {
      ok: true,
      summary: `edited ${p.path} at line ${lineOf(text, at)}`,
      data: [{ id: `edit:${p.path}`, text: safeDiff(p.path, text, next) }],
      progress: true,
    };
  },
});

export const writeTestTool = defineTool({
  name: 'write_test',
  description:
    'Create (or rewrite) a test file of your own, where this repository keeps its tests and in its framework. Existing test ' +
    'files cannot be changed. Your test files are not part of a submitted fix; run them with run_tests.',
  schema: z.strictObject({
    path: z.string().min(1).max(1024),
    content: z.string().min(1).max(MAX_EDIT_CHARS),
  }),
  async run(args, ctx) {
    const p = await testPath(ctx, args.path);
    if (!p.ok) return refuse(p.reason);
    const existed = ctx.ledger.isCreated(p.path);
    await ctx.ledger.touch(p.path, false);
    await ctx.sandbox.writeFile(p.path, args.content);
    return { ok: true, summary: `${existed ? 'rewrote' : 'wrote'} ${p.path} (${args.content.split('\n').length} lines)`, progress: true };
  },
});

export const EDIT_TOOLS: readonly Tool[] = [editTool, writeTestTool];
