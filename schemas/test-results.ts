// The result of running a repository's tests inside a sandbox, whatever the framework. Runners parse
// each framework's own report (JUnit XML, Jest/Vitest/Mocha JSON, our unittest JSON) into this
// shape; reproduction, localization and validation read only this.
import { z } from 'zod';

export const Framework = z.enum(['node-test', 'vitest', 'jest', 'mocha', 'pytest', 'unittest']);
export type Framework = z.infer<typeof Framework>;

export const TestStatus = z.enum(['passed', 'failed', 'skipped', 'error']);
export type TestStatus = z.infer<typeof TestStatus>;

/** Text produced by the repository's code: untrusted, shown to a model only as delimited data. */
const Untrusted = (max: number) => z.string().max(max);

export const TestFailure = z.object({
  message: Untrusted(16_384),
  /** Error class name when the framework reports one (AssertionError, TypeError, …). */
  type: z.string().max(256).optional(),
  stack: Untrusted(65_536).optional(),
  /** Rendered values, when the framework reports them or the message states them. */
  expected: Untrusted(8192).optional(),
  actual: Untrusted(8192).optional(),
});
export type TestFailure = z.infer<typeof TestFailure>;

export const TestCase = z.object({
  /**
   * Stable id that the same runner accepts back to run this one test:
   * JS `path/to/file.test.ts::suite > test`, pytest node id `tests/test_x.py::TestA::test_b`,
   * unittest dotted id `tests.test_x.TestA.test_b`.
   */
  id: z.string().min(1).max(4096),
  /** Workspace-relative POSIX path of the test file ('' when the framework does not say). */
  file: z.string().max(1024),
  /** Human-readable full name (suite titles and test title). */
  name: z.string().max(4096),
  status: TestStatus,
  durationMs: z.number().nonnegative(),
  failure: TestFailure.optional(),
});
export type TestCase = z.infer<typeof TestCase>;

export const TestSummary = z.object({
  total: z.number().int().nonnegative(),
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  durationMs: z.number().nonnegative(),
});
export type TestSummary = z.infer<typeof TestSummary>;

/** What the command itself did; stdout/stderr are tails, capped. */
export const TestRunRaw = z.object({
  argv: z.array(z.string()),
  exitCode: z.number().int(),
  stdout: Untrusted(262_144),
  stderr: Untrusted(262_144),
  durationMs: z.number().nonnegative(),
  timedOut: z.boolean(),
  oomKilled: z.boolean(),
  truncated: z.boolean(),
});
export type TestRunRaw = z.infer<typeof TestRunRaw>;

export const TestResults = z.object({
  framework: Framework,
  tests: z.array(TestCase),
  summary: TestSummary,
  raw: TestRunRaw,
  /**
   * Set when the run produced no usable report (the command was not found, the config did not
   * load, it timed out): the tests list is then empty or partial and says nothing about the code.
   */
  problem: z.string().max(4096).optional(),
});
export type TestResults = z.infer<typeof TestResults>;

/** Per-test line coverage: test id → workspace-relative file → executed line numbers (1-based). */
export const TestCoverage = z.record(
  z.string(),
  z.record(z.string(), z.array(z.number().int().positive())),
);
export type TestCoverage = z.infer<typeof TestCoverage>;
