// Without webhooks, what became of tracefix's open pull requests is asked of GitHub: one
// `GET /repos/{o}/{r}/pulls/{n}` per open PR each pass (TRACEFIX_PR_POLL_INTERVAL_MS, in the
// recurrence worker). A merged PR (`merged_at`, `merge_commit_sha`) or one closed unmerged is
// recorded exactly as the `pull_request` webhook records it (recordPullRequestOutcome), so the two
// can both run: whichever sees it first records it, the other changes nothing.
import type { Queryable } from '../store/db.ts';
import type { Logger } from '../telemetry.ts';
import { githubStep, PublishError } from './errors.ts';
import type { GithubClients } from './github-client.ts';
import { recordPullRequestOutcome } from './pull-request-webhook.ts';

/** Open PRs asked about per pass; more wait for the next (the oldest first). */
const MAX_PER_PASS = 200;

export type PolledPull = { repo: string; number: number; result: 'merged' | 'closed' | 'open' | 'error'; runs: string[]; detail?: string };

export async function pollPullRequests(deps: { db: Queryable; clients: GithubClients; log?: Logger }): Promise<PolledPull[]> {
  const open = await deps.db.query<{ repo: string; pr_number: number | string }>(
    `select min(repo) as repo, pr_number from publications
      where state = 'published' and repo is not null and pr_number is not null
      group by lower(repo), pr_number order by min(updated_at) limit ${MAX_PER_PASS}`,
  );
  const results: PolledPull[] = [];
  for (const row of open) {
    const number = Number(row.pr_number);
    const [owner = '', name = ''] = row.repo.split('/');
    try {
      const gh = await deps.clients.forRepo(owner, name);
      const pull = await githubStep(row.repo, 'read the pull request', 'pull requests: read', async () => (await gh.rest.pulls.get({ owner, repo: name, pull_number: number })).data);
      if (pull.state === 'open') {
        results.push({ repo: row.repo, number, result: 'open', runs: [] });
        continue;
      }
      const merged = Boolean(pull.merged_at);
      const sha = merged && pull.merge_commit_sha && /^[0-9a-f]{40}$/.test(pull.merge_commit_sha) ? pull.merge_commit_sha : null;
      // GitHub computes the merge commit after the merge: a merged PR without it yet is asked again next pass.
      if (merged && !sha) {
        results.push({ repo: row.repo, number, result: 'open', runs: [], detail: 'merged; merge commit not known yet' });
        continue;
      }
      const updated = await recordPullRequestOutcome(deps.db, { repo: row.repo, number, merged, mergeCommitSha: sha, mergedAt: pull.merged_at ?? null });
      deps.log?.info({ repo: row.repo, number, merged, runs: updated.length }, 'Pull request closed (polled)');
      results.push({ repo: row.repo, number, result: merged ? 'merged' : 'closed', runs: updated.map((u) => u.runId) });
    } catch (error) {
      // One PR that cannot be read (permission, gone, GitHub down) does not stop the others.
      const detail = error instanceof PublishError ? error.message : error instanceof Error ? error.message.split('\n')[0]!.slice(0, 300) : String(error);
      deps.log?.warn({ repo: row.repo, number, detail }, 'Pull request poll failed; asked again next pass');
      results.push({ repo: row.repo, number, result: 'error', runs: [], detail });
    }
  }
  return results;
}
