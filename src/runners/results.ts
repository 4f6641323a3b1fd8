// Assembling TestResults: summary counts, the capped raw output, and the problem note.
import type { ExecResult } from '../sandbox/types.ts';
import type { TestCase, TestResults, TestRunRaw, TestSummary, Framework } from '../../schemas/test-results.ts';

const RAW_TAIL = 200_000;

function tail(text: string): string {
  return text.length <= RAW_TAIL ? text : `[… ${text.length - RAW_TAIL} earlier characters dropped]\n${text.slice(-RAW_TAIL)}`;
}

export function summarize(tests: readonly TestCase[], durationMs: number): TestSummary {
  const count = (status: TestCase['status']) => tests.filter((t) => t.status === status).length;
  return {
    total: tests.length,
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    errors: count('error'),
    durationMs,
  };
}

/** The counts a claim about a run rests on (collected, run = not skipped, passed, failed, skipped). */
export function countsOf(summary: TestSummary): { collected: number; run: number; passed: number; failed: number; skipped: number } {
  return {
    collected: summary.total,
    run: summary.total - summary.skipped,
    passed: summary.passed,
    failed: summary.failed + summary.errors,
    skipped: summary.skipped,
  };
}

export function rawOf(argv: readonly string[], result: ExecResult): TestRunRaw {
  return {
    // The Python helpers travel as `-c` arguments: keep the argv readable.
    argv: argv.map((a) => (a.length > 2000 ? `${a.slice(0, 60)}… [${a.length} characters]` : a)),
    exitCode: result.exitCode,
    stdout: tail(result.stdout),
    stderr: tail(result.stderr),
    durationMs: result.durationMs,
    timedOut: result.timedOut,
    oomKilled: result.oomKilled,
    truncated: result.truncated,
  };
}

/** Why a run says nothing about the code, when it does not. */
export function problemOf(result: ExecResult, parsedProblem: string | undefined, tests: readonly TestCase[]): string | undefined {
  if (result.timedOut) return `the test command timed out after ${Math.round(result.durationMs / 1000)}s${tests.length ? ' (results are partial)' : ''}`;
  if (result.oomKilled) return 'the test command ran out of memory';
  if (parsedProblem) {
    const detail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join('\n');
    return detail ? `${parsedProblem}; exit code ${result.exitCode}: ${detail}` : `${parsedProblem}; exit code ${result.exitCode}`;
  }
  return undefined;
}

export function buildResults(
  framework: Framework,
  argv: readonly string[],
  result: ExecResult,
  tests: TestCase[],
  parsedProblem: string | undefined,
): TestResults {
  const problem = problemOf(result, parsedProblem, tests);
  return {
    framework,
    tests,
    summary: summarize(tests, result.durationMs),
    raw: rawOf(argv, result),
    ...(problem ? { problem: problem.slice(0, 4096) } : {}),
  };
}
