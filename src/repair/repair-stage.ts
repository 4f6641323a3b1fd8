// The `repair` stage: a reproduced incident → localization, candidate patches from the engines,
// each validated the same way whatever made it, the selection, and the proposal. A plain async
// function over a prepared sandbox: the BullMQ worker and the CLI both call it.
import type { Bundle } from '../../schemas/bundle.ts';
import type { RepoConfig } from '../../schemas/repo-config.ts';
import type { Candidate, Localization, Proposal, Reproduced, TestingRecord } from '../../schemas/run.ts';
import type { TestResults } from '../../schemas/test-results.ts';
import { incidentEnv } from '../reproduce/index.ts';
import { countsOf } from '../runners/results.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { instrument, type Logger } from '../telemetry.ts';
import { findTestFiles } from '../workspace/index.ts';
import type { CrashSite } from './guards/types.ts';
import { localize } from './localize/index.ts';
import { confidenceOf } from './intent/index.ts';
import { contractRejection, intentOf } from './intent/gate.ts';
import { describePreservation, preserve } from './preserve/index.ts';
import { buildProposal } from './proposal/index.ts';
import { orphanedNames } from './orphaned-names.ts';
import { selectCandidate, type ScoredPatch } from './select.ts';
import type { EngineName, EngineResult, ProposedPatch, RepairEngine, SuiteBaseline } from './types.ts';
import { BaselineError, createValidator, suiteBaseline } from './validate/index.ts';
import { isWrongOutput } from './wrong-output.ts';

export interface RepairStageInput {
  bundle: Bundle;
  sandbox: Sandbox;
  repoConfig: RepoConfig;
  trackedFiles: readonly string[];
  reproduction: Reproduced;
  /** Tried in order; a later engine runs only when the earlier ones validated nothing. */
  engines: readonly RepairEngine[];
  /** Where engines write their artifacts (the agent's transcript). */
  artifactsDir?: string;
  signal?: AbortSignal;
  log?: Logger;
  progress?: (message: string) => void;
}

export interface RepairStageResult {
  status: 'fixed' | 'not-fixed';
  /** Why not fixed (absent when fixed). */
  reason?: string;
  /** Null when the run ended before localization (a baseline that ran nothing). */
  localization: Localization | null;
  candidates: Candidate[];
  proposal: Proposal | null;
  /** The framework, its detection and the baseline's counts, for the record. */
  testing?: TestingRecord;
  /** The engine of the chosen candidate, or the last engine that ran. */
  engine?: EngineName;
  usage?: EngineResult['usage'];
  artifacts: Record<string, string>;
}

/** What result.json says about the tests: framework, command, why, and the baseline's counts. */
export function testingRecord(repoConfig: RepoConfig, baseline?: TestResults): TestingRecord {
  return {
    framework: repoConfig.framework,
    command: repoConfig.test.command.slice(0, 4096),
    detection: (repoConfig.detection?.evidence ?? `${repoConfig.framework}${repoConfig.source.file ? ` (${repoConfig.source.file})` : ''}`).slice(0, 2048),
    ...(baseline ? { baseline: countsOf(baseline.summary) } : {}),
  };
}

/** The signature's crash frame as the suppression guard needs it (a workspace file and a line). */
export function crashSiteOf(reproduction: Reproduced, trackedFiles: readonly string[]): CrashSite | undefined {
  const frame = reproduction.signature.frame;
  if (!frame?.line || !trackedFiles.includes(frame.file)) return undefined;
  return { file: frame.file, line: frame.line, ...(frame.function ? { function: frame.function } : {}) };
}

export async function repairStage(input: RepairStageInput): Promise<RepairStageResult> {
  const { bundle, sandbox, repoConfig, trackedFiles, reproduction, log } = input;
  const progress = input.progress ?? (() => undefined);
  return instrument('repair', { 'tracefix.incident_id': bundle.incident.id }, async () => {
    const env = incidentEnv(bundle);
    progress('running the full suite before any patch (baseline)');
    let baseline: SuiteBaseline;
    try {
      const testFiles = findTestFiles(repoConfig, trackedFiles);
      baseline = await suiteBaseline({ sandbox, repoConfig, reproduction, testFiles, env, ...(log ? { log } : {}) });
    } catch (error) {
      // A suite that ran nothing ends the run: no candidate is validated against it.
      if (!(error instanceof BaselineError)) throw error;
      progress(`baseline failed: ${error.message}`);
      return { status: 'not-fixed', reason: error.message.slice(0, 4096), localization: null, candidates: [], proposal: null, artifacts: {}, testing: testingRecord(repoConfig) };
    }
    const testing = testingRecord(repoConfig, baseline.results);
    const b = testing.baseline;
    progress(`baseline: ${b ? `${b.collected} tests collected, ${b.run} run, ${b.passed} passed, ${b.skipped} skipped` : `${baseline.tests.length} tests`}, ${baseline.failing.length} already failing besides the reproduction`);
    progress('localizing: stack frames + spectrum of the reproduction against the passing tests');
    const workspaceFiles = reproduction.testFile && !trackedFiles.includes(reproduction.testFile) ? [...trackedFiles, reproduction.testFile] : trackedFiles;
    // The baseline's suite run tells localization which tests pass: the suite is not run twice.
    const localization = await localize({
      bundle,
      sandbox,
      repoConfig,
      workspaceFiles,
      reproTestId: reproduction.testId,
      ...(baseline.results ? { suite: baseline.results } : {}),
      ...(log ? { log } : {}),
    });
    const top = localization.ranking[0];
    progress(top ? `top suspicious location: ${top.file}:${top.line} (score ${top.score.toFixed(2)})` : 'no suspicious location in the workspace');
    const crashSite = crashSiteOf(reproduction, trackedFiles);
    const validator = createValidator({
      sandbox,
      repoConfig,
      reproduction,
      baseline,
      trackedFiles,
      ...(crashSite ? { crashSite } : {}),
      env,
      ...(log ? { log } : {}),
    });
    const wrongOutput = isWrongOutput(reproduction, repoConfig);
    // Selection ranks by the location each patch was aimed at, which the records do not carry.
    const patches = new Map<string, ScoredPatch>();
    const validate = async (patch: ProposedPatch): Promise<Candidate> => {
      patches.set(patch.id, patch);
      // The intent gate (src/repair/intent/): a candidate that contradicts the changed function's
      // own contract is rejected before any sandbox run; the others carry their judgement.
      const judged = await intentOf(sandbox, patch);
      if (judged) patches.set(patch.id, { ...patch, orphanedNames: orphanedNames(patch.files, judged.originals) });
      if (judged?.intent.agreement === 'contradicts') {
        progress(`candidate ${patch.id} contradicts the contract: ${judged.intent.reasons[0] ?? ''}`);
        return contractRejection(patch, judged);
      }
      const record = await validator(patch);
      const judgedRecord = judged ? { ...record, intent: judged.intent } : record;
      // A wrong-output incident (a failing assertion) has no input class on which the original
      // failed: every fix changes what it returns, so preservation would reject them all.
      if (record.status !== 'validated' || !judged || wrongOutput) return judgedRecord;
      // The behaviour preservation gate (src/repair/preserve/): only on a validated candidate,
      // one sandbox exec; the workspace is back to the original here.
      const preservation = await preserve({ sandbox, repoConfig, trackedFiles, bundle, failureType: reproduction.signature.type, files: patch.files, originals: judged.originals }).catch((error: unknown) => {
        log?.warn({ err: error instanceof Error ? error.message : String(error) }, 'Behaviour preservation gate failed to run');
        return undefined;
      });
      if (!preservation) return judgedRecord;
      const contradicted = preservation.docExamples?.contradicted ?? [];
      if (contradicted.length > 0) {
        const detail = `contradicts the function's doc examples: ${contradicted.join('; ')}`;
        return { ...judgedRecord, preservation, status: 'rejected', reason: detail.slice(0, 4096), checks: [...record.checks, { name: 'contract', ok: false, detail: detail.slice(0, 4096) }] };
      }
      if (preservation.changedOutside > 0 && judged.intent.agreement !== 'implied') {
        const detail = describePreservation(preservation);
        progress(`candidate ${patch.id} changes behaviour outside the failing input: ${detail}`);
        return { ...judgedRecord, preservation, status: 'rejected', reason: `changes behaviour outside the failing input class: ${detail}`.slice(0, 4096), checks: [...record.checks, { name: 'preservation', ok: false, detail: detail.slice(0, 4096) }] };
      }
      return { ...judgedRecord, preservation };
    };

    const candidates: Candidate[] = [];
    const rootCauses = new Map<string, string>();
    const artifacts: Record<string, string> = {};
    let usage: EngineResult['usage'];
    let lastEngine: EngineName | undefined;
    const stops: string[] = [];
    for (const engine of input.engines) {
      if (input.signal?.aborted) break;
      progress(`engine ${engine.name}`);
      lastEngine = engine.name;
      const result = await engine.run({
        bundle,
        sandbox,
        repoConfig,
        reproduction,
        localization,
        trackedFiles,
        validate,
        ...(input.artifactsDir ? { artifactsDir: input.artifactsDir } : {}),
        ...(input.signal ? { signal: input.signal } : {}),
        ...(log ? { log } : {}),
        progress,
      });
      candidates.push(...result.candidates);
      for (const [id, cause] of result.rootCauses) rootCauses.set(id, cause);
      Object.assign(artifacts, result.artifacts ?? {});
      if (result.usage) usage = result.usage;
      stops.push(`${engine.name}: ${result.stopped}`);
      if (result.candidates.some((c) => c.status === 'validated')) break;
    }

    const selection = selectCandidate(candidates, patches);
    if (!selection) {
      const rejected = candidates.filter((c) => c.status !== 'validated').length;
      const reason =
        input.engines.length === 0
          ? 'no repair engine is available'
          : `no candidate patch passed validation (${candidates.length} tried, ${rejected} rejected; ${stops.join('; ')})`;
      return { status: 'not-fixed', reason, localization, candidates, proposal: null, testing, ...(lastEngine ? { engine: lastEngine } : {}), ...(usage ? { usage } : {}), artifacts };
    }
    const { chosen, alternatives } = selection;
    const rootCause = rootCauses.get(chosen.id);
    const confidence = confidenceOf({ candidate: chosen, reproduction });
    const proposal = buildProposal({ bundle, reproduction, localization, baseline, testing, candidate: chosen, alternatives, confidence, ...(rootCause ? { rootCause } : {}) });
    progress(`fixed: ${chosen.description} (${alternatives.length} alternative${alternatives.length === 1 ? '' : 's'})`);
    return { status: 'fixed', localization, candidates, proposal, testing, engine: chosen.engine, ...(usage ? { usage } : {}), artifacts };
  });
}
