// The template engine's stopping rule, shared by the product (template-repair-engine.ts) and the
// benchmark's direct path (bench/repair/direct-pipeline.ts), so the benchmark reports what the
// product chooses: candidates are validated in the engine's order; the first validated one does
// not end the search at once, since candidates at the same location score may still be smaller or
// agree better with the contract, and selection wants alternatives; the search ends when `wanted`
// are validated or the location score drops below the first validated one's.
import type { Candidate as CandidateRecord } from '../../schemas/run.ts';
import type { TemplateCandidate } from './templates/types.ts';

export interface ValidatedSearchOptions {
  /** Validated candidates that end the search (`repair.validatedCandidates`, default 3). */
  wanted: number;
  /** Validations at most (absent: no limit). */
  maxAttempts?: number;
  /** Stop starting validations after this long (absent: no limit). */
  timeMs?: number;
  signal?: AbortSignal;
  /** Called after each validation (progress lines). */
  onRecord?: (candidate: TemplateCandidate, record: CandidateRecord, tried: number) => void;
}

export interface ValidatedSearchResult {
  /** Every candidate validated, in order, with its record. */
  records: CandidateRecord[];
  /** Why the search ended: validated, exhausted, aborted or the budget spent. */
  stopped: string;
}

export async function searchValidated(
  generated: readonly TemplateCandidate[],
  validate: (candidate: TemplateCandidate) => Promise<CandidateRecord>,
  options: ValidatedSearchOptions,
): Promise<ValidatedSearchResult> {
  const wanted = Math.max(1, options.wanted);
  const started = performance.now();
  const records: CandidateRecord[] = [];
  let validated = 0;
  let firstScore: number | undefined;
  let stopped = generated.length === 0 ? 'no template applies at the ranked locations' : 'exhausted';
  for (const candidate of generated) {
    if (options.signal?.aborted) {
      stopped = 'aborted';
      break;
    }
    if (firstScore !== undefined && (candidate.locationScore < firstScore || validated >= wanted)) {
      stopped = 'validated';
      break;
    }
    if (options.maxAttempts !== undefined && records.length >= options.maxAttempts) {
      stopped = `budget: ${options.maxAttempts} validations`;
      break;
    }
    if (options.timeMs !== undefined && performance.now() - started >= options.timeMs) {
      stopped = `budget: ${Math.round(options.timeMs / 1000)} s`;
      break;
    }
    const record = await validate(candidate);
    records.push(record);
    options.onRecord?.(candidate, record, records.length);
    if (record.status === 'validated') {
      validated++;
      firstScore ??= candidate.locationScore;
    }
  }
  if (firstScore !== undefined && stopped === 'exhausted') stopped = 'validated';
  return { records, stopped };
}
