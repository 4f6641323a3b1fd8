// collectCoverage: per-test line coverage for fault localization. Each test id runs alone with the
// runner's coverage switched on; the result is restricted to the workspace's own source files
// (no test files, nothing under node_modules or site-packages).
import picomatch from 'picomatch';
import type { RepoConfig } from '../../schemas/repo-config.ts';
import type { TestCoverage, TestStatus } from '../../schemas/test-results.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { instrument, type Logger } from '../telemetry.ts';
import { getRunner } from './api.ts';
import { istanbulLines } from './coverage/istanbul.ts';
import { executedLines, V8Script } from './coverage/v8.ts';
import { V8_FILTER_SCRIPT } from './coverage/v8-filter.ts';
import { parseJsTestId } from './js-test-ids.ts';
import { isDependencyPath, toWorkspacePath } from './paths.ts';
import { makeTempDir, probePackages, readSandboxFile, removeDir, RUN_ENV, workspaceRoot } from './sandbox-io.ts';
import type { CoverageOutput } from './types.ts';

export interface CoverageRun {
  /** The test's status in its coverage run; undefined when the report did not list it. */
  status?: TestStatus;
  /** Why there is no coverage for this test, when there is none. */
  problem?: string;
}

export interface CoverageOptions {
  /** Per test; defaults to the config's single-test timeout. */
  timeoutMs?: number;
  log?: Logger;
}

type Lines = Map<string, Set<number>>;

function addLines(into: Lines, file: string, lines: Iterable<number>): void {
  const set = into.get(file) ?? new Set<number>();
  for (const l of lines) set.add(l);
  into.set(file, set);
}

async function readV8(sandbox: Sandbox, dir: string, root: string, sources: Map<string, string | null>, log?: Logger): Promise<Lines> {
  const dest = `${dir}.filtered.json`;
  const r = await sandbox.exec(['node', '-e', V8_FILTER_SCRIPT, dir, root, dest], { env: { ...RUN_ENV }, timeoutMs: 120_000 });
  if (r.exitCode !== 0) throw new Error(`filtering V8 coverage failed: ${r.stderr.trim().slice(0, 500)}`);
  const scripts = V8Script.array().parse(JSON.parse((await readSandboxFile(sandbox, dest)) ?? '[]'));
  const out: Lines = new Map();
  for (const script of scripts) {
    const rel = toWorkspacePath(script.url, root);
    if (!rel) continue;
    if (!sources.has(rel)) sources.set(rel, await sandbox.readFile(rel).catch(() => null));
    const source = sources.get(rel);
    if (source == null) continue;
    const lines = executedLines(source, script.functions, script.url);
    if (lines) addLines(out, rel, lines);
    else log?.debug({ file: rel }, 'Skipping V8 coverage of a transpiled file');
  }
  return out;
}

async function readCoverage(sandbox: Sandbox, output: CoverageOutput, root: string, sources: Map<string, string | null>, log?: Logger): Promise<Lines> {
  if (output.kind === 'v8') return readV8(sandbox, output.dir, root, sources, log);
  const text = await readSandboxFile(sandbox, output.file);
  if (text === undefined) throw new Error(`no coverage was written (${output.file})`);
  const byPath =
    output.kind === 'istanbul'
      ? istanbulLines(text)
      : new Map(Object.entries(JSON.parse(text) as Record<string, number[]>).map(([p, l]) => [p, new Set(l)]));
  const out: Lines = new Map();
  for (const [p, lines] of byPath) {
    const rel = toWorkspacePath(p, root);
    if (rel) addLines(out, rel, lines);
  }
  return out;
}

function testFileOf(id: string, framework: RepoConfig['framework']): string {
  if (framework === 'pytest') return id.split('::')[0] ?? '';
  if (framework === 'unittest') return '';
  return parseJsTestId(id).file;
}

export async function collectCoverageDetailed(
  sandbox: Sandbox,
  config: RepoConfig,
  testIds: readonly string[],
  options: CoverageOptions = {},
): Promise<{ coverage: TestCoverage; runs: Record<string, CoverageRun> }> {
  const runner = getRunner(config.framework);
  return instrument('runners.collect_coverage', { 'tracefix.framework': runner.framework, 'tracefix.test_ids': testIds.length }, async () => {
    const root = await workspaceRoot(sandbox);
    const packages = await probePackages(sandbox, runner.probePackages);
    const isTestFile = config.test.files.length ? picomatch(config.test.files, { dot: true }) : () => false;
    const sources = new Map<string, string | null>();
    const coverage: TestCoverage = {};
    const runs: Record<string, CoverageRun> = {};
    for (const id of testIds) {
      const outDir = await makeTempDir(sandbox, 'cov');
      try {
        const cmd = runner.command({ testIds: [id], coverage: true, outDir, baseCommand: config.test.command, packages });
        const result = await sandbox.exec(cmd.argv, { env: { ...RUN_ENV, ...cmd.env }, timeoutMs: options.timeoutMs ?? config.timeouts.singleTestMs });
        const files: Record<string, string | undefined> = {};
        for (const report of cmd.reports) files[report] = await readSandboxFile(sandbox, report);
        const status = runner.parse(result, files, { root }).tests.find((t) => t.id === id)?.status;
        const run: CoverageRun = status ? { status } : { problem: 'the test did not run' };
        let lines: Lines = new Map();
        if (result.timedOut) run.problem = 'timed out';
        else if (cmd.coverage) {
          try {
            lines = await readCoverage(sandbox, cmd.coverage, root, sources, options.log);
          } catch (err) {
            run.problem = (err as Error).message;
          }
        }
        const ownFile = testFileOf(id, config.framework);
        const perFile: Record<string, number[]> = {};
        for (const [file, set] of [...lines].sort(([a], [b]) => a.localeCompare(b))) {
          if (file === ownFile || isTestFile(file) || isDependencyPath(file) || set.size === 0) continue;
          perFile[file] = [...set].sort((a, b) => a - b);
        }
        coverage[id] = perFile;
        runs[id] = run;
        if (run.problem) options.log?.warn({ testId: id, problem: run.problem }, 'No coverage for test');
      } finally {
        await removeDir(sandbox, outDir);
      }
    }
    return { coverage, runs };
  });
}

/** `{ [testId]: { [file]: executed lines } }` for each of `testIds`. */
export async function collectCoverage(sandbox: Sandbox, config: RepoConfig, testIds: readonly string[], options: CoverageOptions = {}): Promise<TestCoverage> {
  return (await collectCoverageDetailed(sandbox, config, testIds, options)).coverage;
}
