// The publish policy for one fix, as every way tracefix proposes a fix applies it: a pull request
// (publish.ts: the service, `tracefix publish`, the Action on an issue or a push) and the Action's
// review with suggestions on a pull request (src/action/review-step.ts). The repository's word is
// read at its default branch, never from the change under review, so a pull request cannot loosen
// the policy that governs the fix proposed on it.
import type { Run } from '../../schemas/run.ts';
import { patchPaths } from './apply-patch.ts';
import type { GithubClient } from './github-client.ts';
import { decidePolicy, type Approval, type PolicyDecision, type PublishMode } from './policy.ts';
import { readRepoSettings, type RepoSettings } from './repo-settings.ts';

export interface FixPolicyInput {
  mode: PublishMode;
  run: Run;
  diff: string;
  test?: { path: string } | undefined;
  approval?: Approval | undefined;
}

/** The repository's settings and what its policy decides for this fix. */
export async function decideFixPolicy(gh: GithubClient, owner: string, repo: string, input: FixPolicyInput): Promise<{ settings: RepoSettings; policy: PolicyDecision }> {
  const settings = await readRepoSettings(gh, owner, repo);
  const { after } = await patchPaths(input.diff);
  const files = [...after, ...(input.test ? [input.test.path] : [])];
  const policy = decidePolicy({ mode: input.mode, repo: settings.publish, files, approval: input.approval, confidence: input.run.proposal?.confidence?.level });
  return { settings, policy };
}
