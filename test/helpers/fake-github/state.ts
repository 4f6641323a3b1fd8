// The fake GitHub's repositories: git objects, branches, issues and pull requests (one number
// space, as on GitHub), comments and labels. Tests seed it from local git repositories and read it
// back to check what was published.
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { GitObjects } from './git-objects.ts';

/** A command's trimmed stdout, with `input` on its stdin. */
function run(cmd: string, args: string[], input?: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`${cmd} ${args.join(' ')}: ${err.trim()}`))));
    child.stdin.end(input ?? Buffer.alloc(0));
  });
}

export interface FakePull {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  draft: boolean;
  head: string;
  base: string;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  labels: string[];
  reviewers: string[];
  reviews: FakeReview[];
  createdAt: string;
  updatedAt: string;
}

export interface FakeReview {
  id: number;
  login: string;
  body: string;
  /** PENDING when no event was given, as on GitHub. */
  state: 'COMMENTED' | 'APPROVED' | 'CHANGES_REQUESTED' | 'PENDING';
  commitId: string;
  comments: { path: string; body: string; line?: number; side?: string; startLine?: number; startSide?: string }[];
  submittedAt: string;
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
}

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  login: string;
  createdAt: string;
  updatedAt: string;
}

export interface FakeRepo {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  branches: Map<string, string>;
  pulls: Map<number, FakePull>;
  issues: Map<number, FakeIssue>;
  comments: Map<number, FakeComment>;
  labels: Set<string>;
  nextNumber: number;
}

let ids = 1000;

export class FakeGithubState {
  readonly git = new GitObjects();
  readonly repos = new Map<string, FakeRepo>();

  repo(full: string): FakeRepo | undefined {
    return this.repos.get(full.toLowerCase());
  }

  /** A repository with every branch and object of a local git repository. */
  async importRepo(full: string, dir: string, defaultBranch = 'main'): Promise<FakeRepo> {
    const branches = await this.git.importRepository(dir);
    const [owner, name] = full.split('/') as [string, string];
    const repo: FakeRepo = { id: ++ids, owner, name, defaultBranch, branches, pulls: new Map(), issues: new Map(), comments: new Map(), labels: new Set(), nextNumber: 1 };
    this.repos.set(full.toLowerCase(), repo);
    return repo;
  }

  /** Pushes: the local repository's new objects and branch heads (a base that moved). */
  async pushFrom(full: string, dir: string): Promise<void> {
    const repo = this.mustRepo(full);
    for (const [branch, sha] of await this.git.importRepository(dir)) repo.branches.set(branch, sha);
  }

  createIssue(full: string, fields: { title: string; body?: string }): number {
    const repo = this.mustRepo(full);
    const number = repo.nextNumber++;
    repo.issues.set(number, { number, title: fields.title, body: fields.body ?? '', state: 'open', labels: [] });
    return number;
  }

  /** A new commit on `branch` writing (or, with null, deleting) files: the base moves. */
  commitFiles(full: string, branch: string, files: Record<string, string | null>, message = 'moved on'): string {
    const repo = this.mustRepo(full);
    const parent = repo.branches.get(branch);
    if (!parent) throw new Error(`no branch ${branch}`);
    const flat = this.git.flatten(this.git.readCommit(parent)!.tree);
    for (const [p, content] of Object.entries(files)) {
      if (content === null) flat.delete(p);
      else flat.set(p, { mode: flat.get(p)?.mode ?? '100644', sha: this.git.put('blob', Buffer.from(content)) });
    }
    const who = { name: 'A Developer', email: 'dev@example.com', date: new Date().toISOString() };
    const sha = this.git.putCommit({ tree: this.git.buildTree(flat), parents: [parent], author: who, committer: who, message: `${message}\n` });
    repo.branches.set(branch, sha);
    return sha;
  }

  /** A pull request a person opened from `head` into `base` (branches of the repository). */
  openPull(full: string, fields: { head: string; base: string; title: string; body?: string }): FakePull {
    const repo = this.mustRepo(full);
    if (!repo.branches.has(fields.head) || !repo.branches.has(fields.base)) throw new Error(`no branch ${fields.head} or ${fields.base}`);
    const now = new Date().toISOString();
    const pull: FakePull = { number: repo.nextNumber++, title: fields.title, body: fields.body ?? '', state: 'open', draft: false, head: fields.head, base: fields.base, mergedAt: null, mergeCommitSha: null, labels: [], reviewers: [], reviews: [], createdAt: now, updatedAt: now };
    repo.pulls.set(pull.number, pull);
    return pull;
  }

  /** Closes a PR as a person would: merged (a merge commit on the base) or not. */
  closePull(full: string, number: number, merged: boolean): FakePull {
    const repo = this.mustRepo(full);
    const pull = repo.pulls.get(number);
    if (!pull) throw new Error(`no PR ${number}`);
    pull.state = 'closed';
    if (merged) {
      const base = repo.branches.get(pull.base)!;
      const head = repo.branches.get(pull.head)!;
      const who = { name: 'A Maintainer', email: 'maintainer@example.com', date: new Date().toISOString() };
      const sha = this.git.putCommit({ tree: this.git.readCommit(head)!.tree, parents: [base, head], author: who, committer: who, message: `Merge pull request #${number}\n` });
      repo.branches.set(pull.base, sha);
      pull.mergedAt = new Date().toISOString();
      pull.mergeCommitSha = sha;
    }
    pull.updatedAt = new Date().toISOString();
    return pull;
  }

  /** Writes every object and branch head into a local repository (`git push` from GitHub's side):
   * commits made through the API, merge commits of closed PRs, for a mirror that fetches them. */
  async exportTo(full: string, dir: string): Promise<void> {
    const repo = this.mustRepo(full);
    for (const [sha, object] of this.git.objects) {
      const written = await run('git', ['-C', dir, 'hash-object', '-w', '-t', object.type, '--stdin'], object.content);
      if (written !== sha) throw new Error(`git wrote ${object.type} ${sha} as ${written}`);
    }
    for (const [branch, sha] of repo.branches) await run('git', ['-C', dir, 'update-ref', `refs/heads/${branch}`, sha]);
  }

  mustRepo(full: string): FakeRepo {
    const repo = this.repo(full);
    if (!repo) throw new Error(`no repo ${full}`);
    return repo;
  }

  newId(): number {
    return ++ids + randomInt(1000);
  }
}
