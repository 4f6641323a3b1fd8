// A fix for a pull request's failing test, posted where its author works: one review on the pull
// request, each change to the PR's own lines a `suggestion` block (applied with one click), the
// changes GitHub cannot anchor (lines outside the PR's diff, new files) in the review's body as a
// diff, and a reproduction test the run wrote in the body too. The patch was made on the workflow's checkout
// of the PR, so its old-side line numbers are the head's (docs/github-action.md asks for the head
// to be checked out).
// The review obeys the same publish policy as a pull request (publish/fix-policy.ts): the `publish`
// input, and .tracefix.yml's publish mode, approvalPaths and minConfidence at the default branch.
// A fix the policy holds for a person's approval, or turns off, is not posted: the Action has no
// one to approve it, so it stays in the summary and the artifacts, with the reason. A review has
// no draft state: `draft` and `ready` both post it (its suggestions change nothing until applied).
import type { Run } from '../../schemas/run.ts';
import { cutMarkdown } from '../publish/body.ts';
import { githubStep } from '../publish/errors.ts';
import type { GithubClients } from '../publish/github-client.ts';
import { decideFixPolicy } from '../publish/fix-policy.ts';
import type { PublishMode } from '../publish/policy.ts';
import type { RunOutputs } from '../publish/run-outputs.ts';
import { code, escapeText, fence } from '../repair/proposal/index.ts';
import type { Logger } from '../telemetry.ts';
import { commentableLines, patchSuggestions, type ReviewComment } from './suggestions.ts';

const PULLS = 'pull requests: write';
/** GitHub's limit on a review body is 65,536 characters; room is kept for the footer. */
const BODY_BUDGET = 60_000;

export interface ReviewInput {
  clients: GithubClients;
  owner: string;
  repo: string;
  pullNumber: number;
  headSha: string;
  outputs: RunOutputs;
  /** The Action's `publish` input; .tracefix.yml may tighten it. */
  mode: PublishMode;
  log?: Logger;
}

export interface PostedReview {
  status: 'posted';
  url: string;
  suggestions: number;
  /** Patch sections that went into the body instead. */
  elsewhere: number;
}

/** The policy kept the review back: why (publishing off, or a person's approval needed). */
export interface HeldReview {
  status: 'off' | 'awaiting-approval';
  reason: string;
}

function reviewBody(run: Run, elsewhere: readonly string[], test: RunOutputs['test'], suggestions: number): string {
  const proposal = run.proposal!;
  const repro = run.reproduction?.status === 'reproduced' ? run.reproduction : undefined;
  const lines = [`**tracefix: ${escapeText(proposal.title)}**`, ''];
  if (repro) lines.push(`${code(repro.testId)} fails with ${code(`${repro.signature.type}: ${repro.signature.message}`)}; with this fix it passes and the suite stays green (${repro.runs} of ${repro.runs} runs).`, '');
  if (suggestions > 0) lines.push(`${suggestions === 1 ? 'One suggestion' : `${suggestions} suggestions`} below, on this pull request's lines: apply ${suggestions === 1 ? 'it' : 'them'} with "Commit suggestion".`, '');
  if (elsewhere.length > 0) lines.push(`Changes outside this pull request's diff (a suggestion can only sit on its lines), to apply by hand:`, '', fence(elsewhere.join('\n'), 'diff'));
  // A test the run wrote is new to the PR; a failing test of the PR's own is already there.
  if (test && repro?.source !== 'existing-test') lines.push(`<details><summary>the reproduction test, ${code(test.path)}</summary>`, '', fence(test.content.toString('utf8'), 'text'), '</details>', '');
  const { text, cut } = cutMarkdown(lines.join('\n').trimEnd(), BODY_BUDGET);
  return `${text}${cut ? '\n\n_Cut to fit GitHub\'s limit: the whole patch is in the workflow run\'s artifacts._' : ''}\n\n<sub>tracefix incident ${code(run.incident.id)}, run ${code(run.id)}</sub>\n`;
}

function toApi(c: ReviewComment) {
  return { path: c.path, body: c.body, line: c.line, side: 'RIGHT', ...(c.startLine !== undefined ? { start_line: c.startLine, start_side: 'RIGHT' } : {}) };
}

export async function postReview(input: ReviewInput): Promise<PostedReview | HeldReview> {
  const { owner, repo, pullNumber, outputs } = input;
  const full = `${owner}/${repo}`;
  const gh = await input.clients.forRepo(owner, repo);
  const { policy } = await decideFixPolicy(gh, owner, repo, { mode: input.mode, run: outputs.run, diff: outputs.diff, test: outputs.test });
  if (policy.action === 'skip') return { status: 'off', reason: policy.why };
  if (policy.action === 'wait') return { status: 'awaiting-approval', reason: policy.why };
  const files = await githubStep(full, 'list the pull request files', 'pull requests: read', () =>
    gh.paginate(gh.rest.pulls.listFiles, { owner, repo, pull_number: pullNumber, per_page: 100 }),
  );
  const { comments, elsewhere } = patchSuggestions(outputs.diff, commentableLines(files));
  const create = (anchored: ReviewComment[], rest: readonly string[]) =>
    githubStep(full, 'post the review', PULLS, async () =>
      (
        await gh.rest.pulls.createReview({
          owner,
          repo,
          pull_number: pullNumber,
          commit_id: input.headSha,
          event: 'COMMENT',
          body: reviewBody(outputs.run, rest, outputs.test, anchored.length),
          comments: anchored.map(toApi),
        })
      ).data,
    );
  try {
    const review = await create(comments, elsewhere);
    return { status: 'posted', url: review.html_url, suggestions: comments.length, elsewhere: elsewhere.length };
  } catch (error) {
    // GitHub refused a line (the head moved since the checkout): the whole patch goes in the body.
    if (comments.length === 0 || (error as { kind?: string }).kind !== 'input') throw error;
    input.log?.warn({ pull: pullNumber, comments: comments.length }, 'GitHub refused the suggestions; posting the patch in the review body');
    const review = await create([], [outputs.diff]);
    return { status: 'posted', url: review.html_url, suggestions: 0, elsewhere: 1 };
  }
}
