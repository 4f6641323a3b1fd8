// The offline template engine as a RepairEngine: candidates from generateCandidates() at the
// ranked locations, validated one by one in the engine's order until N are validated at the first
// one's location score (`repair.validatedCandidates`, default 3; validated-search.ts, which the
// benchmark shares) or the score drops; never every generated one.
import { REPO_CONFIG_DEFAULTS } from '../../schemas/repo-config.ts';
import { instrument } from '../telemetry.ts';
import { generateCandidates, tierOf } from './templates/engine.ts';
import type { TemplateCandidate } from './templates/types.ts';
import { searchValidated } from './validated-search.ts';
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

export function toProposedPatch(c: TemplateCandidate, engineOrder?: number): ProposedPatch {
  return {
    id: c.id,
    engine: 'templates',
    description: `${c.template}: ${c.description}`,
    location: { file: c.file, line: c.line },
    files: c.newContent,
    locationScore: c.locationScore,
    ring: tierOf(c.template),
    ...(engineOrder === undefined ? {} : { engineOrder }),
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
        const wanted = options.validatedCandidates ?? context.repoConfig.repair?.validatedCandidates ?? REPO_CONFIG_DEFAULTS.repair.validatedCandidates;
        const { records, stopped } = await searchValidated(generated, (candidate) => context.validate(toProposedPatch(candidate, generated.indexOf(candidate))), {
          wanted,
          maxAttempts,
          timeMs,
          ...(context.signal ? { signal: context.signal } : {}),
          onRecord: (candidate, record, tried) =>
            context.progress?.(`candidate ${tried}/${generated.length} ${candidate.template} at ${candidate.file}:${candidate.line}: ${record.status}${record.reason ? ` (${record.reason.split('\n')[0]})` : ''}`),
        });
        return { candidates: records, rootCauses: new Map(), stopped };
      }),
  };
}
