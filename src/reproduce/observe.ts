// A runner's TestResults for one test id → the Observation the signature gate compares. The cases
// that are not the test failing are told apart here, because each is a different reason to reject:
// the run timed out; the file never loaded (node:test reports it as a test named after the file,
// pytest as a collection error whose id is the file, unittest as a `_FailedTest`); the test was
// simply absent from the report.
import type { Frame } from '../../schemas/alert.ts';
import type { TestCase, TestResults } from '../../schemas/test-results.ts';
import { topInAppFrame } from '../evidence/fingerprint.ts';
import { parseStackText } from '../evidence/stack-text.ts';
import { parseFailure, stripTypePrefix } from './failure-text.ts';
import { signatureFrame, type Observation } from './signature.ts';

const LOAD_ERROR_TYPES = /^(ImportError|ModuleNotFoundError|SyntaxError|ReferenceError|Error)$/;
const LOAD_ERROR_TEXT = /Cannot find module|ERR_MODULE_NOT_FOUND|does not provide an export named|Named export '[^']*' not found|is not a function|No module named|cannot import name|SyntaxError|Unexpected token/;

/** The innermost in-app frame of frames ordered caller → callee. */
export function crashFrame(frames: readonly Frame[], workspaceFiles: readonly string[]): ReturnType<typeof signatureFrame> {
  // The test's own file is in-app too; only frames that are really library code are skipped.
  return signatureFrame(topInAppFrame(frames), workspaceFiles);
}

/** A file-level failure that stands for the requested test (its module did not load). */
function fileFailure(results: TestResults, testFile: string | undefined): TestCase | undefined {
  if (!testFile) return undefined;
  return results.tests.find(
    (t) =>
      (t.status === 'failed' || t.status === 'error') &&
      (t.id === testFile || t.id === `${testFile}::${testFile}` || (t.file === testFile && t.name === testFile) || t.id.includes('_FailedTest')),
  );
}

/** Type and message of a load failure, from the report or (node:test prints it) raw output. */
function loadError(test: TestCase, results: TestResults): { type?: string; message: string } {
  const parsed = test.failure ? parseFailure(test.failure) : undefined;
  if (parsed?.type && parsed.message) return { type: parsed.type, message: parsed.message };
  const out = `${results.raw.stdout}\n${results.raw.stderr}`;
  const exception = parseStackText(out).at(-1);
  if (exception) return { type: exception.type, message: exception.message.split('\n')[0] ?? '' };
  const line = out.split('\n').find((l) => LOAD_ERROR_TEXT.test(l));
  return { message: (line ?? test.failure?.message ?? 'the test file did not load').trim() };
}

export interface ObserveOptions {
  workspaceFiles: readonly string[];
  /** Workspace-relative test file, to recognize a file-level load failure. */
  testFile?: string;
}

export function observe(results: TestResults, testId: string, options: ObserveOptions): Observation {
  const test = results.tests.find((t) => t.id === testId);
  if (results.raw.timedOut && (!test || test.status !== 'failed')) return { kind: 'timeout', ...(results.problem ? { detail: results.problem } : {}) };
  if (!test) {
    const file = fileFailure(results, options.testFile);
    if (file) return { kind: 'import-error', ...loadError(file, results) };
    const out = `${results.problem ?? ''}\n${results.raw.stderr}\n${results.raw.stdout}`;
    const line = out.split('\n').find((l) => LOAD_ERROR_TEXT.test(l));
    if (line) return { kind: 'import-error', message: stripTypePrefix(line.trim(), undefined) };
    return { kind: 'missing', detail: results.problem ?? `the report has no test ${testId}` };
  }
  if (test.status === 'passed') return { kind: 'passed' };
  if (test.status === 'skipped') return { kind: 'skipped' };
  const failure = test.failure ?? { message: 'failed' };
  const parsed = parseFailure(failure);
  // A pytest setup error in an import is a load failure too.
  if (test.status === 'error' && parsed.type && LOAD_ERROR_TYPES.test(parsed.type) && LOAD_ERROR_TEXT.test(`${parsed.type}: ${parsed.message}`)) {
    return { kind: 'import-error', type: parsed.type, message: parsed.message };
  }
  return {
    kind: 'failed',
    ...(parsed.type ? { type: parsed.type } : {}),
    message: parsed.message,
    frame: crashFrame(parsed.frames, options.workspaceFiles),
  };
}
