// Selection among the validated candidates. Every validated candidate passed the same gates, so
// what is left to prefer is what the code says, where it aims and how much it changes:
//
//   0. agreement with the changed function's contract (implied > consistent > no value chosen >
//      silent > disagrees; src/repair/intent/);
//   1. no name orphaned: a patch that leaves a name the function read bound but unread threw away
//      something the author computed (orphaned-names.ts);
//   2. the best location score (the localizer's suspicion of the line the engine patched: a fix at
//      the crash site beats an equally green fix somewhere the evidence does not point);
//   3. the engine's ring (templates: the narrow families before the wider ones, as the engine
//      orders them; a one-line `break` must not outrank the off-by-one the engine tried first);
//   4. the smallest diff: added + removed lines;
//   5. the engine's own order when both patches have one (templates: the size of the edit itself,
//      then template preference; two edits of one line are the same size in diff lines, so
//      without it the content hash would decide), else changed characters (the text of the
//      changed lines), then the id, so the choice is the same on every run.
//
// The rest stay as alternatives, best first, for the reviewer. Rejected and errored candidates are
// never chosen and never alternatives.
import type { Candidate } from '../../schemas/run.ts';

export interface Selection {
  chosen: Candidate;
  /** Ids of the other validated candidates, best first. */
  alternatives: string[];
}

/** What selection needs of a proposed patch: its location score (see ProposedPatch) and, when
 * known, the names it leaves unread (orphaned-names.ts). */
export type ScoredPatch = { locationScore: number; orphanedNames?: readonly string[]; ring?: number; engineOrder?: number };

/** Characters on the diff's added and removed lines (markers and file headers excluded). */
export function changedChars(diff: string): number {
  let n = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ') || line.startsWith('--- ')) continue;
    if (line.startsWith('+') || line.startsWith('-')) n += line.length - 1;
  }
  return n;
}

/** Agreement with the changed function's contract (src/repair/intent/), best first; a candidate
 * nobody judged ranks as one that chooses no value. */
const AGREEMENT_RANK: Record<string, number> = { implied: 0, consistent: 1, 'no-value': 2, silent: 3, disagrees: 4, contradicts: 5 };
const agreementRank = (c: Candidate) => AGREEMENT_RANK[c.intent?.agreement ?? 'no-value'] ?? 2;

function compare(a: Candidate, b: Candidate, score: (c: Candidate) => number, orphans: (c: Candidate) => number, ring: (c: Candidate) => number, order: (c: Candidate) => number | undefined): number {
  // What the code's own contract says outranks where the patch aims and how small it is: the
  // smallest green patch is often the plausible-but-wrong one.
  const agreement = agreementRank(a) - agreementRank(b);
  if (agreement !== 0) return agreement;
  const orphaned = orphans(a) - orphans(b);
  if (orphaned !== 0) return orphaned;
  const s = score(b) - score(a);
  if (s !== 0) return s;
  const rings = ring(a) - ring(b);
  if (rings !== 0) return rings;
  const lines = a.stats.added + a.stats.removed - (b.stats.added + b.stats.removed);
  if (lines !== 0) return lines;
  const oa = order(a);
  const ob = order(b);
  if (oa !== undefined && ob !== undefined && oa !== ob) return oa - ob;
  const chars = changedChars(a.diff) - changedChars(b.diff);
  if (chars !== 0) return chars;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The best validated candidate and the others as alternatives; undefined when none validated.
 * Without `patchesById` (or for an id it lacks) a candidate's location score counts as 0.
 */
export function selectCandidate(candidates: readonly Candidate[], patchesById?: ReadonlyMap<string, ScoredPatch>): Selection | undefined {
  const score = (c: Candidate) => {
    const s = patchesById?.get(c.id)?.locationScore;
    return typeof s === 'number' && Number.isFinite(s) ? s : 0;
  };
  const orphans = (c: Candidate) => patchesById?.get(c.id)?.orphanedNames?.length ?? 0;
  const ring = (c: Candidate) => patchesById?.get(c.id)?.ring ?? 0;
  const order = (c: Candidate) => patchesById?.get(c.id)?.engineOrder;
  // One entry per id: an engine that validated the same patch twice offers one alternative.
  const byId = new Map<string, Candidate>();
  for (const c of candidates) if (c.status === 'validated' && !byId.has(c.id)) byId.set(c.id, c);
  const ranked = [...byId.values()].sort((a, b) => compare(a, b, score, orphans, ring, order));
  const [chosen, ...rest] = ranked;
  return chosen ? { chosen, alternatives: rest.map((c) => c.id) } : undefined;
}
