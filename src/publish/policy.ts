// Whether a validated fix may become a PR now, and as what. TRACEFIX_PUBLISH sets the service's
// mode; a repository's .tracefix.yml can only tighten it (ready < draft < approval < off), and
// patches touching its `approvalPaths`, or whose confidence is below its `minConfidence`, always
// wait for a person.
import picomatch from 'picomatch';
import type { RepoConfigFile } from '../../schemas/repo-config.ts';

export type PublishMode = 'ready' | 'draft' | 'approval' | 'off';

const RANK: Record<PublishMode, number> = { ready: 0, draft: 1, approval: 2, off: 3 };
const CONFIDENCE = { low: 0, medium: 1, high: 2 } as const;

export interface Approval {
  by: string;
  at: string;
}

export type PolicyDecision =
  | { action: 'publish'; draft: boolean; why: string }
  | { action: 'wait'; why: string }
  | { action: 'skip'; why: string };

export function decidePolicy(input: {
  mode: PublishMode;
  repo: RepoConfigFile['publish'] | undefined;
  /** Files the patch and the test write. */
  files: readonly string[];
  approval?: Approval | undefined;
  /** The proposal's confidence (schemas/run.ts Confidence); absent counts as low. */
  confidence?: 'high' | 'medium' | 'low' | undefined;
}): PolicyDecision {
  const repoMode = input.repo?.mode;
  let mode: PublishMode = repoMode && RANK[repoMode] > RANK[input.mode] ? repoMode : input.mode;
  let why = repoMode && mode === repoMode && repoMode !== input.mode ? `.tracefix.yml sets publish: ${repoMode}` : `TRACEFIX_PUBLISH=${input.mode}`;
  const globs = input.repo?.approvalPaths ?? [];
  if (mode !== 'off' && globs.length > 0) {
    const match = picomatch(globs, { dot: true });
    const hit = input.files.find((f) => match(f));
    if (hit && RANK[mode] < RANK.approval) {
      mode = 'approval';
      why = `the patch touches ${hit}, which .tracefix.yml's publish.approvalPaths reserves for a person's approval`;
    }
  }
  const floor = input.repo?.minConfidence;
  const level = input.confidence ?? 'low';
  if (mode !== 'off' && floor && CONFIDENCE[level] < CONFIDENCE[floor] && RANK[mode] < RANK.approval) {
    mode = 'approval';
    why = `the fix's confidence is ${level}, below .tracefix.yml's publish.minConfidence: ${floor}`;
  }
  if (mode === 'off') return { action: 'skip', why: `publishing is off (${why})` };
  if (mode === 'approval') {
    // A person approved: the approval was the review, so the PR is opened ready for review.
    return input.approval ? { action: 'publish', draft: false, why: `approved by ${input.approval.by}` } : { action: 'wait', why: `waiting for a person's approval (${why})` };
  }
  return { action: 'publish', draft: mode === 'draft', why };
}
