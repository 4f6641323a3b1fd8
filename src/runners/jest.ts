// jest: `--json --outputFile` for results; `-t` (regex over the space-joined full name) and
// test path patterns (regexes) to select. Coverage uses jest's own instrumentation (istanbul JSON):
// jest wraps and transforms every module, so raw V8 offsets would not match the source.
import type { ExecResult } from '../sandbox/types.ts';
import { escapeRegExp, shellWithArgs } from './shell.ts';
import { filesOf, fullNamePattern } from './js-test-ids.ts';
import { parseJestJson } from './jest-json.ts';
import type { CommandOptions, ParseContext, ParsedTests, RunnerCommand, TestRunner } from './types.ts';


function command(options: CommandOptions): RunnerCommand {
  const report = `${options.outDir}/jest.json`;
  const args = ['--ci', '--no-watchman', '--json', `--outputFile=${report}`];
  if (options.testIds?.length) {
    args.push('-t', fullNamePattern(options.testIds));
    // Positional arguments are regexes over absolute paths: anchor each file at a path boundary.
    args.push(...filesOf(options.testIds).map((f) => `(^|/)${escapeRegExp(f)}$`));
  }
  const coverageDir = `${options.outDir}/coverage`;
  if (options.coverage) {
    args.push('--coverage', '--coverageReporters=json', `--coverageDirectory=${coverageDir}`);
  }
  return {
    argv: shellWithArgs(options.baseCommand, args),
    env: {},
    reports: [report],
    ...(options.coverage ? { coverage: { kind: 'istanbul' as const, file: `${coverageDir}/coverage-final.json` } } : {}),
  };
}

function parse(_result: ExecResult, files: Readonly<Record<string, string | undefined>>, context: ParseContext): ParsedTests {
  const json = Object.values(files)[0];
  if (!json) return { tests: [], problem: 'jest wrote no JSON report' };
  return parseJestJson(json, context.root, 'jest');
}

export const jestRunner: TestRunner = {
  framework: 'jest',
  language: 'node',
  defaultCommand: 'node_modules/.bin/jest',
  defaultTestGlobs: ['**/__tests__/**/*.{js,jsx,ts,tsx,mjs,cjs}', '**/*.{spec,test}.{js,jsx,ts,tsx,mjs,cjs}'],
  command,
  parse,
};
