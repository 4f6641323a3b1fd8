// The suite check: the full suite after the patch against the baseline taken before it. A test
// that failed before the patch and still fails is reported (preexistingFailures), never blamed on
// the patch; a test that passed before and now fails, or no longer runs, rejects it.
import type { TestCounts } from '../../../schemas/run.ts';
import type { TestResults } from '../../../schemas/test-results.ts';
import { countsOf } from '../../runners/results.ts';
import type { SuiteBaseline } from '../types.ts';
import { clip, nameSome, oneLine } from './clip.ts';
import type { Check } from './policy.ts';

export function failingIds(results: TestResults): string[] {
  return results.tests.filter((t) => t.status === 'failed' || t.status === 'error').map((t) => t.id);
}

export interface SuiteVerdict {
  check: Check;
  /** Tests that failed before the patch and still fail. */
  preexisting: string[];
  /** The counts of the run with the patch (absent when it gave no report). */
  counts?: TestCounts;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Judges one suite run. A run that timed out or ran out of memory is the patch's doing (the
 * baseline finished); a run without a usable report for any other reason says nothing about the
 * patch and is thrown (the candidate ends in `error`).
 */
export function judgeSuite(baseline: SuiteBaseline, results: TestResults): SuiteVerdict {
  if (results.problem) {
    if (results.raw.timedOut || results.raw.oomKilled) return { check: { name: 'suite', ok: false, detail: clip(oneLine(results.problem)) }, preexisting: [] };
    throw new Error(`the suite produced no usable report: ${clip(oneLine(results.problem), 1000)}`);
  }
  const counts = countsOf(results.summary);
  const baseCounts = baseline.results ? countsOf(baseline.results.summary) : undefined;
  const baseCollected = baseCounts?.collected ?? baseline.tests.length;
  const short: string[] = [];
  // Fewer tests than before is a gate failure in itself, whatever their ids: a patch that stops
  // files from being collected (or makes tests skip) must not pass on what is left.
  if (counts.collected < baseCollected) short.push(`the suite with the patch collected ${plural(counts.collected, 'test')}, fewer than the ${baseCollected} the baseline collected`);
  else if (baseCounts && counts.run < baseCounts.run) short.push(`the suite with the patch ran ${plural(counts.run, 'test')} (${counts.skipped} skipped), fewer than the ${baseCounts.run} the baseline ran`);
  const before = new Set(baseline.failing);
  const failing = failingIds(results);
  const preexisting = failing.filter((id) => before.has(id));
  const fresh = failing.filter((id) => !before.has(id));
  const ran = new Set(results.tests.map((t) => t.id));
  const vanished = baseline.tests.filter((id) => !before.has(id) && !ran.has(id));
  if (fresh.length > 0 || vanished.length > 0 || short.length > 0) {
    const parts: string[] = [...short];
    if (fresh.length > 0) {
      const first = results.tests.find((t) => t.id === fresh[0]);
      const failure = first?.failure ? clip(oneLine(`${first.failure.type ? `${first.failure.type}: ` : ''}${first.failure.message}`), 400) : '';
      const why = failure ? (fresh.length === 1 ? ` — ${failure}` : `; the first — ${failure}`) : '';
      parts.push(`${plural(fresh.length, 'test')} that passed before the patch now fail${fresh.length === 1 ? 's' : ''}: ${nameSome(fresh)}${why}`);
    }
    if (vanished.length > 0) parts.push(`${plural(vanished.length, 'test')} that ran before the patch no longer run${vanished.length === 1 ? 's' : ''}: ${nameSome(vanished)}`);
    return { check: { name: 'suite', ok: false, detail: clip(parts.join('; ')) }, preexisting, counts };
  }
  const s = results.summary;
  const healed = baseline.failing.filter((id) => ran.has(id) && !failing.includes(id));
  let detail = `${plural(counts.collected, 'test')} collected (baseline ${baseCollected}), ${counts.run} run: ${s.passed} passed, ${counts.failed} failed, ${s.skipped} skipped`;
  if (preexisting.length > 0) detail += `; ${preexisting.length} failed before the patch too (not blamed on it): ${nameSome(preexisting)}`;
  if (healed.length > 0) detail += `; ${healed.length} that failed before now pass${healed.length === 1 ? 'es' : ''}: ${nameSome(healed)}`;
  return { check: { name: 'suite', ok: true, detail: clip(detail) }, preexisting, counts };
}
