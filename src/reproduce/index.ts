// The `reproduce` stage: bundle + workspace → a test that fails the way production failed, or the
// reason there is none. A plain async function: the BullMQ worker and the CLI both call it. The
// winning test stays in the workspace (repair validates against it); every other candidate file
// is removed again, so the workspace diff holds only the reproduction.
import type { Bundle } from '../../schemas/bundle.ts';
import type { RepoConfig } from '../../schemas/repo-config.ts';
import type { ReproAttempt, Reproduction } from '../../schemas/run.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { instrument, type Logger } from '../telemetry.ts';
import { crashFunctions, gate, gateRuns, testIdExecution } from './gates.ts';
import { signatureFromBundle } from './signature.ts';
import { synthesizeCandidates } from './synthesize/index.ts';
import { listWorkspaceFiles } from './workspace-paths.ts';

export { signatureFromBundle, matchSignature, makeSignature } from './signature.ts';
export type { Observation, SignatureMatch } from './signature.ts';
export { mapToWorkspace, listWorkspaceFiles } from './workspace-paths.ts';
export { incidentFromFailingTest, reproduceFromTest } from './from-test.ts';

export interface ReproduceInput {
  bundle: Bundle;
  /** The checkout on the host (mounted at /workspace in the sandbox). */
  workspaceDir: string;
  sandbox: Sandbox;
  repoConfig: RepoConfig;
  log?: Logger;
  /** Workspace files (workspace-relative); listed from workspaceDir when absent. */
  workspaceFiles?: readonly string[];
  /** At most this many candidate tests are run through the gates. @defaultValue 5 */
  maxCandidates?: number;
  /** At most this many searched inputs per frame when production recorded none; 0 turns the search
   * off (only recorded values are used). @defaultValue 12 */
  maxSearch?: number;
}

export type ReproduceResult = Reproduction;

/** Environment the incident ran under that changes behaviour without changing code. */
export function incidentEnv(bundle: Bundle): Record<string, string> {
  const tz = bundle.repro.env.tz;
  return tz && /^[A-Za-z0-9_+\-/]{1,64}$/.test(tz) ? { TZ: tz } : {};
}

async function removeFile(sandbox: Sandbox, file: string): Promise<void> {
  await sandbox.exec(['rm', '-f', '--', file], { timeoutMs: 30_000 }).catch(() => undefined);
}

export async function reproduce(input: ReproduceInput): Promise<ReproduceResult> {
  const { bundle, sandbox, repoConfig: config, log } = input;
  return instrument('reproduce', { 'tracefix.incident_id': bundle.incident.id, 'tracefix.framework': config.framework }, async () => {
    const workspaceFiles = input.workspaceFiles ?? (await listWorkspaceFiles(input.workspaceDir));
    const signature = signatureFromBundle(bundle, workspaceFiles);
    const attempts: ReproAttempt[] = [];
    if (!bundle.exception.type && !signature.frame) {
      return { status: 'not-reproduced', reason: 'the bundle has no exception to reproduce', signature: null, attempts };
    }
    const plans = await synthesizeCandidates({
      bundle,
      sandbox,
      config,
      workspaceFiles,
      ...(input.maxCandidates ? { maxCandidates: input.maxCandidates } : {}),
      ...(input.maxSearch !== undefined ? { maxSearch: input.maxSearch } : {}),
    });
    const runs = gateRuns(config);
    const functionAt = await crashFunctions(sandbox, config, signature, workspaceFiles);
    for (const plan of plans) {
      const n = attempts.length + 1;
      const frame = { index: plan.frame.index, file: plan.frame.file, function: plan.frame.function, ...(plan.frame.line ? { line: plan.frame.line } : {}) };
      if (plan.kind === 'skipped') {
        attempts.push({ n, strategy: 'frame-call', frame, outcome: 'skipped', reason: plan.reason, runs: [] });
        log?.info({ frame: `${frame.file}:${frame.function}`, reason: plan.reason }, 'Skipping frame');
        continue;
      }
      log?.info({ test: plan.testFile, call: plan.description }, 'Trying a candidate reproduction');
      await sandbox.writeFile(plan.testFile, plan.content);
      const execute = testIdExecution({ sandbox, config, testId: plan.testId, testFile: plan.testFile, workspaceFiles: [...workspaceFiles, plan.testFile], env: incidentEnv(bundle) });
      const verdict = await gate(signature, execute, runs, { ...(log ? { log } : {}), ...(functionAt ? { functionAt } : {}) });
      const base = { n, strategy: 'frame-call' as const, frame, testFile: plan.testFile, testId: plan.testId, arguments: plan.arguments, runs: verdict.runs };
      if (verdict.passed) {
        attempts.push({ ...base, outcome: 'reproduced' });
        log?.info({ test: plan.testFile, runs }, 'Reproduced the incident');
        return {
          status: 'reproduced',
          source: 'synthesized',
          framework: config.framework,
          testFile: plan.testFile,
          testId: plan.testId,
          testContent: plan.content,
          signature,
          runs,
          attempts,
        };
      }
      attempts.push({ ...base, outcome: 'rejected', reason: verdict.reason });
      log?.info({ test: plan.testFile, reason: verdict.reason }, 'Candidate reproduction rejected');
      await removeFile(sandbox, plan.testFile);
    }
    return { status: 'not-reproduced', reason: summarize(attempts), signature, attempts };
  });
}

/** One sentence for the run record: why nothing reproduced. */
function summarize(attempts: readonly ReproAttempt[]): string {
  const tried = attempts.filter((a) => a.outcome === 'rejected');
  if (attempts.length === 0) return 'no in-app frame to call: the stack has no frame in the repository';
  if (tried.length === 0) return `no test could be written: ${attempts.map((a) => `${a.frame?.function || a.frame?.file}: ${a.reason}`).join('; ')}`;
  const last = tried.at(-1) as ReproAttempt;
  return `no candidate test failed with the incident's signature (${tried.length} tried); last: ${last.frame?.function}: ${last.reason}`;
}
