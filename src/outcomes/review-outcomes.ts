// Proposals approved / rejected / merged and the time from first alert to a merged PR. These come
// from the publish step's records (issue 14: review decisions and PR state on the run), which this
// branch does not have yet: until they land, every figure here is null ("not recorded"), never 0,
// so nobody reads "0 merged" as a fact.
//
// At merge with issue 14: replace the body of reviewOutcomes() with queries over its records
// (approved / rejected counts from the review decisions, merged count and mergedAt - first_seen per
// incident for timeToMergedPrSeconds). Nothing else in src/outcomes/ needs to change.
import type { Queryable } from '../store/db.ts';

export interface ReviewOutcomes {
  approved: number | null;
  rejected: number | null;
  merged: number | null;
  /** Per incident: seconds from its first alert to its merged PR. */
  timeToMergedPrSeconds: number[] | null;
}

export async function reviewOutcomes(_db: Queryable): Promise<ReviewOutcomes> {
  return { approved: null, rejected: null, merged: null, timeToMergedPrSeconds: null };
}
