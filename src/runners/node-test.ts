// node:test (Node's built-in runner). Results come from its junit reporter written to the sandbox's
// /tmp (the spec reporter still goes to stdout for people); describe() nesting is the chain of
// <testsuite> elements. Coverage: NODE_V8_COVERAGE, which every test file's subprocess inherits.
import type { ExecResult } from '../sandbox/types.ts';
import type { TestCase } from '../../schemas/test-results.ts';
import { makeFailure } from './failure.ts';
import { filesOf, fullNamePattern, jsTestId } from './js-test-ids.ts';
import { parseJUnit, type JUnitCase } from './junit.ts';
import { displayPath } from './paths.ts';
import { nodeTestArgv } from './node-test-command.ts';
import { shellWithArgs } from './shell.ts';
import type { CommandOptions, ParseContext, ParsedTests, RunnerCommand, TestRunner } from './types.ts';

function command(options: CommandOptions): RunnerCommand {
  const report = `${options.outDir}/junit.xml`;
  const args = [
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=junit',
    `--test-reporter-destination=${report}`,
  ];
  const filesChosen = Boolean(options.testIds?.length);
  if (options.testIds?.length) {
    // One pattern per id keeps each anchored; node ORs repeated patterns.
    for (const id of options.testIds) args.push(`--test-name-pattern=${fullNamePattern([id])}`);
    args.push(...filesOf(options.testIds));
  }
  const env: Record<string, string> = {};
  const coverageDir = `${options.outDir}/v8`;
  if (options.coverage) env['NODE_V8_COVERAGE'] = coverageDir;
  return {
    argv: nodeTestArgv(options.baseCommand, args, filesChosen) ?? shellWithArgs(options.baseCommand, args),
    env,
    reports: [report],
    ...(options.coverage ? { coverage: { kind: 'v8' as const, dir: coverageDir } } : {}),
  };
}

/** node:test puts the real error under `cause:`; its class name is the type worth reporting. */
function causeType(text: string): string | undefined {
  return /\bcause: ([A-Za-z_$][\w$]*)/.exec(text)?.[1];
}

function toTestCase(c: JUnitCase, root: string): TestCase {
  const file = displayPath(c.file ?? '', root);
  const titles = [...c.suites, c.name];
  const base = { id: jsTestId(file, titles), file, name: titles.join(' > '), durationMs: c.timeSeconds * 1000 };
  const bad = c.failure ?? c.error;
  if (bad) {
    // testCodeFailure is the test's own assertion; hook failures, cancellations and timeouts are errors.
    const status = c.error || (bad.type && bad.type !== 'testCodeFailure') ? 'error' : 'failed';
    return {
      ...base,
      status,
      failure: makeFailure({ message: bad.message, type: causeType(bad.text), stack: bad.text.trim() }),
    };
  }
  if (c.skipped) return { ...base, status: 'skipped' };
  return { ...base, status: 'passed' };
}

function parse(_result: ExecResult, files: Readonly<Record<string, string | undefined>>, context: ParseContext): ParsedTests {
  const [name, xml] = Object.entries(files)[0] ?? [];
  if (!xml) return { tests: [], problem: `node:test wrote no report (${name ?? 'junit.xml'})` };
  try {
    return { tests: parseJUnit(xml).map((c) => toTestCase(c, context.root)) };
  } catch (err) {
    return { tests: [], problem: `node:test report is not valid JUnit XML: ${(err as Error).message}` };
  }
}

export const nodeTestRunner: TestRunner = {
  framework: 'node-test',
  language: 'node',
  defaultCommand: 'node --test',
  // Node's own discovery patterns (with type stripping, .ts/.mts/.cts too).
  defaultTestGlobs: [
    '**/*.test.{js,cjs,mjs,ts,cts,mts}',
    '**/*-test.{js,cjs,mjs,ts,cts,mts}',
    '**/*_test.{js,cjs,mjs,ts,cts,mts}',
    '**/test-*.{js,cjs,mjs,ts,cts,mts}',
    '**/test.{js,cjs,mjs,ts,cts,mts}',
    '**/test/**/*.{js,cjs,mjs,ts,cts,mts}',
  ],
  command,
  parse,
};
