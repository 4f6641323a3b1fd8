// The publish step (issue 14) records the pull request and the review decisions (approve / reject,
// by whom, when) on the run. This branch predates that schema, so the dashboard reads those fields
// leniently from the stored record: any of the likely keys, each parsed with a loose zod shape, and
// anything that does not parse is simply not shown. When schemas/run.ts gains the real fields, point
// PR_KEYS / REVIEW_KEYS at them (or parse with the real schema) — this is the one place to change.
import { z } from 'zod';

const PR_KEYS = ['publication', 'pullRequest', 'pr'] as const;
const REVIEW_KEYS = ['reviews', 'review', 'decisions', 'decision'] as const;

const PullRequest = z.looseObject({
  url: z.string().max(2048).optional(),
  htmlUrl: z.string().max(2048).optional(),
  number: z.number().int().optional(),
  state: z.string().max(64).optional(),
  draft: z.boolean().optional(),
  branch: z.string().max(512).optional(),
  mergeCommitSha: z.string().max(64).optional(),
  openedAt: z.string().max(64).optional(),
  mergedAt: z.string().max(64).optional(),
  reason: z.string().max(4096).optional(),
});
export type PullRequestView = z.infer<typeof PullRequest>;

const Review = z.looseObject({
  decision: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  by: z.string().max(256).optional(),
  actor: z.string().max(256).optional(),
  at: z.string().max(64).optional(),
  reason: z.string().max(4096).optional(),
});

export interface ReviewView {
  decision: string;
  by: string | undefined;
  at: string | undefined;
  reason: string | undefined;
}

export function pullRequestOf(record: unknown): PullRequestView | undefined {
  if (!record || typeof record !== 'object') return undefined;
  for (const key of PR_KEYS) {
    const parsed = PullRequest.safeParse((record as Record<string, unknown>)[key]);
    if (parsed.success && (parsed.data.url || parsed.data.htmlUrl || parsed.data.number !== undefined || parsed.data.state)) return parsed.data;
  }
  return undefined;
}

export function reviewsOf(record: unknown): ReviewView[] {
  if (!record || typeof record !== 'object') return [];
  for (const key of REVIEW_KEYS) {
    const value = (record as Record<string, unknown>)[key];
    const items = Array.isArray(value) ? value : value ? [value] : [];
    const out = items.flatMap((item) => {
      const parsed = Review.safeParse(item);
      const decision = parsed.success ? (parsed.data.decision ?? parsed.data.action) : undefined;
      return parsed.success && decision ? [{ decision, by: parsed.data.by ?? parsed.data.actor, at: parsed.data.at, reason: parsed.data.reason }] : [];
    });
    if (out.length) return out;
  }
  return [];
}
