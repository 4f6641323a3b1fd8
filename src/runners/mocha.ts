// mocha: the json reporter written to a file (its `output` reporter option; older mocha ignores
// the option and prints the JSON to stdout, which parse falls back to), `--grep`
// over the space-joined full title. Its report has only the full title and the test's own title,
// so the id keeps the parents as one part: `file::<parent full title> > <title>`.
// Coverage: NODE_V8_COVERAGE; mocha loads files with Node's own loader, so offsets match the source.
import { z } from 'zod';
import type { ExecResult } from '../sandbox/types.ts';
import type { TestCase } from '../../schemas/test-results.ts';
import { makeFailure } from './failure.ts';
import { filesOf, fullNamePattern, jsTestId } from './js-test-ids.ts';
import { displayPath } from './paths.ts';
import { shellWithArgs } from './shell.ts';
import type { CommandOptions, ParseContext, ParsedTests, RunnerCommand, TestRunner } from './types.ts';

const MochaTest = z.looseObject({
  title: z.string(),
  fullTitle: z.string(),
  file: z.string().optional(),
  duration: z.number().optional(),
  err: z.looseObject({}).optional(),
});
const MochaReport = z.looseObject({
  tests: z.array(MochaTest),
  pending: z.array(MochaTest).default([]),
  failures: z.array(MochaTest).default([]),
});
type MochaTest = z.infer<typeof MochaTest>;


function command(options: CommandOptions): RunnerCommand {
  const report = `${options.outDir}/mocha.json`;
  const args = ['--reporter', 'json', '--reporter-option', `output=${report}`];
  if (options.testIds?.length) args.push('--grep', fullNamePattern(options.testIds), ...filesOf(options.testIds));
  const dir = `${options.outDir}/v8`;
  return {
    argv: shellWithArgs(options.baseCommand, args),
    env: options.coverage ? { NODE_V8_COVERAGE: dir } : {},
    reports: [report],
    ...(options.coverage ? { coverage: { kind: 'v8' as const, dir } } : {}),
  };
}

function titlesOf(t: MochaTest): string[] {
  const parent = t.fullTitle.endsWith(t.title) ? t.fullTitle.slice(0, t.fullTitle.length - t.title.length).trimEnd() : '';
  return parent ? [parent, t.title] : [t.title];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function toCase(t: MochaTest, status: TestCase['status'], root: string): TestCase {
  const file = displayPath(t.file ?? '', root);
  const titles = titlesOf(t);
  const base = { id: jsTestId(file, titles), file, name: titles.join(' > '), status, durationMs: t.duration ?? 0 };
  if (status === 'passed' || status === 'skipped') return base;
  const err = t.err ?? {};
  return {
    ...base,
    failure: makeFailure({
      message: str(err['message']) ?? '',
      type: str(err['name']),
      stack: str(err['stack']),
      expected: err['expected'],
      actual: err['actual'],
    }),
  };
}

/** The JSON report printed on stdout by a mocha without the `output` option (tests may log before it). */
function stdoutReport(stdout: string): string | undefined {
  const start = stdout.search(/^\{\s*\n\s*"stats": \{/m);
  return start >= 0 ? stdout.slice(start) : undefined;
}

function parse(result: ExecResult, files: Readonly<Record<string, string | undefined>>, context: ParseContext): ParsedTests {
  const json = Object.values(files)[0] ?? stdoutReport(result.stdout);
  if (!json) return { tests: [], problem: 'mocha wrote no JSON report' };
  let report: z.infer<typeof MochaReport>;
  try {
    report = MochaReport.parse(JSON.parse(json));
  } catch (err) {
    return { tests: [], problem: `mocha report is not the expected JSON: ${(err as Error).message.slice(0, 500)}` };
  }
  const key = (t: MochaTest) => `${t.file ?? ''}\u0000${t.fullTitle}`;
  const failed = new Map(report.failures.map((t) => [key(t), t]));
  const pending = new Set(report.pending.map(key));
  const tests = report.tests.map((t) => {
    const k = key(t);
    if (pending.has(k)) return toCase(t, 'skipped', context.root);
    const f = failed.get(k);
    return f ? toCase(f, 'failed', context.root) : toCase(t, 'passed', context.root);
  });
  // Hook failures ("before all" hook for …) are reported only under failures.
  const seen = new Set(report.tests.map(key));
  for (const f of report.failures) if (!seen.has(key(f))) tests.push(toCase(f, 'error', context.root));
  return { tests };
}

export const mochaRunner: TestRunner = {
  framework: 'mocha',
  language: 'node',
  defaultCommand: 'node_modules/.bin/mocha',
  defaultTestGlobs: ['test/**/*.{js,cjs,mjs,ts}', '**/*.{spec,test}.{js,cjs,mjs,ts}'],
  command,
  parse,
};
