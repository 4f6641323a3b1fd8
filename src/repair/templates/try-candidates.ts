// Tries candidates in order until one validates or the budget ends. Validation itself (sandbox,
// suite, gates) belongs to the caller; this loop only keeps the order, the budget and the record.
import type { TemplateCandidate } from './types.ts';

/** What a validator says about one candidate; validators may add their own fields. */
export interface ValidationResult {
  valid: boolean;
  reason?: string;
}

export interface TryBudget {
  /** At most this many validations. */
  maxAttempts?: number;
  /** Stop starting new validations after this many milliseconds. */
  timeMs?: number;
  signal?: AbortSignal;
}

export interface Attempt<R extends ValidationResult> {
  candidate: TemplateCandidate;
  /** Absent when the validator threw (then `error` says why). */
  result?: R;
  error?: string;
  durationMs: number;
}

export interface TryOutcome<R extends ValidationResult> {
  /** The first candidate that validated, with its result. */
  validated?: { candidate: TemplateCandidate; result: R };
  attempts: Attempt<R>[];
  /** Why the loop ended. */
  stopped: 'validated' | 'exhausted' | 'attempts' | 'time' | 'aborted';
}

export async function tryCandidates<R extends ValidationResult>(
  candidates: readonly TemplateCandidate[],
  validate: (candidate: TemplateCandidate) => Promise<R>,
  budget: TryBudget = {},
): Promise<TryOutcome<R>> {
  const started = performance.now();
  const attempts: Attempt<R>[] = [];
  for (const candidate of candidates) {
    if (budget.signal?.aborted) return { attempts, stopped: 'aborted' };
    if (budget.maxAttempts !== undefined && attempts.length >= budget.maxAttempts) return { attempts, stopped: 'attempts' };
    if (budget.timeMs !== undefined && performance.now() - started >= budget.timeMs) return { attempts, stopped: 'time' };
    const t0 = performance.now();
    try {
      const result = await validate(candidate);
      attempts.push({ candidate, result, durationMs: Math.round(performance.now() - t0) });
      if (result.valid) return { validated: { candidate, result }, attempts, stopped: 'validated' };
    } catch (err) {
      // One candidate's infrastructure failure is recorded; the next candidate still gets its turn.
      attempts.push({ candidate, error: err instanceof Error ? err.message : String(err), durationMs: Math.round(performance.now() - t0) });
    }
  }
  return { attempts, stopped: 'exhausted' };
}
