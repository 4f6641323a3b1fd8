// An incident that starts from a failing test instead of a production alert (a red CI run, the
// GitHub Actions step, a benchmark bug): run the test in the sandbox, record its failure (type,
// message, frames, the assertion's expected and actual) as an Alert with source `ci`. That failure
// is the signature, and the test itself is the reproduction: reproduceFromTest puts it through
// the same gates a synthesized test goes through.
import { createHash } from 'node:crypto';
import type { Alert, Frame } from '../../schemas/alert.ts';
import type { RepoConfig } from '../../schemas/repo-config.ts';
import type { Reproduction, Signature } from '../../schemas/run.ts';
import { UsageError } from '../errors.ts';
import { finalizeAlert } from '../intake/common/finalize-alert.ts';
import type { Sandbox } from '../sandbox/types.ts';
import type { Logger } from '../telemetry.ts';
import { crashFunctions, gate, gateRuns, type Execution } from './gates.ts';
import { crashFrame, observe } from './observe.ts';
import { narrowCommandRun } from './narrow-command.ts';
import { makeSignature, type Observation } from './signature.ts';
import { classifyTarget, failureOf, runTarget, type FailureDetails, type TargetRun, type TestTarget } from './test-target.ts';
import { listSandboxFiles, listWorkspaceFiles, mapToWorkspace } from './workspace-paths.ts';

export type { TestTarget } from './test-target.ts';

export interface FromTestInput {
  sandbox: Sandbox;
  repoConfig: RepoConfig;
  /** A runner test id, a test file, or a command. */
  test: string;
  /** Workspace files; listed from workspaceDir, else from inside the sandbox, when absent. */
  workspaceFiles?: readonly string[];
  workspaceDir?: string;
  /** The repository and commit the test ran at, for the alert. */
  repo?: { url?: string; commitSha?: string };
  now?: Date;
  log?: Logger;
  /** A failing command is narrowed to the failing test in it (narrow-command.ts), when one is found. */
  narrowCommand?: boolean;
}

export interface FailingTestIncident {
  alert: Alert;
  failure: FailureDetails;
  signature: Signature;
  /** How to run the reproduction again: the failing test's id, or the command. */
  target: TestTarget;
  /** The test file (workspace-relative) when known. */
  testFile?: string;
}

/** Frames with workspace-relative files (the absolute sandbox path kept as absPath). */
function workspaceFrames(frames: readonly Frame[], files: readonly string[]): Frame[] {
  return frames.map((f) => {
    const abs = f.absPath ?? f.file;
    const rel = abs ? mapToWorkspace(abs, files) : undefined;
    return rel ? { ...f, file: rel, ...(abs && abs !== rel ? { absPath: abs } : {}) } : f;
  });
}

async function filesOf(input: Pick<FromTestInput, 'workspaceFiles' | 'workspaceDir' | 'sandbox'>): Promise<readonly string[]> {
  if (input.workspaceFiles) return input.workspaceFiles;
  if (input.workspaceDir) return listWorkspaceFiles(input.workspaceDir);
  return listSandboxFiles(input.sandbox);
}

/** The test (or command) passed: there is nothing to record. A CI step treats this as "skip". */
export class TestPassedError extends UsageError {}

export async function incidentFromFailingTest(input: FromTestInput): Promise<FailingTestIncident> {
  const { sandbox, repoConfig: config } = input;
  const files = await filesOf(input);
  const requested = classifyTarget(input.test, config, files);
  let run = await runTarget(sandbox, config, requested);
  if (input.narrowCommand && requested.kind === 'command') {
    const narrowed = await narrowCommandRun(sandbox, config, requested.command, run);
    if (narrowed?.test) input.log?.info({ command: requested.command, test: narrowed.test.id }, 'The failing command narrowed to its failing test');
    run = narrowed ?? run;
  }
  if (run.passed) throw new TestPassedError(`${input.test} passed: there is no failure to repair`);
  const failure = failureOf(run);
  if (!failure) throw new UsageError(`${input.test} did not run: ${run.problem ?? 'no failure was reported'}`);
  // A file or a pytest id that selected a different (parametrized) test: the failing one is the reproduction.
  const target: TestTarget = run.test ? { kind: 'test-id', testId: run.test.id } : requested;
  const frames = workspaceFrames(failure.frames, files);
  const unrunnable = cannotRun(run, failure, frames, files);
  if (unrunnable) {
    input.log?.warn({ test: input.test, framework: config.framework, reason: unrunnable }, 'The failing test could not be run: not recorded as an incident');
    throw new UsageError(`the test could not be run: ${unrunnable}. ${detectedAs(config)}`);
  }
  const type = failure.type ?? 'Error';
  const signature = makeSignature({ type, message: failure.message, frame: crashFrame(frames, files) });
  const testName = target.kind === 'test-id' ? target.testId : target.kind === 'command' ? target.command : target.file;
  const tags: Record<string, string> = { 'test.framework': config.framework, 'test.id': testName.slice(0, 1024) };
  if (failure.expected !== undefined) tags['assertion.expected'] = failure.expected.slice(0, 4096);
  if (failure.actual !== undefined) tags['assertion.actual'] = failure.actual.slice(0, 4096);
  const now = input.now ?? new Date();
  const delivery = createHash('sha256').update(`${testName}\0${input.repo?.commitSha ?? ''}\0${now.toISOString()}`).digest('hex').slice(0, 32);
  const alert = finalizeAlert({
    source: 'ci',
    deliveryId: `ci-${delivery}`,
    receivedAt: now.toISOString(),
    kind: 'test.failed',
    title: `${type}: ${failure.message.split('\n')[0] ?? ''}`,
    errorType: type,
    message: failure.message,
    exceptions: [{ type, message: failure.message, ...(failure.module ? { module: failure.module } : {}), frames, ...(failure.stack ? { rawStack: failure.stack } : {}) }],
    frames,
    ...(input.repo?.commitSha ? { commitSha: input.repo.commitSha } : {}),
    ...(input.repo?.url ? { repoHint: input.repo.url } : {}),
    tags,
    sourceRefs: { test: testName.slice(0, 1024), framework: config.framework },
  });
  input.log?.info({ test: testName, type }, 'Recorded a failing test as an incident');
  const testFile = run.test?.file || undefined;
  return { alert, failure, signature, target, ...(testFile ? { testFile } : {}) };
}

// Failures of the module system, not of the code: the test never got to run.
const NOT_FOUND = /No module named|Cannot find module|ERR_MODULE_NOT_FOUND|fixture '[^']*' not found/;

/**
 * Why a failure is the test not running rather than the code failing, or undefined. Such a failure
 * (the unittest loader's ModuleNotFoundError for a pytest id, a collection error, a traceback only
 * through the runner's own code) is never an incident's signature: the repair would chase it.
 */
export function cannotRun(run: TargetRun, failure: FailureDetails, frames: readonly Frame[], files: readonly string[]): string | undefined {
  const what = `${failure.type ? `${failure.type}: ` : ''}${failure.message.split('\n')[0] ?? ''}`.slice(0, 500);
  const inRepo = frames.some((f) => f.file !== undefined && files.includes(f.file));
  const test = run.test;
  if (test && test.status === 'error') {
    const fileLevel = test.id === test.file || test.name === test.file || /(^|\.)_FailedTest\b|unittest\.loader\./.test(test.id);
    if (fileLevel && (!inRepo || NOT_FOUND.test(what) || /^(SyntaxError|IndentationError)$/.test(failure.type ?? ''))) {
      return `${test.id} did not load (a collection or import error, not a failure of the code): ${what}`;
    }
    if (NOT_FOUND.test(what) && !inRepo) return `${test.id} errored before running: ${what}`;
  }
  if (frames.length > 0 && !inRepo) {
    return `every frame of the failure is outside the repository (${frames.at(-1)?.file ?? 'unknown'}…), so it is not the code's failure: ${what}`;
  }
  return undefined;
}

function detectedAs(config: RepoConfig): string {
  const why = config.detection?.evidence ?? config.framework;
  return `It ran as ${config.framework} with \`${config.test.command}\` (${why}); if that is wrong, set the test command in .tracefix.yml (test: { command: …, framework: … })`;
}

export interface ReproduceFromTestInput {
  sandbox: Sandbox;
  repoConfig: RepoConfig;
  signature: Signature;
  target: TestTarget;
  workspaceFiles: readonly string[];
  testFile?: string;
  log?: Logger;
}

/** The existing test through the gates: it must still fail with its recorded signature, N of N. */
export async function reproduceFromTest(input: ReproduceFromTestInput): Promise<Reproduction> {
  const { sandbox, repoConfig: config, target, signature, workspaceFiles } = input;
  const execute = async (): Promise<Execution> => {
    const started = Date.now();
    const run = await runTarget(sandbox, config, target);
    let observation: Observation;
    if (run.results && target.kind === 'test-id') {
      // The recorded id itself, never another failing test runTarget fell back to: every run must show it.
      observation = observe(run.results, target.testId, { workspaceFiles, ...(input.testFile ? { testFile: input.testFile } : {}) });
    } else if (run.passed) {
      observation = { kind: 'passed' };
    } else if (run.command?.timedOut) {
      observation = { kind: 'timeout' };
    } else {
      const f = failureOf(run);
      observation = f ? { kind: 'failed', ...(f.type ? { type: f.type } : {}), message: f.message, frame: crashFrame(workspaceFrames(f.frames, workspaceFiles), workspaceFiles) } : { kind: 'missing', ...(run.problem ? { detail: run.problem } : {}) };
    }
    // The test's own load failure is the bug here (a missing export, say), not a broken test.
    if (observation.kind === 'import-error') observation = { kind: 'failed', ...(observation.type ? { type: observation.type } : {}), message: observation.message, frame: signature.frame };
    const own = target.kind === 'test-id' && run.results ? run.results.tests.find((t) => t.id === target.testId) : run.test;
    const status = own?.status ?? (target.kind === 'test-id' && run.results ? (observation.kind === 'timeout' ? 'timeout' : 'missing') : run.passed ? 'passed' : observation.kind === 'timeout' ? 'timeout' : 'failed');
    return { observation, status, durationMs: run.results?.raw.durationMs ?? Date.now() - started };
  };
  const runs = gateRuns(config);
  const functionAt = await crashFunctions(sandbox, config, signature, workspaceFiles);
  const verdict = await gate(signature, execute, runs, { ...(input.log ? { log: input.log } : {}), ...(functionAt ? { functionAt } : {}) });
  const testId = target.kind === 'test-id' ? target.testId : target.kind === 'command' ? target.command : target.file;
  const attempt = {
    n: 1,
    strategy: 'existing-test' as const,
    ...(input.testFile ? { testFile: input.testFile } : {}),
    testId,
    runs: verdict.runs,
  };
  if (!verdict.passed) {
    return { status: 'not-reproduced', reason: `the failing test no longer fails the recorded way: ${verdict.reason}`, signature, attempts: [{ ...attempt, outcome: 'rejected', reason: verdict.reason }] };
  }
  return {
    status: 'reproduced',
    source: 'existing-test',
    framework: config.framework,
    ...(input.testFile ? { testFile: input.testFile } : {}),
    testId,
    signature,
    runs,
    attempts: [{ ...attempt, outcome: 'reproduced' }],
  };
}
