// The history a bisect searches: the first-parent chain of the incident's commit, read from the
// repository's mirror (src/workspace/mirror.ts), never from a workspace. First parent only, as
// `git bisect --first-parent`: a merged branch is one step (its merge commit), so the answer is a
// change as it landed on the main line, and the chain is a list that halves cleanly.
import type { BisectCommit } from '../../schemas/run.ts';
import { defaultGitEnv, git } from '../workspace/git.ts';
import { prepareMirror } from '../workspace/mirror.ts';
import { resolveSource, type RepoSource } from '../workspace/repo-source.ts';
import type { Logger } from '../telemetry.ts';

export interface History {
  mirrorDir: string;
  /** The incident's commit (full sha). */
  bad: string;
  /** First-parent chain from `bad` back, newest first: chain[0] = bad, chain[i] = bad~i. */
  chain: string[];
  describe(sha: string): Promise<BisectCommit>;
}

const SEP = '\x1f';

/**
 * Reads `bad` and up to `depth` first-parent ancestors (the mirror is fetched when it lacks `bad`).
 * `depth` bounds the chain read, not the search: the good end is chosen from it.
 */
export async function readHistory(input: { dataDir: string; repo: RepoSource; bad: string; depth: number; log?: Logger }): Promise<History> {
  const baseEnv = defaultGitEnv();
  const { mirrorDir, sha } = await prepareMirror(resolveSource(input.repo), input.bad, { dataDir: input.dataDir, baseEnv, log: input.log });
  const g = git(mirrorDir, { baseEnv, env: { GIT_DIR: mirrorDir } });
  const out = await g.raw(['rev-list', '--first-parent', `--max-count=${input.depth + 1}`, sha]);
  const chain = out.split('\n').map((l) => l.trim()).filter(Boolean);
  return {
    mirrorDir,
    bad: sha,
    chain,
    async describe(commit: string): Promise<BisectCommit> {
      const line = await g.raw(['show', '-s', '--no-show-signature', `--format=%H${SEP}%s${SEP}%an <%ae>${SEP}%aI`, commit]);
      const [full, subject, author, date] = line.trim().split(SEP);
      return { sha: full ?? commit, subject: (subject ?? '').slice(0, 1024), author: (author ?? '').slice(0, 512), date: date ?? '' };
    },
  };
}

/** A release's commit as alerts name it may be abbreviated: it matches a full sha by prefix. */
function matches(full: string, named: string): boolean {
  return named.length >= 7 && full.startsWith(named.toLowerCase());
}

/**
 * The good end from production: of the commits of releases that reported other failures but never
 * this fingerprint, the one nearest to `bad` on its first-parent chain (the newest such release
 * that the incident's commit descends from). `bad` itself never counts.
 */
export function releaseGoodEnd(chain: readonly string[], releases: readonly { commit: string; release: string }[]): { index: number; release: string } | undefined {
  for (let i = 1; i < chain.length; i++) {
    const sha = chain[i] as string;
    const hit = releases.find((r) => matches(sha, r.commit));
    if (hit) return { index: i, release: hit.release };
  }
  return undefined;
}
