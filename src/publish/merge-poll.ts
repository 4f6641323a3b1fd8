// Without webhooks, what became of tracefix's open pull requests is asked of GitHub each pass
// (TRACEFIX_PR_POLL_INTERVAL_MS, in the recurrence worker), for every published PR, however many:
//  - per repository, its open pull requests are listed page by page (`GET /repos/{o}/{r}/pulls`,
//    state=open, 100 a page, following GitHub's Link header through Octokit's paginate()): a PR of
//    ours on that list is still open, which costs no request of its own;
//  - a PR of ours missing from the list was closed since the last pass (or moved between pages
//    while the list was read, which only costs it one read): `GET /repos/{o}/{r}/pulls/{n}` says
//    whether it was merged (`merged_at`, `merge_commit_sha`) or closed unmerged, recorded exactly as
//    the `pull_request` webhook records it (recordPullRequestOutcome), so the two can both run:
//    whichever sees it first records it, the other changes nothing.
import type { Queryable } from '../store/db.ts';
import type { Logger } from '../telemetry.ts';
import { githubStep, PublishError } from './errors.ts';
import type { GithubClient, GithubClients } from './github-client.ts';
import { recordPullRequestOutcome } from './pull-request-webhook.ts';

const PER_PAGE = 100;

export type PolledPull = { repo: string; number: number; result: 'merged' | 'closed' | 'open' | 'error'; runs: string[]; detail?: string };

function failure(error: unknown): string {
  return error instanceof PublishError ? error.message : error instanceof Error ? error.message.split('\n')[0]!.slice(0, 300) : String(error);
}

/** Published PRs, grouped by repository (as first spelled), the least recently updated first. */
async function publishedPulls(db: Queryable): Promise<Map<string, { repo: string; numbers: number[] }>> {
  const rows = await db.query<{ repo: string; pr_number: number | string }>(
    `select min(repo) as repo, pr_number from publications
      where state = 'published' and repo is not null and pr_number is not null
      group by lower(repo), pr_number order by min(updated_at), pr_number`,
  );
  const byRepo = new Map<string, { repo: string; numbers: number[] }>();
  for (const row of rows) {
    const key = row.repo.toLowerCase();
    const entry = byRepo.get(key) ?? { repo: row.repo, numbers: [] };
    entry.numbers.push(Number(row.pr_number));
    byRepo.set(key, entry);
  }
  return byRepo;
}

/** The numbers of the repository's open pull requests, every page of them. */
async function openPullNumbers(gh: GithubClient, repo: string, owner: string, name: string): Promise<Set<number>> {
  const numbers = await githubStep(repo, 'list the open pull requests', 'pull requests: read', () =>
    gh.paginate(gh.rest.pulls.list, { owner, repo: name, state: 'open', per_page: PER_PAGE }, (response) => response.data.map((pull) => pull.number)),
  );
  return new Set(numbers);
}

async function pollClosed(deps: { db: Queryable; log?: Logger }, gh: GithubClient, repo: string, owner: string, name: string, number: number): Promise<PolledPull> {
  const pull = await githubStep(repo, 'read the pull request', 'pull requests: read', async () => (await gh.rest.pulls.get({ owner, repo: name, pull_number: number })).data);
  // Reopened, or opened while the list was read.
  if (pull.state === 'open') return { repo, number, result: 'open', runs: [] };
  const merged = Boolean(pull.merged_at);
  const sha = merged && pull.merge_commit_sha && /^[0-9a-f]{40}$/.test(pull.merge_commit_sha) ? pull.merge_commit_sha : null;
  // GitHub computes the merge commit after the merge: a merged PR without it yet is asked again next pass.
  if (merged && !sha) return { repo, number, result: 'open', runs: [], detail: 'merged; merge commit not known yet' };
  const updated = await recordPullRequestOutcome(deps.db, { repo, number, merged, mergeCommitSha: sha, mergedAt: pull.merged_at ?? null });
  deps.log?.info({ repo, number, merged, runs: updated.length }, 'Pull request closed (polled)');
  return { repo, number, result: merged ? 'merged' : 'closed', runs: updated.map((u) => u.runId) };
}

export async function pollPullRequests(deps: { db: Queryable; clients: GithubClients; log?: Logger }): Promise<PolledPull[]> {
  const results: PolledPull[] = [];
  for (const { repo, numbers } of (await publishedPulls(deps.db)).values()) {
    const [owner = '', name = ''] = repo.split('/');
    let gh: GithubClient;
    let open: Set<number>;
    try {
      gh = await deps.clients.forRepo(owner, name);
      open = await openPullNumbers(gh, repo, owner, name);
    } catch (error) {
      // A repository that cannot be read (permission, gone, GitHub down) does not stop the others.
      const detail = failure(error);
      deps.log?.warn({ repo, pulls: numbers.length, detail }, 'Pull request poll failed for a repository; asked again next pass');
      for (const number of numbers) results.push({ repo, number, result: 'error', runs: [], detail });
      continue;
    }
    for (const number of numbers) {
      if (open.has(number)) {
        results.push({ repo, number, result: 'open', runs: [] });
        continue;
      }
      try {
        results.push(await pollClosed(deps, gh, repo, owner, name, number));
      } catch (error) {
        // One PR that cannot be read does not stop the others.
        const detail = failure(error);
        deps.log?.warn({ repo, number, detail }, 'Pull request poll failed; asked again next pass');
        results.push({ repo, number, result: 'error', runs: [], detail });
      }
    }
  }
  return results;
}
