// publish(): one validated fix → one pull request, however often it is called. A plain async
// function: the BullMQ `publish` worker, `tracefix publish` and the GitHub Action all call it.
// Order matters: everything that can refuse (policy, a PR the team closed, a base the fix no longer
// validates on) is decided before anything is written to GitHub.
import type { Run } from '../../schemas/run.ts';
import type { Logger } from '../telemetry.ts';
import { commitMessage, pullRequestBody, splitPrMarkdown, type IncidentLinks } from './body.ts';
import { branchHead, buildCommit } from './commit.ts';
import { PublishError } from './errors.ts';
import type { GithubClients } from './github-client.ts';
import { decideFixPolicy } from './fix-policy.ts';
import type { Approval, PublishMode } from './policy.ts';
import { addLabels, createPullRequest, findPullRequest, requestReviewers, updatePullRequest, upsertIssueComment, type PullRef } from './pull-request.ts';

export type Revalidate = (input: { baseSha: string; base: string }) => Promise<{ ok: true } | { ok: false; reason: string }>;

export interface PublishInput {
  clients: GithubClients;
  /** `owner/name` of the repository the PR goes to. */
  repo: string;
  run: Run;
  diff: string;
  prMarkdown: string;
  test?: { path: string; content: Buffer };
  traceId?: string;
  links?: IncidentLinks;
  mode: PublishMode;
  approval?: Approval;
  /** Overrides .tracefix.yml's publish.base and the default branch. */
  base?: string;
  labels?: readonly string[];
  reviewers?: readonly string[];
  author?: { name: string; email: string };
  /** Where the whole run can be seen (the dashboard's page of the run). */
  evidenceUrl?: string;
  /** A person asked for this run: a PR the team closed without merging may be reopened. */
  rerunRequested?: boolean;
  /** The merge commit of this incident's fix that regressed (the recurrence watch): its merged PR
   * does not stop this run's fix, which gets a new PR. */
  regressedMergeSha?: string;
  /** Re-validates the patch and test on the base head (sandbox); without it a moved base is refused. */
  revalidate?: Revalidate;
  log?: Logger;
  /** Test seam: runs after the branch ref is moved and before the PR is looked at again. */
  afterRef?: () => Promise<void>;
}

export type PublishResult =
  | {
      status: 'published';
      action: 'created' | 'updated';
      pr: { number: number; url: string; draft: boolean };
      branch: string;
      base: string;
      baseSha: string;
      commitSha: string;
      revalidated: boolean;
      issueCommentId?: number;
      warnings: string[];
    }
  | { status: 'awaiting-approval' | 'off'; reason: string }
  | { status: 'not-published'; state: 'rejected' | 'merged' | 'stale'; reason: string; pr?: PullRef };

export function parseRepo(repo: string): { owner: string; name: string } {
  const m = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/.exec(repo.trim().replace(/\.git$/, ''));
  if (!m || m[2] === '.' || m[2] === '..') throw new PublishError('input', `not a GitHub repository name (owner/name): ${JSON.stringify(repo).slice(0, 200)}`);
  return { owner: m[1]!, name: m[2]! };
}

export function incidentBranch(incidentId: string): string {
  return `tracefix/${incidentId.replace(/[^A-Za-z0-9._-]/g, '-')}`;
}

function signatureLine(run: Run): string {
  const sig = run.reproduction?.status === 'reproduced' ? run.reproduction.signature : undefined;
  if (!sig) return 'unknown';
  return `${sig.type}: ${sig.normalizedMessage}${sig.frame ? ` at ${sig.frame.file}${sig.frame.function ? ` (${sig.frame.function})` : ''}` : ''}`;
}

export async function publish(input: PublishInput): Promise<PublishResult> {
  const { run, log } = input;
  const proposal = run.proposal;
  if (run.status !== 'fixed' || !proposal) throw new PublishError('input', `run ${run.id} is ${run.status}: only a fixed run has a fix to publish`);
  const { owner, name } = parseRepo(input.repo);
  const full = `${owner}/${name}`;
  const gh = await input.clients.forRepo(owner, name);
  const { settings, policy } = await decideFixPolicy(gh, owner, name, { mode: input.mode, run, diff: input.diff, test: input.test, approval: input.approval });
  if (policy.action === 'skip') return { status: 'off', reason: policy.why };
  if (policy.action === 'wait') return { status: 'awaiting-approval', reason: policy.why };

  const base = input.base ?? settings.publish?.base ?? settings.defaultBranch;
  const baseSha = await branchHead(gh, owner, name, base);
  if (!baseSha) throw new PublishError('input', `the base branch ${base} does not exist on ${full}`);
  const branch = incidentBranch(run.incident.id);
  const found = await findPullRequest(gh, owner, name, branch, run.incident.id);
  // The merged fix came back in production: this run's fix is a new PR, not "already merged".
  const existing = found?.merged && input.regressedMergeSha && found.mergeCommitSha === input.regressedMergeSha ? undefined : found;
  if (existing?.merged) {
    return { status: 'not-published', state: 'merged', reason: `PR #${existing.number} for this incident was already merged`, pr: existing };
  }
  if (existing?.state === 'closed' && !input.rerunRequested) {
    return {
      status: 'not-published',
      state: 'rejected',
      reason: `PR #${existing.number} for this incident was closed without merging: the team said no; it is not reopened unless a person asks for a re-run`,
      pr: existing,
    };
  }

  let revalidated = false;
  if (run.repo.commit !== baseSha) {
    if (!input.revalidate) {
      return { status: 'not-published', state: 'stale', reason: `${base} is at ${baseSha.slice(0, 12)}, not the incident's commit ${run.repo.commit?.slice(0, 12) ?? '(unknown)'}, and no sandbox is available to re-validate the fix there` };
    }
    log?.info({ base, baseSha, commit: run.repo.commit }, 'Base moved; re-validating the fix on its head');
    const verdict = await input.revalidate({ baseSha, base });
    if (!verdict.ok) {
      return { status: 'not-published', state: 'stale', reason: `the fix no longer validates on ${base} at ${baseSha.slice(0, 12)}: ${verdict.reason}; a re-run repairs at the new head` };
    }
    revalidated = true;
  }

  const title = proposal.title;
  const commit = await buildCommit(gh, {
    owner,
    repo: name,
    baseSha,
    diff: input.diff,
    ...(input.test ? { test: input.test } : {}),
    message: commitMessage({ title, incidentId: run.incident.id, traceId: input.traceId, signature: signatureLine(run) }),
    ...(input.author ? { author: input.author } : {}),
    branch,
  });
  log?.info({ branch, commit: commit.commitSha, reused: commit.reused }, 'Branch holds the fix');
  await input.afterRef?.();

  const body = pullRequestBody({
    incidentId: run.incident.id,
    runId: run.id,
    proposalBody: splitPrMarkdown(input.prMarkdown).body,
    targetRepo: full,
    base,
    defaultBranch: settings.defaultBranch,
    links: input.links ?? {},
    ...(input.evidenceUrl ? { evidenceUrl: input.evidenceUrl } : {}),
    ...(revalidated && run.repo.commit ? { revalidatedOn: { incidentCommit: run.repo.commit, baseSha } } : {}),
  });
  const warnings: string[] = [];
  let pull: PullRef;
  let action: 'created' | 'updated';
  if (existing) {
    pull = await updatePullRequest(gh, owner, name, existing.number, { title, body, reopen: existing.state === 'closed' });
    action = 'updated';
  } else {
    const opened = await createPullRequest(gh, { owner, repo: name, branch, base, title, body, draft: policy.draft, incidentId: run.incident.id });
    pull = opened.created ? opened.pull : await updatePullRequest(gh, owner, name, opened.pull.number, { title, body });
    action = opened.created ? 'created' : 'updated';
    if (opened.created) {
      const problem = await requestReviewers(gh, owner, name, pull.number, input.reviewers ?? []);
      if (problem) warnings.push(problem);
    }
  }
  await addLabels(gh, owner, name, pull.number, input.labels ?? []);

  let issueCommentId: number | undefined;
  const issue = input.links?.githubIssue;
  if (issue) {
    const [issueOwner, issueRepo] = issue.repo.split('/');
    if (issueOwner && issueRepo) {
      const text = `tracefix proposes a fix for this issue: ${pull.url}${revalidated ? ` (re-validated on \`${base}\`)` : ''}.`;
      const issueGh = issue.repo.toLowerCase() === full.toLowerCase() ? gh : await input.clients.forRepo(issueOwner, issueRepo);
      issueCommentId = await upsertIssueComment(issueGh, { owner: issueOwner, repo: issueRepo, number: issue.number }, run.incident.id, text);
    }
  }
  log?.info({ pr: pull.number, action, draft: pull.draft }, 'Pull request published');
  return {
    status: 'published',
    action,
    pr: { number: pull.number, url: pull.url, draft: pull.draft },
    branch,
    base,
    baseSha,
    commitSha: commit.commitSha,
    revalidated,
    ...(issueCommentId !== undefined ? { issueCommentId } : {}),
    warnings,
  };
}
