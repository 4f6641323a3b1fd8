// GitHub's `pull_request` webhook, action `closed`: the PR of a publication was merged (its merge
// commit sha recorded) or closed without merging (the team said no). Deliveries are verified by the
// webhook route before this runs; a PR that is not tracefix's updates nothing. A merge also records
// the fix's merge commit on the incident, which the recurrence watch classifies later alerts by.
// Without webhooks, merge-poll.ts finds the same outcome by polling and records it the same way.
import { z } from 'zod';
import type { Db, Queryable } from '../store/db.ts';
import { recordFixMerged } from '../store/fix-merge-store.ts';
import { recordPullRequestClosed } from '../store/publication-store.ts';

const PullRequestClosed = z.object({
  action: z.literal('closed'),
  pull_request: z.object({
    number: z.number().int().positive(),
    merged: z.boolean().nullish(),
    merge_commit_sha: z.string().regex(/^[0-9a-f]{40}$/).nullish(),
    merged_at: z.string().nullish(),
    head: z.object({ ref: z.string() }),
  }),
  repository: z.object({ full_name: z.string().max(300) }),
});

/** Returns the runs updated; [] for any other event or a PR tracefix did not open. */
export async function handlePullRequestEvent(db: Db, event: string | undefined, raw: Buffer): Promise<string[]> {
  if (event !== 'pull_request') return [];
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return [];
  }
  const parsed = PullRequestClosed.safeParse(body);
  if (!parsed.success || !parsed.data.pull_request.head.ref.startsWith('tracefix/')) return [];
  const { pull_request: pr, repository } = parsed.data;
  const updated = await recordPullRequestOutcome(db, {
    repo: repository.full_name,
    number: pr.number,
    merged: Boolean(pr.merged),
    mergeCommitSha: pr.merge_commit_sha ?? null,
    mergedAt: pr.merged_at ?? null,
  });
  return updated.map((u) => u.runId);
}

/**
 * A tracefix PR was closed, merged or not: the webhook and the PR poller (merge-poll.ts) both
 * record it here. A merged fix also starts the recurrence watch (src/recurrence/): the incident
 * becomes `merged`. Idempotent: a redelivery or a second poll changes nothing.
 */
export async function recordPullRequestOutcome(
  db: Queryable,
  input: { repo: string; number: number; merged: boolean; mergeCommitSha: string | null; mergedAt: string | null },
): Promise<{ runId: string; incidentId: string }[]> {
  const updated = await recordPullRequestClosed(db, input);
  if (input.merged && input.mergeCommitSha) {
    for (const incidentId of new Set(updated.map((u) => u.incidentId))) await recordFixMerged(db, incidentId, input.mergeCommitSha, input.mergedAt ?? new Date());
  }
  return updated;
}
