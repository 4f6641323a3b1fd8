// What the dashboard shows of publishing: the pull request of a run and the people's decisions on
// it, read from the publish stage's record (src/store/publication-store.ts), not from the run.
import type { Publication } from '../store/publication-store.ts';

export interface PullRequestView {
  url?: string;
  number?: number;
  state: string;
  branch?: string;
  mergeCommitSha?: string;
  reason?: string;
}

export interface ReviewView {
  decision: string;
  by: string | undefined;
  at: string | undefined;
  reason: string | undefined;
}

/** The PR, or where publishing stands (awaiting approval, off, not published and why). */
export function pullRequestOf(publication: Publication | null | undefined): PullRequestView | undefined {
  if (!publication) return undefined;
  return {
    state: publication.state,
    ...(publication.prUrl ? { url: publication.prUrl } : {}),
    ...(publication.prNumber !== null ? { number: publication.prNumber } : {}),
    ...(publication.branch ? { branch: publication.branch } : {}),
    ...(publication.mergeCommitSha ? { mergeCommitSha: publication.mergeCommitSha } : {}),
    ...(publication.reason ? { reason: publication.reason } : {}),
  };
}

export function reviewsOf(publication: Publication | null | undefined): ReviewView[] {
  if (!publication) return [];
  const out: ReviewView[] = [];
  if (publication.approvedBy) out.push({ decision: 'approved', by: publication.approvedBy, at: publication.approvedAt ?? undefined, reason: undefined });
  if (publication.rejectedBy) out.push({ decision: 'rejected', by: publication.rejectedBy, at: publication.rejectedAt ?? undefined, reason: publication.rejectReason ?? undefined });
  if (publication.state === 'merged') out.push({ decision: 'merged the PR of', by: 'GitHub', at: publication.closedAt ?? undefined, reason: undefined });
  if (publication.state === 'closed-unmerged') out.push({ decision: 'closed the PR without merging, of', by: 'GitHub', at: publication.closedAt ?? undefined, reason: undefined });
  return out;
}
