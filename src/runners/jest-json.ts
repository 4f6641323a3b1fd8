// The JSON report shared by jest (--json) and vitest (--reporter=json): testResults per file with
// assertionResults carrying ancestorTitles, title, status and failure messages.
import { z } from 'zod';
import type { TestCase, TestStatus } from '../../schemas/test-results.ts';
import { makeFailure } from './failure.ts';
import { jsTestId } from './js-test-ids.ts';
import { displayPath } from './paths.ts';

const Assertion = z.looseObject({
  ancestorTitles: z.array(z.string()).default([]),
  title: z.string(),
  status: z.string(),
  duration: z.number().nullish(),
  failureMessages: z.array(z.string()).nullish(),
  failureDetails: z.array(z.unknown()).nullish(),
});

const FileResult = z.looseObject({
  name: z.string(),
  status: z.string().optional(),
  message: z.string().optional(),
  assertionResults: z.array(Assertion).default([]),
});

export const JestJsonReport = z.looseObject({ testResults: z.array(FileResult) });
type Assertion = z.infer<typeof Assertion>;

function statusOf(status: string): TestStatus {
  if (status === 'passed') return 'passed';
  if (status === 'failed') return 'failed';
  return 'skipped'; // pending, todo, skipped, disabled, focused-out
}

/** jest's matcherResult has the values as data; prefer it to parsing the message. */
function matcherValues(details: unknown[] | null | undefined): { expected?: unknown; actual?: unknown } {
  for (const d of details ?? []) {
    const m = (d as { matcherResult?: { expected?: unknown; actual?: unknown } } | null)?.matcherResult;
    if (m && ('expected' in m || 'actual' in m)) return { expected: m.expected, actual: m.actual };
  }
  return {};
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

function toCase(file: string, a: Assertion): TestCase {
  const titles = [...a.ancestorTitles, a.title];
  const base = {
    id: jsTestId(file, titles),
    file,
    name: titles.join(' > '),
    status: statusOf(a.status),
    durationMs: a.duration ?? 0,
  };
  if (base.status !== 'failed') return base;
  const text = stripAnsi((a.failureMessages ?? []).join('\n\n'));
  const stackAt = text.search(/\n\s+at /);
  const message = stackAt > 0 ? text.slice(0, stackAt) : text;
  return { ...base, failure: makeFailure({ message, stack: text, ...matcherValues(a.failureDetails) }) };
}

export function parseJestJson(json: string, root: string, framework: string): { tests: TestCase[]; problem?: string } {
  let report: z.infer<typeof JestJsonReport>;
  try {
    report = JestJsonReport.parse(JSON.parse(json));
  } catch (err) {
    return { tests: [], problem: `${framework} report is not the expected JSON: ${(err as Error).message.slice(0, 500)}` };
  }
  const tests: TestCase[] = [];
  for (const fileResult of report.testResults) {
    const file = displayPath(fileResult.name, root);
    for (const a of fileResult.assertionResults) tests.push(toCase(file, a));
    // A file that failed to load (syntax error, missing import) has a message and no tests.
    if (fileResult.assertionResults.length === 0 && fileResult.status === 'failed') {
      const message = stripAnsi(fileResult.message ?? 'test file failed to run');
      tests.push({
        id: jsTestId(file, ['(file)']),
        file,
        name: '(file)',
        status: 'error',
        durationMs: 0,
        failure: makeFailure({ message: message.split('\n').slice(0, 20).join('\n'), stack: message }),
      });
    }
  }
  return { tests };
}
