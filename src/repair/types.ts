// The repair core's contracts. Engines (the offline templates, the LLM agent) propose patches;
// validation judges every one of them the same way, whatever made it; selection picks among the
// validated ones; the proposal turns the choice into PR text. These types are the seams.
import type { Bundle } from '../../schemas/bundle.ts';
import type { RepoConfig } from '../../schemas/repo-config.ts';
import type { Candidate, Localization, Reproduced } from '../../schemas/run.ts';
import type { TestResults } from '../../schemas/test-results.ts';
import type { Sandbox } from '../sandbox/types.ts';
import type { Logger } from '../telemetry.ts';
import type { CrashSite } from './guards/types.ts';

export type EngineName = 'templates' | 'llm';

/** A patch some engine proposes, before validation. */
export interface ProposedPatch {
  /** Stable id (templates: template + content hash; llm: `llm-<attempt>-<n>`). */
  id: string;
  engine: EngineName;
  /** Template name and what it does, or the model's one-line summary. */
  description: string;
  /** Where the engine aimed (the ranked location), when it knows. */
  location?: { file: string; line?: number };
  /** Workspace-relative path → the file's full new content. Deleting files is not a repair. */
  files: ReadonlyMap<string, string>;
  /** The location's score in the ranking (0 when unknown); selection prefers higher. */
  locationScore: number;
  /** The template engine's ring of the patch's family (templates/engine.ts `tierOf`: 0 the narrow
   * families, then the wider ones); selection prefers a lower ring at the same location score.
   * Absent (an LLM patch): 0. */
  ring?: number;
  /** The patch's place in its engine's order (templates: location score, ring, size of the edit
   * itself, template preference); selection's last tie-break, so equally good patches are chosen
   * the way the engine ranked them, not by their content hash. */
  engineOrder?: number;
  /** The model's one-paragraph root cause (llm), or none (templates: the proposal writes one). */
  rootCause?: string;
}

/** The suite as it was before any patch, with the reproduction test in place. */
export interface SuiteBaseline {
  /** Test ids that failed (or errored) before the patch, the reproduction's own test excluded. */
  failing: readonly string[];
  /** Every test id that ran. */
  tests: readonly string[];
  /** Whether typecheck / lint (when configured) passed before the patch. */
  typecheck?: { ok: boolean; output: string };
  lint?: { ok: boolean; output: string };
  durationMs: number;
  /** The run itself, so localization can tell passing tests without running the suite again. */
  results?: TestResults;
}

/** Everything validation needs that does not change from one candidate to the next. */
export interface ValidationContext {
  sandbox: Sandbox;
  repoConfig: RepoConfig;
  reproduction: Reproduced;
  baseline: SuiteBaseline;
  /** Files tracked at the incident's commit (workspace-relative): existing tests are among them. */
  trackedFiles: readonly string[];
  /** The signature's crash frame mapped into the workspace, for the suppression guard. */
  crashSite?: CrashSite;
  /** Environment the incident ran under (TZ), passed to every test run. */
  env?: Record<string, string>;
  log?: Logger;
}

/** Validates one patch; the workspace is back at its pre-patch state when it returns. */
export type ValidateFn = (patch: ProposedPatch) => Promise<Candidate>;

/** What an engine gets to work with. */
export interface EngineContext {
  bundle: Bundle;
  sandbox: Sandbox;
  repoConfig: RepoConfig;
  reproduction: Reproduced;
  localization: Localization;
  trackedFiles: readonly string[];
  /** Validates a patch now (the agent's `submit` tool reports the verdict back to the model). */
  validate: ValidateFn;
  /** A directory of this run's for the engine's artifacts (the agent's transcript.json). */
  artifactsDir?: string;
  signal?: AbortSignal;
  log?: Logger;
  /** Progress lines for the CLI and the job's progress. */
  progress?: (message: string) => void;
}

/** What an engine hands back: every candidate it had validated, and why it stopped. */
export interface EngineResult {
  candidates: Candidate[];
  /** Patches proposed alongside each candidate id, for the proposal's root cause. */
  rootCauses: ReadonlyMap<string, string>;
  /** `validated`, `exhausted`, `budget: max turns`, `stuck: …`, … */
  stopped: string;
  /** Artifacts the engine wrote (the agent's transcript), by name. */
  artifacts?: Record<string, string>;
  /** Tokens and cost (llm). */
  usage?: { promptTokens: number; completionTokens: number; costUsd: number; calls: number };
}

export interface RepairEngine {
  readonly name: EngineName;
  run(context: EngineContext): Promise<EngineResult>;
}
