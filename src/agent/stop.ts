// Why an agent attempt stopped, as a typed union rather than strings sorted by a regex. The words
// (`budget: max cost`, `stuck: …`) are made once, by stopText, for the transcript, the run record
// and the PR; endsRun decides from the kind alone whether another attempt could do better.

export type BudgetLimit = 'max turns' | 'max tokens' | 'max cost' | 'wall clock';

export type AttemptStop =
  /** A cap of the run's budget (or, for max turns, of this attempt) was reached. */
  | { kind: 'budget'; limit: BudgetLimit }
  /** The endpoint failed and retrying did not help. */
  | { kind: 'model-error'; message: string }
  | { kind: 'aborted' }
  /** The stuck detector's reason (`stuck: the same action …`). */
  | { kind: 'stuck'; reason: string }
  | { kind: 'gave-up'; reason: string }
  /** A tool ended the attempt because its goal was reached. */
  | { kind: 'goal'; goal: 'validated' | 'reproduced' }
  /** A tool ended the attempt because it allows no more tries (too many rejected submissions). */
  | { kind: 'exhausted'; reason: string }
  /** Something outside the model failed (validation could not run). */
  | { kind: 'error'; message: string };

export function budgetStop(limit: BudgetLimit): AttemptStop {
  return { kind: 'budget', limit };
}

export function stopText(stop: AttemptStop): string {
  switch (stop.kind) {
    case 'budget':
      return `budget: ${stop.limit}`;
    case 'model-error':
      return `model error: ${stop.message}`;
    case 'aborted':
      return 'aborted';
    case 'stuck':
    case 'gave-up':
      return stop.reason;
    case 'goal':
      return stop.goal;
    case 'exhausted':
      return `exhausted: ${stop.reason}`;
    case 'error':
      return `error: ${stop.message}`;
  }
}

/** Stops that end the run, not just the attempt: another attempt cannot do better. A turn cap is
 * per attempt, so a fresh attempt may still succeed. */
export function endsRun(stop: AttemptStop): boolean {
  switch (stop.kind) {
    case 'budget':
      return stop.limit !== 'max turns';
    case 'model-error':
    case 'aborted':
    case 'error':
      return true;
    default:
      return false;
  }
}
