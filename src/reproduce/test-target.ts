// What `--from-test <x>` names, and one run of it. A runner test id (`file::name`, a pytest node
// id, a unittest dotted id) runs through the runners and yields structured results; a test file
// runs the suite and takes that file's first failing test; anything else is a shell command
// whose output is parsed as best we can (no report to read).
import type { RepoConfig } from '../../schemas/repo-config.ts';
import type { TestCase, TestResults } from '../../schemas/test-results.ts';
import { expectedActualOf } from '../runners/failure.ts';
import { runTests } from '../runners/run-tests.ts';
import { RUN_ENV } from '../runners/sandbox-io.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { parseFailure, type ParsedFailure } from './failure-text.ts';
import { reproEnv } from './gates.ts';

export type TestTarget = { kind: 'test-id'; testId: string } | { kind: 'test-file'; file: string } | { kind: 'command'; command: string };

export function classifyTarget(test: string, config: RepoConfig, workspaceFiles: readonly string[]): TestTarget {
  const t = test.trim();
  if (t.includes('::')) return { kind: 'test-id', testId: t };
  if (workspaceFiles.includes(t.replace(/^\.\//, ''))) return { kind: 'test-file', file: t.replace(/^\.\//, '') };
  if (config.framework === 'unittest' && /^[A-Za-z_][\w]*(\.[A-Za-z_]\w*)+$/.test(t)) return { kind: 'test-id', testId: t };
  return { kind: 'command', command: t };
}

export interface TargetRun {
  /** The test that failed (structured runs only). */
  test?: TestCase;
  results?: TestResults;
  /** Command runs: exit code and combined output. */
  command?: { exitCode: number; output: string; timedOut: boolean };
  passed: boolean;
  /** Why the run says nothing (no such test, the command was not found, a timeout). */
  problem?: string;
}

export async function runTarget(sandbox: Sandbox, config: RepoConfig, target: TestTarget, env: Record<string, string> = {}): Promise<TargetRun> {
  if (target.kind === 'command') {
    const r = await sandbox.exec(['sh', '-c', target.command], { env: { ...RUN_ENV, ...reproEnv(config, env) }, timeoutMs: config.timeouts.testMs });
    const output = `${r.stdout}\n${r.stderr}`;
    return {
      command: { exitCode: r.exitCode, output, timedOut: r.timedOut },
      passed: r.exitCode === 0,
      ...(r.timedOut ? { problem: 'the command timed out' } : r.exitCode === 127 ? { problem: `command not found: ${target.command}` } : {}),
    };
  }
  const ids = target.kind === 'test-id' ? [target.testId] : undefined;
  const results = await runTests(sandbox, config, { ...(ids ? { testIds: ids } : {}), env: reproEnv(config, env) });
  const failing = results.tests.filter((t) => t.status === 'failed' || t.status === 'error');
  const inFile = (t: TestCase) => target.kind === 'test-file' && (t.file === target.file || t.id.startsWith(`${target.file}::`) || t.id === target.file);
  // A file's first failing test is the target; a file whose tests all passed is a pass, not "did not run".
  const test =
    target.kind === 'test-id'
      ? (results.tests.find((t) => t.id === target.testId) ?? failing[0])
      : (failing.find(inFile) ?? results.tests.find(inFile));
  const passed = test ? test.status === 'passed' || test.status === 'skipped' : false;
  const problem = !test ? (results.problem ?? `no test ${target.kind === 'test-id' ? target.testId : `in ${target.file}`} ran`) : undefined;
  return { ...(test ? { test } : {}), results, passed, ...(problem ? { problem } : {}) };
}

export interface FailureDetails extends ParsedFailure {
  expected?: string;
  actual?: string;
  stack?: string;
}

/** The failure of a run: structured from the runner's report, or parsed from command output. */
export function failureOf(run: TargetRun): FailureDetails | undefined {
  if (run.test?.failure) {
    const f = run.test.failure;
    return {
      ...parseFailure(f),
      ...(f.expected !== undefined ? { expected: f.expected } : {}),
      ...(f.actual !== undefined ? { actual: f.actual } : {}),
      ...(f.stack !== undefined ? { stack: f.stack } : {}),
    };
  }
  if (run.command && !run.passed) {
    const text = run.command.output;
    const parsed = parseFailure({ message: '', stack: text });
    const ea = expectedActualOf(text);
    return { ...parsed, ...ea, stack: text.slice(-65_536) };
  }
  return undefined;
}
