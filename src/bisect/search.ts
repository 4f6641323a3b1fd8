// The search itself, `git bisect run` semantics over a list: commits[0] is good, commits[n] is bad,
// and the first bad commit is one of commits[1..n]. Each step tests the middle of what is left; a
// commit that cannot be tested is skipped (as `git bisect skip`) and its nearest untested
// neighbour inside the range is tried instead, so the search takes at most ⌈log2(n)⌉ + skips steps.
// Pure apart from `probe`: the clock and the commits come from the caller.

export type Verdict = 'good' | 'bad' | 'skip';

export interface ProbeResult {
  verdict: Verdict;
  reason?: string;
}

export type SearchOutcome =
  | { status: 'found'; index: number }
  /** Only skipped commits lie between the last good and the first known bad. */
  | { status: 'inconclusive'; candidates: number[] }
  /** The budget ran out first (or a probe was cut off): what is left. */
  | { status: 'exhausted'; candidates: number[] };

export interface SearchInput {
  /** Number of commits after the good end: commits[1..n]; commits[n] is the known bad one. */
  n: number;
  probe(index: number): Promise<ProbeResult | 'out-of-time'>;
  /** Checked before every step. */
  outOfTime(): boolean;
}

/** ⌈log2(n)⌉: the steps a search over n candidates needs without skips. */
export function stepBound(n: number): number {
  return n <= 1 ? 0 : Math.ceil(Math.log2(n));
}

/** The untested index nearest to the middle of (lo, hi), alternating sides (git's choice too). */
function pick(lo: number, hi: number, skipped: ReadonlySet<number>): number | undefined {
  const mid = Math.floor((lo + hi) / 2);
  for (let d = 0; mid - d > lo || mid + d < hi; d++) {
    for (const i of [mid - d, mid + d]) if (i > lo && i < hi && !skipped.has(i)) return i;
  }
  return undefined;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, k) => from + k);
}

export async function search(input: SearchInput): Promise<SearchOutcome> {
  let lo = 0;
  let hi = input.n;
  const skipped = new Set<number>();
  for (;;) {
    if (hi - lo <= 1) return { status: 'found', index: hi };
    const next = pick(lo, hi, skipped);
    if (next === undefined) return { status: 'inconclusive', candidates: range(lo + 1, hi) };
    if (input.outOfTime()) return { status: 'exhausted', candidates: range(lo + 1, hi) };
    const result = await input.probe(next);
    if (result === 'out-of-time') return { status: 'exhausted', candidates: range(lo + 1, hi) };
    if (result.verdict === 'bad') hi = next;
    else if (result.verdict === 'good') lo = next;
    else skipped.add(next);
  }
}
