// A wrong-output failure: a failing assertion (a CI test, a benchmark's test) rather than a crash.
// The repair stage and the template engine treat it differently: no input class on which the
// original failed (behaviour preservation does not apply), and a value search is worth its runs.
import type { RepoConfig } from '../../schemas/repo-config.ts';
import type { Reproduced } from '../../schemas/run.ts';
import { isTestPath } from '../reproduce/synthesize/naming.ts';

export function isWrongOutput(reproduction: Reproduced, repoConfig: RepoConfig): boolean {
  const failing = reproduction.signature;
  return /AssertionError/.test(failing.type) || (failing.frame !== null && isTestPath(repoConfig, failing.frame.file));
}
