// The pull request of an incident: found by its head branch (any state) and by the hidden marker
// in its body, created once, updated on later runs. GitHub's 422 "A pull request already exists"
// (another worker, or a retry after a crash, got there first) is treated as found.
import { commentMarker, incidentMarker } from './body.ts';
import { githubStep } from './errors.ts';
import type { GithubClient } from './github-client.ts';

const PULLS = 'pull requests: write';
const ISSUES = 'issues: write';

export interface PullRef {
  number: number;
  url: string;
  state: 'open' | 'closed';
  merged: boolean;
  mergeCommitSha: string | null;
  draft: boolean;
  headRef: string;
}

type PullData = { number: number; html_url: string; state: string; merged_at?: string | null; merge_commit_sha?: string | null; draft?: boolean; head: { ref: string }; body?: string | null };

function toRef(pull: PullData): PullRef {
  return {
    number: pull.number,
    url: pull.html_url,
    state: pull.state === 'open' ? 'open' : 'closed',
    merged: Boolean(pull.merged_at),
    mergeCommitSha: pull.merged_at ? (pull.merge_commit_sha ?? null) : null,
    draft: Boolean(pull.draft),
    headRef: pull.head.ref,
  };
}

/** The incident's PR: by head branch first (state=all), then by the marker among recent PRs. */
export async function findPullRequest(gh: GithubClient, owner: string, repo: string, branch: string, incidentId: string): Promise<PullRef | undefined> {
  const full = `${owner}/${repo}`;
  const byHead = await githubStep(full, 'list pull requests', PULLS, async () =>
    (await gh.rest.pulls.list({ owner, repo, head: `${owner}:${branch}`, state: 'all', per_page: 10 })).data,
  );
  // An open one first: a closed PR from an earlier run and an open one may share the branch.
  const sorted = [...byHead].sort((a, b) => Number(b.state === 'open') - Number(a.state === 'open'));
  if (sorted[0]) return toRef(sorted[0] as PullData);
  // The branch was renamed or deleted: the marker still names the incident.
  const marker = incidentMarker(incidentId);
  const recent = await githubStep(full, 'list pull requests', PULLS, async () =>
    (await gh.rest.pulls.list({ owner, repo, state: 'all', sort: 'updated', direction: 'desc', per_page: 100 })).data,
  );
  const found = recent.find((p) => (p.body ?? '').includes(marker));
  return found ? toRef(found as PullData) : undefined;
}

export interface OpenPullInput {
  owner: string;
  repo: string;
  branch: string;
  base: string;
  title: string;
  body: string;
  draft: boolean;
  incidentId: string;
}

/** Creates the PR, or finds the one GitHub says already exists. */
export async function createPullRequest(gh: GithubClient, input: OpenPullInput): Promise<{ pull: PullRef; created: boolean }> {
  const { owner, repo } = input;
  try {
    const { data } = await gh.rest.pulls.create({ owner, repo, head: input.branch, base: input.base, title: input.title, body: input.body, draft: input.draft, maintainer_can_modify: true });
    return { pull: toRef(data as PullData), created: true };
  } catch (error) {
    const e = error as { status?: number; response?: { data?: { errors?: { message?: string }[]; message?: string } } };
    const text = JSON.stringify(e.response?.data ?? {});
    if (e.status === 422 && /pull request already exists/i.test(text)) {
      const found = await findPullRequest(gh, owner, repo, input.branch, input.incidentId);
      if (found) return { pull: found, created: false };
    }
    return githubStep(`${owner}/${repo}`, 'open the pull request', PULLS, () => Promise.reject(error));
  }
}

export async function updatePullRequest(gh: GithubClient, owner: string, repo: string, number: number, fields: { title: string; body: string; reopen?: boolean }): Promise<PullRef> {
  return githubStep(`${owner}/${repo}`, 'update the pull request', PULLS, async () =>
    toRef((await gh.rest.pulls.update({ owner, repo, pull_number: number, title: fields.title, body: fields.body, ...(fields.reopen ? { state: 'open' as const } : {}) })).data as PullData),
  );
}

export async function addLabels(gh: GithubClient, owner: string, repo: string, number: number, labels: readonly string[]): Promise<void> {
  if (labels.length === 0) return;
  await githubStep(`${owner}/${repo}`, 'label the pull request', ISSUES, () => gh.rest.issues.addLabels({ owner, repo, issue_number: number, labels: [...labels] }));
}

/** Review requests are a courtesy: a reviewer GitHub refuses (not a collaborator) is reported, not fatal. */
export async function requestReviewers(gh: GithubClient, owner: string, repo: string, number: number, reviewers: readonly string[]): Promise<string | undefined> {
  if (reviewers.length === 0) return undefined;
  try {
    await gh.rest.pulls.requestReviewers({ owner, repo, pull_number: number, reviewers: [...reviewers] });
    return undefined;
  } catch (error) {
    return `reviewers were not requested: ${(error as Error).message.split('\n')[0]?.slice(0, 200)}`;
  }
}

/** One comment per incident on its GitHub issue, edited on later runs. Returns the comment's id. */
export async function upsertIssueComment(gh: GithubClient, issue: { owner: string; repo: string; number: number }, incidentId: string, text: string): Promise<number> {
  const full = `${issue.owner}/${issue.repo}`;
  const marker = commentMarker(incidentId);
  const body = `${text}\n\n${marker}\n`;
  const comments = await githubStep(full, 'read the issue comments', ISSUES, () =>
    gh.paginate(gh.rest.issues.listComments, { owner: issue.owner, repo: issue.repo, issue_number: issue.number, per_page: 100 }),
  );
  const mine = comments.find((c) => (c.body ?? '').includes(marker));
  if (mine) {
    if (mine.body !== body) await githubStep(full, 'edit the issue comment', ISSUES, () => gh.rest.issues.updateComment({ owner: issue.owner, repo: issue.repo, comment_id: mine.id, body }));
    return mine.id;
  }
  const created = await githubStep(full, 'comment on the issue', ISSUES, () => gh.rest.issues.createComment({ owner: issue.owner, repo: issue.repo, issue_number: issue.number, body }));
  return created.data.id;
}
