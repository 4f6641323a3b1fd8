// unittest: our runner script (python/unittest-runner.py) collects results with a TestResult
// subclass and writes JSON, so nothing depends on parsing unittest's verbose console text.
// The configured test command is the interpreter (`python3`, `.venv/bin/python`).
import { z } from 'zod';
import type { ExecResult } from '../sandbox/types.ts';
import type { TestCase } from '../../schemas/test-results.ts';
import { makeFailure } from './failure.ts';
import { PYTHON_ENV, TRACE_TEST_SOURCE, UNITTEST_RUNNER_SOURCE } from './python-scripts.ts';
import { pythonInterpreter, shellWithArgs } from './shell.ts';
import type { CommandOptions, ParseContext, ParsedTests, RunnerCommand, TestRunner } from './types.ts';

const Report = z.object({
  tests: z.array(
    z.object({
      id: z.string(),
      file: z.string(),
      name: z.string(),
      status: z.enum(['passed', 'failed', 'skipped', 'error']),
      durationMs: z.number(),
      type: z.string().optional(),
      message: z.string().optional(),
      traceback: z.string().optional(),
    }),
  ),
});

function command(options: CommandOptions): RunnerCommand {
  const report = `${options.outDir}/unittest.json`;
  const ids = options.testIds ?? [];
  if (options.coverage && ids.length === 1) {
    const out = `${options.outDir}/lines.json`;
    return {
      argv: [pythonInterpreter(options.baseCommand), '-c', TRACE_TEST_SOURCE, out, 'unittest', ids[0]!, report, UNITTEST_RUNNER_SOURCE],
      env: { ...PYTHON_ENV },
      reports: [report],
      coverage: { kind: 'lines', file: out },
    };
  }
  return {
    argv: shellWithArgs(options.baseCommand, ['-c', UNITTEST_RUNNER_SOURCE, report, ...ids]),
    env: { ...PYTHON_ENV },
    reports: [report],
  };
}

function parse(_result: ExecResult, files: Readonly<Record<string, string | undefined>>, _context: ParseContext): ParsedTests {
  const json = Object.values(files)[0];
  if (!json) return { tests: [], problem: 'the unittest runner wrote no report' };
  let report: z.infer<typeof Report>;
  try {
    report = Report.parse(JSON.parse(json));
  } catch (err) {
    return { tests: [], problem: `unittest report is not the expected JSON: ${(err as Error).message.slice(0, 500)}` };
  }
  const tests = report.tests.map((t): TestCase => {
    const base = { id: t.id, file: t.file, name: t.name, status: t.status, durationMs: t.durationMs };
    if (t.status !== 'failed' && t.status !== 'error') return base;
    return { ...base, failure: makeFailure({ message: t.message ?? '', type: t.type, stack: t.traceback }) };
  });
  return { tests };
}

export const unittestRunner: TestRunner = {
  framework: 'unittest',
  language: 'python',
  defaultCommand: 'python3',
  defaultTestGlobs: ['**/test*.py'],
  command,
  parse,
};
