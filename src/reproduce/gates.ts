// The reproduction gates. A candidate test counts only if it fails with the incident's signature
// (signature gate), and does so in every one of N runs (flake gate: N = .tracefix.yml
// flakeReruns, default 3): a test that fails only sometimes cannot tell a fix from luck. The first
// run that differs ends the gate with its reason.
import type { RepoConfig } from '../../schemas/repo-config.ts';
import type { GateRun, Signature } from '../../schemas/run.ts';
import type { TestResults } from '../../schemas/test-results.ts';
import { runTests } from '../runners/run-tests.ts';
import type { Sandbox } from '../sandbox/types.ts';
import type { Logger } from '../telemetry.ts';
import { functionIndex } from './function-index.ts';
import { observe } from './observe.ts';
import { matchSignature, type MatchOptions, type Observation } from './signature.ts';

export type GateResult = { passed: true; runs: GateRun[] } | { passed: false; reason: string; runs: GateRun[] };

/** One execution of the reproduction: what it showed and its raw status. */
export interface Execution {
  observation: Observation;
  status: GateRun['status'];
  durationMs: number;
}

/** The function index of the signature's crash file, for the gate's frame comparison. */
export async function crashFunctions(sandbox: Sandbox, config: RepoConfig, signature: Signature, workspaceFiles: readonly string[]): Promise<MatchOptions['functionAt']> {
  const file = signature.frame?.file;
  if (!file || !workspaceFiles.includes(file)) return undefined;
  return functionIndex(sandbox, config, [file]);
}

/** Runs under the gates never pass through --tb=auto: pytest's native tracebacks name every
 * frame's function, which the frame comparison needs. */
export function reproEnv(config: RepoConfig, extra: Record<string, string> = {}): Record<string, string> {
  return { ...extra, ...(config.framework === 'pytest' ? { PYTEST_ADDOPTS: '--tb=native' } : {}) };
}

export function gateRuns(config: RepoConfig): number {
  return Math.max(1, config.flakeReruns);
}

function observedOf(o: Observation): GateRun['observed'] {
  if (o.kind === 'failed') return { ...(o.type ? { type: o.type } : {}), message: o.message.slice(0, 8192), frame: o.frame };
  if (o.kind === 'import-error') return { ...(o.type ? { type: o.type } : {}), message: o.message.slice(0, 8192) };
  return undefined;
}

export interface GateOptions extends MatchOptions {
  log?: Logger;
}

/** Applies both gates over `runs` executions. */
export async function gate(signature: Signature, execute: () => Promise<Execution>, runs: number, options: GateOptions = {}): Promise<GateResult> {
  const { log } = options;
  const record: GateRun[] = [];
  for (let i = 1; i <= runs; i++) {
    const exec = await execute();
    const verdict = matchSignature(signature, exec.observation, options);
    const observed = observedOf(exec.observation);
    record.push({
      status: exec.status,
      match: verdict.match,
      ...(verdict.match ? {} : { reason: verdict.reason.slice(0, 2048) }),
      ...(observed ? { observed } : {}),
      durationMs: exec.durationMs,
    });
    if (!verdict.match) {
      log?.debug({ run: i, reason: verdict.reason }, 'Reproduction run does not match the signature');
      const reason = i === 1 ? verdict.reason : `flaky: failed with the signature in ${i - 1} of ${i} runs, then ${verdict.reason}`;
      return { passed: false, reason, runs: record };
    }
  }
  return { passed: true, runs: record };
}

export interface TestIdExecution {
  sandbox: Sandbox;
  config: RepoConfig;
  testId: string;
  /** Workspace-relative test file, to recognize a load failure of the file. */
  testFile?: string;
  workspaceFiles: readonly string[];
  env?: Record<string, string>;
  /** Called with each run's full results (for logs and the from-test path). */
  onResults?: (results: TestResults) => void;
}

/** An Execution that runs one test id through the repository's runner. */
export function testIdExecution(input: TestIdExecution): () => Promise<Execution> {
  return async () => {
    const results = await runTests(input.sandbox, input.config, { testIds: [input.testId], env: reproEnv(input.config, input.env) });
    input.onResults?.(results);
    const observation = observe(results, input.testId, {
      workspaceFiles: input.workspaceFiles,
      ...(input.testFile ? { testFile: input.testFile } : {}),
    });
    const test = results.tests.find((t) => t.id === input.testId);
    const status: GateRun['status'] = observation.kind === 'timeout' ? 'timeout' : (test?.status ?? 'missing');
    return { observation, status, durationMs: results.raw.durationMs };
  };
}
