// The TestRunner port: one adapter per test framework. A runner only builds argv and parses text;
// run-tests.ts and collect-coverage.ts do the sandbox I/O, so adapters stay pure and unit-testable.
import type { ExecResult } from '../sandbox/types.ts';
import type { Framework, TestCase } from '../../schemas/test-results.ts';

export type { Framework };

/**
 * What detection knows about a checkout, gathered on the host by src/workspace/detect-repo.ts from
 * the pristine checkout (before any sandboxed code ran).
 */
export interface RepoFacts {
  /** Workspace-relative POSIX paths of the files in the top two directory levels. */
  files: ReadonlySet<string>;
  packageJson?: {
    scripts: Readonly<Record<string, string>>;
    /** dependencies, devDependencies and peerDependencies together: name → range. */
    dependencies: Readonly<Record<string, string>>;
  };
  /** Text of small config files when present: pyproject.toml, setup.cfg, tox.ini, pytest.ini, requirements*.txt. */
  texts: Readonly<Record<string, string>>;
  /** Text of the test files detection looked into (a capped number of small files), by path. */
  testSources?: Readonly<Record<string, string>>;
}

/** The framework detection chose and why, in one sentence a person can check. */
export interface FrameworkDetection {
  framework: Framework;
  /** "pytest: 3 test files with module-level test functions, no config". */
  evidence: string;
  /** How many test files the evidence was read from. */
  testFiles: number;
}

export interface CommandOptions {
  /** Run only these (ids as the runner reported them); all tests when absent. */
  testIds?: readonly string[];
  /** Also record line coverage (used with a single test id). */
  coverage?: boolean;
  /** A fresh, writable directory inside the sandbox for reports (under /tmp). */
  outDir: string;
  /** The repository's base test invocation (RepoConfig.test.command); arguments are appended. */
  baseCommand: string;
  /** Versions of the packages in `probePackages` found in the workspace's node_modules. */
  packages?: Readonly<Record<string, string>>;
}

/** Where a command leaves its coverage, and in which format. */
export type CoverageOutput =
  /** A NODE_V8_COVERAGE directory: one JSON file per process. */
  | { kind: 'v8'; dir: string }
  /** An istanbul coverage-final.json (jest, vitest's coverage providers). */
  | { kind: 'istanbul'; file: string }
  /** Our Python helper's `{ "abs/path.py": [lines] }`. */
  | { kind: 'lines'; file: string };

export interface RunnerCommand {
  argv: string[];
  env: Record<string, string>;
  /** Report files the command writes (absolute sandbox paths), read back after it exits. */
  reports: string[];
  coverage?: CoverageOutput;
}

export interface ParseContext {
  /** The workspace's absolute path inside the sandbox, to make reported paths relative. */
  root: string;
}

export interface ParsedTests {
  tests: TestCase[];
  /** Set when the reports were missing or unreadable. */
  problem?: string;
}

export interface TestRunner {
  readonly framework: Framework;
  readonly language: 'node' | 'python';
  /** The base invocation when the repository names none. */
  readonly defaultCommand: string;
  /** The framework's own default test file globs. */
  readonly defaultTestGlobs: readonly string[];
  /** Packages whose presence changes the command (e.g. a coverage provider). */
  readonly probePackages?: readonly string[];
  command(options: CommandOptions): RunnerCommand;
  /** `files` maps each of `reports` to its content, or undefined when it was not written. */
  parse(result: ExecResult, files: Readonly<Record<string, string | undefined>>, context: ParseContext): ParsedTests;
}
