// pytest: --junitxml in the xunit1 family (it keeps the `file` attribute, which xunit2 drops), from
// which the node id is rebuilt exactly as pytest built the classname: path dots, then classes.
// Coverage: our trace helper runs pytest.main for the one node id under the `trace` module.
import type { ExecResult } from '../sandbox/types.ts';
import type { TestCase } from '../../schemas/test-results.ts';
import { makeFailure } from './failure.ts';
import { parseJUnit, type JUnitCase } from './junit.ts';
import { displayPath } from './paths.ts';
import { PYTHON_ENV, TRACE_TEST_SOURCE } from './python-scripts.ts';
import { pythonInterpreter, shellWithArgs } from './shell.ts';
import type { CommandOptions, ParseContext, ParsedTests, RunnerCommand, TestRunner } from './types.ts';

function pytestArgs(report: string): string[] {
  // No .pytest_cache in the workspace; junit in the family that names files.
  return ['-p', 'no:cacheprovider', '-o', 'junit_family=xunit1', `--junitxml=${report}`];
}

function command(options: CommandOptions): RunnerCommand {
  const report = `${options.outDir}/junit.xml`;
  const ids = options.testIds ?? [];
  if (options.coverage) {
    const out = `${options.outDir}/lines.json`;
    const python = pythonInterpreter(options.baseCommand);
    return {
      argv: [python, '-c', TRACE_TEST_SOURCE, out, 'pytest', ...ids, ...pytestArgs(report)],
      env: { ...PYTHON_ENV },
      reports: [report],
      coverage: { kind: 'lines', file: out },
    };
  }
  return { argv: shellWithArgs(options.baseCommand, [...pytestArgs(report), ...ids]), env: { ...PYTHON_ENV }, reports: [report] };
}

export function pytestNodeId(c: JUnitCase, root: string): { id: string; file: string } {
  const file = displayPath(c.file ?? '', root);
  const module = file.replace(/\.py$/, '').split('/').join('.');
  const classname = c.classname ?? '';
  let classes: string[] = [];
  if (module && classname.startsWith(`${module}.`)) classes = classname.slice(module.length + 1).split('.');
  // A collection error is reported with the module as its name and no classname.
  if (file && !classname && c.name === module) return { id: file, file };
  return { id: [file || classname, ...classes, c.name].filter(Boolean).join('::'), file };
}

function toCase(c: JUnitCase, root: string): TestCase {
  const { id, file } = pytestNodeId(c, root);
  const base = { id, file, name: id.slice(file.length + 2) || id, durationMs: c.timeSeconds * 1000 };
  const bad = c.failure ?? c.error;
  if (bad) {
    return {
      ...base,
      status: c.failure ? 'failed' : 'error',
      failure: makeFailure({ message: bad.message, type: bad.type, stack: bad.text }),
    };
  }
  return { ...base, status: c.skipped ? 'skipped' : 'passed' };
}

function parse(_result: ExecResult, files: Readonly<Record<string, string | undefined>>, context: ParseContext): ParsedTests {
  const xml = Object.values(files)[0];
  if (!xml) return { tests: [], problem: 'pytest wrote no JUnit report' };
  try {
    return { tests: parseJUnit(xml).map((c) => toCase(c, context.root)) };
  } catch (err) {
    return { tests: [], problem: `pytest report is not valid JUnit XML: ${(err as Error).message}` };
  }
}

export const pytestRunner: TestRunner = {
  framework: 'pytest',
  language: 'python',
  defaultCommand: 'python3 -m pytest',
  defaultTestGlobs: ['**/test_*.py', '**/*_test.py', '**/conftest.py'],
  command,
  parse,
};
