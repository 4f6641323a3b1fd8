// run_tests: the reproduction, some test ids, or the whole suite, through the repository's own
// runner in the sandbox. The model gets structured results: counts, the failures with their
// messages and stacks, and the ids and statuses of the tests in its own test files.
import { z } from 'zod';
import type { TestCase, TestResults } from '../../../schemas/test-results.ts';
import { runTests } from '../../runners/run-tests.ts';
import { defineTool, refuse, type Tool, type ToolContext } from './types.ts';

const MAX_FAILURES = 10;
const MAX_FAILURE_CHARS = 3000;

function failureText(t: TestCase): string {
  const f = t.failure;
  if (!f) return `${t.id}: ${t.status}`;
  const parts = [`${t.id}: ${t.status}${f.type ? ` (${f.type})` : ''}`, f.message];
  if (f.expected !== undefined || f.actual !== undefined) parts.push(`expected: ${f.expected ?? '?'}\nactual: ${f.actual ?? '?'}`);
  if (f.stack) parts.push(f.stack);
  const text = parts.join('\n');
  return text.length > MAX_FAILURE_CHARS ? `${text.slice(0, MAX_FAILURE_CHARS)}\n[…failure text cut]` : text;
}

/** The results as the model reads them. */
export function describeResults(results: TestResults, ownFiles: ReadonlySet<string>): { summary: string; text: string } {
  const s = results.summary;
  const summary =
    `${s.total} tests: ${s.passed} passed, ${s.failed} failed, ${s.errors} errors, ${s.skipped} skipped (${(s.durationMs / 1000).toFixed(1)} s)` +
    `${results.raw.timedOut ? '; the run timed out' : ''}${results.problem ? '; the runner reported a problem (below)' : ''}`;
  const failing = results.tests.filter((t) => t.status === 'failed' || t.status === 'error');
  const own = results.tests.filter((t) => ownFiles.has(t.file));
  const sections: string[] = [];
  if (own.length) sections.push(`Tests in your files:\n${own.map((t) => `${t.id}: ${t.status}`).join('\n')}`);
  if (failing.length) {
    sections.push(`Failures${failing.length > MAX_FAILURES ? ` (first ${MAX_FAILURES} of ${failing.length})` : ''}:\n\n${failing.slice(0, MAX_FAILURES).map(failureText).join('\n\n')}`);
  }
  if (results.problem) sections.push(`Problem: ${results.problem}`);
  if (results.problem || (results.tests.length === 0 && results.raw.exitCode !== 0)) {
    sections.push(`Runner output (tail):\n${(results.raw.stdout.slice(-2000) + '\n' + results.raw.stderr.slice(-2000)).trim()}`);
  }
  return { summary, text: sections.join('\n\n') };
}

export async function runTestsIn(ctx: ToolContext, testIds: readonly string[] | undefined): Promise<TestResults> {
  return runTests(ctx.sandbox, ctx.repoConfig, { ...(testIds ? { testIds } : {}), env: ctx.testEnv });
}

export const runTestsTool = defineTool({
  name: 'run_tests',
  description:
    'Run tests in the sandbox and get structured results. scope "reproduction": the failing test that reproduces the incident; ' +
    '"tests": the given test_ids (as run_tests reports them, e.g. "test/x.test.js::suite > name" or "tests/test_x.py::test_y"); ' +
    '"suite": every test of the repository (slow: use it before submitting).',
  schema: z.strictObject({
    scope: z.enum(['reproduction', 'tests', 'suite']),
    test_ids: z.array(z.string().min(1).max(4096)).max(20).optional(),
  }),
  async run(args, ctx) {
    let ids: readonly string[] | undefined;
    if (args.scope === 'reproduction') {
      if (!ctx.reproduction) return refuse('there is no reproduction test yet: write one with write_test and run it with scope "suite" or "tests"');
      ids = [ctx.reproduction.testId];
    } else if (args.scope === 'tests') {
      if (!args.test_ids?.length) return refuse('scope "tests" needs test_ids');
      ids = args.test_ids;
    }
    const results = await runTestsIn(ctx, ids);
    const { summary, text } = describeResults(results, new Set(ctx.ledger.createdFiles()));
    return { ok: true, summary, ...(text ? { data: [{ id: `run_tests:${args.scope}`, text }] } : {}) };
  },
});

export const TEST_TOOLS: readonly Tool[] = [runTestsTool];
