// Looking around the workspace: read_file (with line ranges), list_dir and search (a regular
// expression over the files). Reads go through the Sandbox port; paths are checked first.
import { z } from 'zod';
import { readablePath } from './paths.ts';
import { defineTool, refuse, type Tool } from './types.ts';

/** Lines shown when no range is asked for, and the longest range one call returns. */
export const READ_LINES = 400;
const MAX_LINE_CHARS = 500;
const MAX_ENTRIES = 300;
const MAX_MATCHES = 200;
/** Directories search never enters: dependencies and tool caches, and git metadata. */
const SKIP_DIRS = ['.git', 'node_modules', '.venv', 'venv', '__pycache__', '.tox', 'dist', 'build', 'coverage', '.next', '.pytest_cache'];

const clip = (line: string) => (line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)} […line cut]` : line);

export const readFileTool = defineTool({
  name: 'read_file',
  description:
    `Read a file of the workspace with line numbers. Without a range, shows lines 1-${READ_LINES}; give start_line/end_line ` +
    `(1-based, inclusive) for another part. At most ${READ_LINES} lines per call.`,
  schema: z.strictObject({
    path: z.string().min(1).max(1024).describe('workspace-relative path, e.g. src/cart.js'),
    start_line: z.number().int().positive().optional(),
    end_line: z.number().int().positive().optional(),
  }),
  async run(args, ctx) {
    const p = readablePath(args.path);
    if (!p.ok) return refuse(p.reason);
    let text: string;
    try {
      text = await ctx.sandbox.readFile(p.path);
    } catch (error) {
      return refuse(`cannot read ${p.path}: ${(error as Error).message}`);
    }
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    const start = args.start_line ?? 1;
    if (start > Math.max(1, lines.length)) return refuse(`${p.path} has ${lines.length} lines; start_line ${start} is past the end`);
    const end = Math.min(lines.length, args.end_line ?? start + READ_LINES - 1, start + READ_LINES - 1);
    if (end < start) return refuse('end_line is before start_line');
    const width = String(end).length;
    const body = lines.slice(start - 1, end).map((line, i) => `${String(start + i).padStart(width)}| ${clip(line)}`).join('\n');
    const more = end < lines.length ? `; ${lines.length - end} more lines after ${end} (read on with start_line ${end + 1})` : '';
    return { ok: true, summary: `${p.path}: lines ${start}-${end} of ${lines.length}${more}`, data: [{ id: `read_file:${p.path}`, text: body }] };
  },
});

export const listDirTool = defineTool({
  name: 'list_dir',
  description: `List a directory of the workspace (directories end with /). At most ${MAX_ENTRIES} entries.`,
  schema: z.strictObject({ path: z.string().max(1024).default('.').describe('workspace-relative directory; "." for the root') }),
  async run(args, ctx) {
    const p = readablePath(args.path);
    if (!p.ok) return refuse(p.reason);
    const r = await ctx.sandbox.exec(['ls', '-1Ap', '--', p.path], { timeoutMs: 30_000 });
    if (r.exitCode !== 0) return refuse(`cannot list ${p.path}`, [{ id: `list_dir:${p.path}`, text: r.stderr.trim().slice(0, 2000) }]);
    const entries = r.stdout.split('\n').filter((e) => e && e !== '.git/');
    const shown = entries.slice(0, MAX_ENTRIES);
    const more = entries.length > shown.length ? ` (first ${MAX_ENTRIES} shown)` : '';
    return { ok: true, summary: `${p.path}: ${entries.length} entries${more}`, data: [{ id: `list_dir:${p.path}`, text: shown.join('\n') }] };
  },
});

export const searchTool = defineTool({
  name: 'search',
  description:
    'Search the workspace for a regular expression (POSIX extended syntax, as grep -E; case-sensitive). Returns file:line:text ' +
    `for up to ${MAX_MATCHES} matching lines. Dependency directories and .git are skipped.`,
  schema: z.strictObject({
    pattern: z.string().min(1).max(300),
    path: z.string().max(1024).default('.').describe('directory or file to search in'),
    glob: z.string().max(200).optional().describe('only files whose name matches, e.g. *.js'),
  }),
  async run(args, ctx) {
    const p = readablePath(args.path);
    if (!p.ok) return refuse(p.reason);
    const argv = ['grep', '-rnEI', '--color=never', '-m', '50', ...SKIP_DIRS.map((d) => `--exclude-dir=${d}`)];
    if (args.glob) argv.push(`--include=${args.glob}`);
    argv.push('-e', args.pattern, '--', p.path);
    const r = await ctx.sandbox.exec(argv, { timeoutMs: 60_000 });
    if (r.exitCode === 1) return { ok: true, summary: `no match in ${p.path}` };
    if (r.exitCode !== 0 && !r.stdout) return refuse(`search failed (exit ${r.exitCode}${r.timedOut ? ', timed out' : ''})`, [{ id: 'search:error', text: r.stderr.trim().slice(0, 2000) }]);
    const lines = r.stdout.split('\n').filter(Boolean).map((l) => clip(l.replace(/^\.\//, '')));
    const shown = lines.slice(0, MAX_MATCHES);
    const more = lines.length > shown.length || r.truncated ? `; first ${shown.length} shown, narrow the pattern or the path` : '';
    return { ok: true, summary: `${lines.length}${r.truncated ? '+' : ''} matching lines in ${p.path}${more}`, data: [{ id: `search:${p.path}`, text: shown.join('\n') }] };
  },
});

export const READ_TOOLS: readonly Tool[] = [readFileTool, listDirTool, searchTool];
