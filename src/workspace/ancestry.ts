// Whether a commit production ran contains another commit (a merged fix): `git merge-base
// --is-ancestor` in the repository's mirror, fetching when the mirror does not have either commit
// yet (a release built after the last fetch). A commit the remote does not have either gives
// undefined: nothing can be said about that release.
import type { Logger } from '../telemetry.ts';
import { WorkspaceError } from './errors.ts';
import { defaultGitEnv, git } from './git.ts';
import { prepareMirror } from './mirror.ts';
import { resolveSource, type RepoSource } from './repo-source.ts';

export interface ContainsCommitInput {
  dataDir: string;
  repo: RepoSource;
  /** The commit looked for (the fix's merge commit). */
  ancestor: string;
  /** The commit that may contain it (a release's). */
  commit: string;
  log?: Logger;
}

export async function containsCommit(input: ContainsCommitInput): Promise<boolean | undefined> {
  const baseEnv = defaultGitEnv();
  const source = resolveSource(input.repo);
  const ctx = { dataDir: input.dataDir, baseEnv, log: input.log };
  let mirrorDir: string;
  let ancestor: string;
  let commit: string;
  try {
    ({ sha: ancestor } = await prepareMirror(source, input.ancestor, ctx));
    ({ mirrorDir, sha: commit } = await prepareMirror(source, input.commit, ctx));
  } catch (error) {
    if (error instanceof WorkspaceError) {
      input.log?.info({ commit: input.commit, reason: error.message }, 'Commit not in the repository; its release is not classified');
      return undefined;
    }
    throw error;
  }
  // `merge-base --is-ancestor` answers with its exit status alone, which simple-git does not
  // surface when stderr is empty: the merge base of the two is the ancestor exactly when it is one.
  const bases = await git(mirrorDir, { baseEnv, env: { GIT_DIR: mirrorDir } }).raw(['merge-base', '--all', ancestor, commit]);
  return bases.split('\n').map((l) => l.trim()).includes(ancestor);
}
