// The offline template engine as a RepairEngine: candidates from generateCandidates() at the
// ranked locations, validated one by one in the engine's order until N are validated at the first
// one's location score (`repair.validatedCandidates`, default 3; validated-search.ts, which the
// benchmark shares) or the score drops; never every generated one.
import { REPO_CONFIG_DEFAULTS } from '../../schemas/repo-config.ts';
import type { Candidate as CandidateRecord } from '../../schemas/run.ts';
import { instrument } from '../telemetry.ts';
import { incidentEnv } from '../reproduce/index.ts';
import { candidatesFrom, generateCandidates, tierOf } from './templates/engine.ts';
import type { TemplateCandidate } from './templates/types.ts';
import { searchValidated } from './validated-search.ts';
import type { EngineContext, EngineResult, ProposedPatch, RepairEngine } from './types.ts';
import { searchValues } from './value-search/search.ts';
import { assertionNumbers } from './value-search/trials.ts';
import { isWrongOutput } from './wrong-output.ts';

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
  /** Search values and synthesize expressions when the templates validated nothing for a
   * wrong-output failure. @defaultValue true */
  valueSearch?: boolean;
  /** Time the value search may take (within `timeMs`). @defaultValue 180 s */
  valueSearchMs?: number;
  /** Validations of the value search's candidates, on top of `maxAttempts`. @defaultValue 10 */
  valueSearchAttempts?: number;
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

async function runValueSearch(context: EngineContext, files: ReadonlyMap<string, string>, timeMs: number): Promise<TemplateCandidate[]> {
  if (timeMs <= 0) return [];
  context.progress?.('value search: the templates validated nothing for a failing assertion; searching values at the top sites');
  try {
    const result = await searchValues({
      sandbox: context.sandbox,
      repoConfig: context.repoConfig,
      reproduction: context.reproduction,
      trackedFiles: context.trackedFiles,
      files,
      ranking: context.localization.ranking,
      language: context.repoConfig.language,
      expected: assertionNumbers(context.bundle.exception.message),
      env: incidentEnv(context.bundle),
      timeMs,
      ...(context.log ? { log: context.log } : {}),
      ...(context.progress ? { progress: context.progress } : {}),
    });
    for (const note of result.notes) context.progress?.(`value search: ${note}`);
    // Smallest change first, across sites: an expression fitted to a few evaluations is more likely
    // the intended one the less it rewrites (`3` → `grace_days` before a new 7-node return
    // expression), whatever the spectrum's order of the two lines.
    return candidatesFrom(result.raws, files, context.localization.ranking, context.repoConfig.language).sort((a, b) => a.size.chars - b.size.chars || b.locationScore - a.locationScore);
  } catch (error) {
    // The search is an extra: its failure (a sandbox error) leaves the templates' verdict as it is.
    context.log?.warn({ err: error instanceof Error ? error.message : String(error) }, 'The value search failed');
    return [];
  }
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
        const wanted = options.validatedCandidates ?? context.repoConfig.repair?.validatedCandidates ?? REPO_CONFIG_DEFAULTS.repair.validatedCandidates;
        const progressLine = (total: number) => (candidate: TemplateCandidate, record: CandidateRecord, tried: number) =>
          context.progress?.(`candidate ${tried}/${total} ${candidate.template} at ${candidate.file}:${candidate.line}: ${record.status}${record.reason ? ` (${record.reason.split('\n')[0]})` : ''}`);
        const templates = await searchValidated(generated, (candidate) => context.validate(toProposedPatch(candidate, generated.indexOf(candidate))), {
          wanted,
          maxAttempts,
          timeMs,
          ...(context.signal ? { signal: context.signal } : {}),
          onRecord: progressLine(generated.length),
        });
        const records = [...templates.records];
        let stopped = templates.stopped;
        // A wrong-output failure the templates did not fix: search values at the top sites, then
        // validate the synthesized expressions the same way (src/repair/value-search/).
        // Its candidates have their own allowance of validations: templates that used up theirs
        // (40 plausible-looking mutations) must not leave the search no turn.
        const timeLeft = timeMs - (performance.now() - started);
        const noneValidated = !records.some((r) => r.status === 'validated');
        if (noneValidated && options.valueSearch !== false && stopped !== 'aborted' && timeLeft > 0 && isWrongOutput(context.reproduction, context.repoConfig)) {
          const search = await runValueSearch(context, files, Math.min(options.valueSearchMs ?? 180_000, timeLeft));
          // The search's own order (the smallest change, then the expression that keeps most of
          // what the author wrote) is its judgement; selection would prefer a higher location score
          // or a shorter line (`grace_days > days_late` over `days_late <= grace_days`), which the
          // few evaluations the expressions were fitted to cannot tell apart: the first validated
          // one is the proposal (wanted: 1).
          const searched =
            search.length === 0
              ? { records: [], stopped: 'no expression synthesized' }
              : await searchValidated(search, (candidate) => context.validate(toProposedPatch(candidate, generated.length + search.indexOf(candidate))), {
                  wanted: 1,
                  maxAttempts: options.valueSearchAttempts ?? 10,
                  timeMs: timeMs - (performance.now() - started),
                  ...(context.signal ? { signal: context.signal } : {}),
                  onRecord: progressLine(search.length),
                });
          records.push(...searched.records);
          stopped = searched.stopped === 'validated' ? 'validated' : `${stopped}; value search: ${searched.stopped}`;
        }
        return { candidates: records, rootCauses: new Map(), stopped };
      }),
  };
}
