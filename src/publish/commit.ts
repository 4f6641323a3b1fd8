// The commit a PR proposes, built through the REST Git Data API from the run's outputs: blobs for
// every file the patch writes and for the reproduction test, a tree over the base commit's tree
// (`base_tree`), a commit on the base head, and the branch ref. Nothing is pushed with git: no token
// is in a remote URL, a git config or a process argument, and an App's commits are signed by
// GitHub. Content travels base64-encoded (binary-safe); modes come from the base tree and the patch.
import { applyPatch, patchPaths, type BlobMode, type OriginalFile } from './apply-patch.ts';
import { githubStep } from './errors.ts';
import type { GithubClient } from './github-client.ts';

export interface CommitInput {
  owner: string;
  repo: string;
  /** The commit the branch starts from (the base branch's head). */
  baseSha: string;
  diff: string;
  /** The reproduction test: workspace-relative path and content. */
  test?: { path: string; content: Buffer };
  message: string;
  author?: { name: string; email: string };
  /** Without `refs/heads/`. */
  branch: string;
}

export interface CommitResult {
  commitSha: string;
  treeSha: string;
  /** The branch already held this exact commit content: nothing was written. */
  reused: boolean;
  /** Every path the tree changes, with its new blob sha (null: deleted). */
  changes: { path: string; sha: string | null; mode: BlobMode }[];
}

type TreeEntry = { path: string; mode: string; type: string; sha: string };

const CONTENTS = 'contents: write';

/** Reads one path of a tree by walking its directories (a recursive listing may be truncated). */
function treeReader(gh: GithubClient, owner: string, repo: string, full: string) {
  const cache = new Map<string, Promise<TreeEntry[]>>();
  const list = (sha: string) => {
    let entries = cache.get(sha);
    if (!entries) {
      entries = githubStep(full, 'read the base tree', CONTENTS, async () => (await gh.rest.git.getTree({ owner, repo, tree_sha: sha })).data.tree as TreeEntry[]);
      cache.set(sha, entries);
    }
    return entries;
  };
  return async (rootSha: string, file: string): Promise<TreeEntry | undefined> => {
    const parts = file.split('/');
    let sha = rootSha;
    for (let i = 0; i < parts.length; i++) {
      const entry = (await list(sha)).find((e) => e.path === parts[i]);
      if (!entry) return undefined;
      if (i === parts.length - 1) return entry;
      if (entry.type !== 'tree') return undefined;
      sha = entry.sha;
    }
    return undefined;
  };
}

/** The base tree's blobs for the paths the patch reads. */
async function readOriginals(gh: GithubClient, input: CommitInput, rootTree: string, paths: readonly string[]) {
  const full = `${input.owner}/${input.repo}`;
  const lookup = treeReader(gh, input.owner, input.repo, full);
  const originals = new Map<string, OriginalFile>();
  const existing = new Set<string>();
  for (const file of paths) {
    const entry = await lookup(rootTree, file);
    if (!entry || entry.type !== 'blob') continue;
    existing.add(file);
    const blob = await githubStep(full, 'read a base file', CONTENTS, async () => (await gh.rest.git.getBlob({ owner: input.owner, repo: input.repo, file_sha: entry.sha })).data);
    originals.set(file, { content: Buffer.from(blob.content, blob.encoding === 'base64' ? 'base64' : 'utf8'), mode: entry.mode === '100755' ? '100755' : '100644' });
  }
  return { originals, existing };
}

export async function buildCommit(gh: GithubClient, input: CommitInput): Promise<CommitResult> {
  const { owner, repo } = input;
  const full = `${owner}/${repo}`;
  const base = await githubStep(full, 'read the base commit', CONTENTS, async () => (await gh.rest.git.getCommit({ owner, repo, commit_sha: input.baseSha })).data);
  const { before } = await patchPaths(input.diff);
  const { originals, existing } = await readOriginals(gh, input, base.tree.sha, before);
  const patched = await applyPatch(input.diff, originals);
  const files = new Map<string, { content: Buffer; mode: BlobMode } | null>(patched);
  if (input.test) files.set(input.test.path, { content: input.test.content, mode: '100644' });

  const changes: CommitResult['changes'] = [];
  for (const [path, file] of files) {
    if (!file) {
      // Deleting a path the base does not have would make GitHub reject the tree.
      if (existing.has(path)) changes.push({ path, sha: null, mode: originals.get(path)?.mode ?? '100644' });
      continue;
    }
    const blob = await githubStep(full, 'upload a file', CONTENTS, async () =>
      (await gh.rest.git.createBlob({ owner, repo, content: file.content.toString('base64'), encoding: 'base64' })).data,
    );
    changes.push({ path, sha: blob.sha, mode: file.mode });
  }
  const tree = await githubStep(full, 'create the tree', CONTENTS, async () =>
    (await gh.rest.git.createTree({ owner, repo, base_tree: base.tree.sha, tree: changes.map((c) => ({ path: c.path, mode: c.mode, type: 'blob' as const, sha: c.sha })) })).data,
  );

  const current = await branchHead(gh, owner, repo, input.branch);
  if (current) {
    const head = await githubStep(full, 'read the branch head', CONTENTS, async () => (await gh.rest.git.getCommit({ owner, repo, commit_sha: current })).data);
    // A retry after the ref was moved (or a re-run with the same fix on the same base): the
    // branch already says exactly this, so no second commit is made.
    if (head.tree.sha === tree.sha && head.parents.length === 1 && head.parents[0]?.sha === input.baseSha) {
      return { commitSha: head.sha, treeSha: tree.sha, reused: true, changes };
    }
  }
  const commit = await githubStep(full, 'create the commit', CONTENTS, async () =>
    (
      await gh.rest.git.createCommit({
        owner,
        repo,
        message: input.message,
        tree: tree.sha,
        parents: [input.baseSha],
        // Without an author GitHub uses the token's identity (the App's bot, whose commits it signs).
        ...(input.author ? { author: { name: input.author.name, email: input.author.email } } : {}),
      })
    ).data,
  );
  await githubStep(full, 'move the branch', CONTENTS, async () => {
    if (current) await gh.rest.git.updateRef({ owner, repo, ref: `heads/${input.branch}`, sha: commit.sha, force: true });
    else await gh.rest.git.createRef({ owner, repo, ref: `refs/heads/${input.branch}`, sha: commit.sha });
  });
  return { commitSha: commit.sha, treeSha: tree.sha, reused: false, changes };
}

/** The branch's head sha, or undefined when there is no such branch. */
export async function branchHead(gh: GithubClient, owner: string, repo: string, branch: string): Promise<string | undefined> {
  return githubStep(`${owner}/${repo}`, `read the branch ${branch}`, CONTENTS, async () => {
    try {
      return (await gh.rest.git.getRef({ owner, repo, ref: `heads/${branch}` })).data.object.sha;
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined;
      throw error;
    }
  });
}
