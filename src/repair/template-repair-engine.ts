// The offline template engine as a RepairEngine: candidates from generateCandidates() at the
// ranked locations, validated one by one in the engine's order. The first validated candidate
// does not end the search at once: candidates at the same location score may still be smaller,
// and selection wants alternatives, so more at that score are tried, until N are validated
// (`repair.validatedCandidates`, default 3) or the score drops; never every generated one.
import { REPO_CONFIG_DEFAULTS } from '../../schemas/repo-config.ts';
import type { Candidate as CandidateRecord } from '../../schemas/run.ts';
import { instrument } from '../telemetry.ts';
import { generateCandidates } from './templates/engine.ts';
import type { TemplateCandidate } from './templates/types.ts';
import type { EngineContext, EngineResult, ProposedPatch, RepairEngine } from './types.ts';

export interface TemplateEngineOptions {
  /** Candidates generated (after ordering). @defaultValue 200 */
  maxCandidates?: number;
  /** Validations at most. @defaultValue 40 */
  maxAttempts?: number;
  /** Stop starting validations after this long. @defaultValue 20 minutes */
  timeMs?: number;
  /** Validated candidates that end the search (the first and its alternatives, at the first's
   * location score). Absent: the repository's `repair.validatedCandidates` (.tracefix.yml),
   * default 3. */
  validatedCandidates?: number;
}

export function toProposedPatch(c: TemplateCandidate): ProposedPatch {
  return {
    id: c.id,
    engine: 'templates',
    description: `${c.template}: ${c.description}`,
    location: { file: c.file, line: c.line },
    files: c.newContent,
    locationScore: c.locationScore,
  };
}

async function rankedFiles(context: EngineContext): Promise<Map<string, string>> {
  const tracked = new Set(context.trackedFiles);
  const files = new Map<string, string>();
  for (const loc of context.localization.ranking) {
    if (files.has(loc.file) || !tracked.has(loc.file)) continue;
    try {
      files.set(loc.file, await context.sandbox.readFile(loc.file));
    } catch (error) {
      context.log?.warn({ err: error, file: loc.file }, 'Cannot read a ranked file; skipping it');
    }
  }
  return files;
}

export function createTemplateEngine(options: TemplateEngineOptions = {}): RepairEngine {
  const maxAttempts = options.maxAttempts ?? 40;
  const timeMs = options.timeMs ?? 20 * 60_000;
  return {
    name: 'templates',
    run: (context) =>
      instrument('repair.templates', { 'tracefix.incident_id': context.bundle.incident.id }, async (): Promise<EngineResult> => {
        const files = await rankedFiles(context);
        const generated = await generateCandidates({
          files,
          ranking: context.localization.ranking,
          language: context.repoConfig.language,
          budget: { maxCandidates: options.maxCandidates ?? 200 },
          exec: context.sandbox.exec.bind(context.sandbox),
        });
        context.progress?.(`templates: ${generated.length} candidate patches at ${files.size} ranked file(s)`);
        const started = performance.now();
        const wanted = Math.max(1, options.validatedCandidates ?? context.repoConfig.repair?.validatedCandidates ?? REPO_CONFIG_DEFAULTS.repair.validatedCandidates);
        const records: CandidateRecord[] = [];
        let validated = 0;
        let firstScore: number | undefined;
        let stopped = generated.length === 0 ? 'no template applies at the ranked locations' : 'exhausted';
        for (const candidate of generated) {
          if (context.signal?.aborted) {
            stopped = 'aborted';
            break;
          }
          if (firstScore !== undefined && (candidate.locationScore < firstScore || validated >= wanted)) {
            stopped = 'validated';
            break;
          }
          if (records.length >= maxAttempts) {
            stopped = `budget: ${maxAttempts} validations`;
            break;
          }
          if (performance.now() - started >= timeMs) {
            stopped = `budget: ${Math.round(timeMs / 1000)} s`;
            break;
          }
          const record = await context.validate(toProposedPatch(candidate));
          records.push(record);
          context.progress?.(`candidate ${records.length}/${generated.length} ${candidate.template} at ${candidate.file}:${candidate.line}: ${record.status}${record.reason ? ` (${record.reason.split('\n')[0]})` : ''}`);
          if (record.status === 'validated') {
            validated++;
            firstScore ??= candidate.locationScore;
          }
        }
        if (firstScore !== undefined && stopped === 'exhausted') stopped = 'validated';
        return { candidates: records, rootCauses: new Map(), stopped };
      }),
  };
}
