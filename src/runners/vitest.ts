// vitest: the json reporter (jest-compatible) written to a file, the default reporter on stdout.
// `-t` matches the " > "-joined full name (space-joined before vitest 4); positional arguments are
// path substrings.
// Coverage: with @vitest/coverage-v8 (or -istanbul) installed, vitest's own provider writes istanbul
// JSON mapped back to the source. Without one, NODE_V8_COVERAGE in worker threads with Vite's module
// runner switched off (vitest >= 4.1), so modules load natively and V8 offsets match the files on
// disk; older vitest transforms every module and such coverage is dropped by the length check.
import type { ExecResult } from '../sandbox/types.ts';
import { shellWithArgs } from './shell.ts';
import { filesOf, fullNamePattern } from './js-test-ids.ts';
import { parseJestJson } from './jest-json.ts';
import type { CommandOptions, ParseContext, ParsedTests, RunnerCommand, TestRunner } from './types.ts';


function versionAtLeast(version: string | undefined, major: number, minor: number): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return false;
  const [maj, min] = [Number(m[1]), Number(m[2])];
  return maj > major || (maj === major && min >= minor);
}

function coverageArgs(options: CommandOptions): Pick<RunnerCommand, 'env' | 'coverage'> & { args: string[] } {
  const packages = options.packages ?? {};
  const provider = '@vitest/coverage-v8' in packages ? 'v8' : '@vitest/coverage-istanbul' in packages ? 'istanbul' : undefined;
  if (provider) {
    const dir = `${options.outDir}/coverage`;
    return {
      args: [
        '--coverage.enabled=true',
        `--coverage.provider=${provider}`,
        '--coverage.reporter=json',
        `--coverage.reportsDirectory=${dir}`,
      ],
      env: {},
      coverage: { kind: 'istanbul', file: `${dir}/coverage-final.json` },
    };
  }
  const dir = `${options.outDir}/v8`;
  // Forked workers are killed before they can write NODE_V8_COVERAGE; threads write it on exit.
  const args = ['--pool=threads'];
  if (versionAtLeast(packages['vitest'], 4, 1)) args.push('--experimental.viteModuleRunner=false');
  return { args, env: { NODE_V8_COVERAGE: dir }, coverage: { kind: 'v8', dir } };
}

function command(options: CommandOptions): RunnerCommand {
  const report = `${options.outDir}/vitest.json`;
  const args = ['--reporter=default', '--reporter=json', `--outputFile.json=${report}`];
  let env: Record<string, string> = {};
  let coverage: RunnerCommand['coverage'];
  if (options.coverage) {
    const c = coverageArgs(options);
    args.push(...c.args);
    env = c.env;
    coverage = c.coverage;
  }
  if (options.testIds?.length) {
    args.push('-t', fullNamePattern(options.testIds), ...filesOf(options.testIds));
  }
  return { argv: shellWithArgs(options.baseCommand, args), env, reports: [report], ...(coverage ? { coverage } : {}) };
}

function parse(_result: ExecResult, files: Readonly<Record<string, string | undefined>>, context: ParseContext): ParsedTests {
  const json = Object.values(files)[0];
  if (!json) return { tests: [], problem: 'vitest wrote no JSON report' };
  return parseJestJson(json, context.root, 'vitest');
}

export const vitestRunner: TestRunner = {
  framework: 'vitest',
  language: 'node',
  defaultCommand: 'node_modules/.bin/vitest run',
  defaultTestGlobs: ['**/*.{test,spec}.?(c|m)[jt]s?(x)'],
  probePackages: ['vitest', '@vitest/coverage-v8', '@vitest/coverage-istanbul'],
  command,
  parse,
};
