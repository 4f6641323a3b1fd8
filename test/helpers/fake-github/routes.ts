// The fake GitHub's operations, by OpenAPI template: each reads or changes the state the way
// GitHub does, and answers with the fields of GitHub's response that clients read.
import { issueToken, type AuthOptions, type Caller } from './auth.ts';
import type { MatchedOperation } from './openapi.ts';
import { paginate } from './pagination.ts';
import { pullFiles, reviewCommentProblem, type ReviewCommentInput } from './pull-files.ts';
import type { FakeGithubState, FakePull, FakeRepo, FakeReview } from './state.ts';

export type Reply = { status: number; headers: Record<string, string>; body: unknown };
export interface Request {
  state: FakeGithubState;
  op: MatchedOperation;
  query: URLSearchParams;
  body: unknown;
  caller: Caller;
  baseUrl: string;
  /** The request's absolute URL (API prefix and query included), for the pages' Link header. */
  url: URL;
  collaborators: Record<string, Record<string, string>>;
  auth?: AuthOptions;
}

type Body = Record<string, unknown>;
const ok = (body: unknown, status = 200): Reply => ({ status, headers: {}, body });
/** A list endpoint's answer: one page of `all`, with GitHub's Link header. */
const listed = <T>(all: readonly T[], url: URL, json: (item: T) => unknown): Reply => {
  const page = paginate(all, url);
  return { status: 200, headers: page.headers, body: page.items.map(json) };
};
const fail = (status: number, message: string, errors?: unknown[]): Reply => ({
  status,
  headers: {},
  body: { message, documentation_url: 'https://docs.github.com/rest', status: String(status), ...(errors ? { errors } : {}) },
});
const LEGACY: Record<string, string> = { admin: 'admin', maintain: 'write', write: 'write', triage: 'read', read: 'read', none: 'none' };

function repoJson(repo: FakeRepo, baseUrl: string) {
  const full = `${repo.owner}/${repo.name}`;
  return { id: repo.id, name: repo.name, full_name: full, owner: { login: repo.owner, id: 1, type: 'Organization' }, private: true, default_branch: repo.defaultBranch, html_url: `${baseUrl}/${full}`, url: `${baseUrl}/repos/${full}` };
}

function pullJson(repo: FakeRepo, pull: FakePull, baseUrl: string) {
  const full = `${repo.owner}/${repo.name}`;
  return {
    id: pull.number + repo.id * 100_000,
    number: pull.number,
    state: pull.state,
    draft: pull.draft,
    title: pull.title,
    body: pull.body,
    html_url: `${baseUrl}/${full}/pull/${pull.number}`,
    url: `${baseUrl}/repos/${full}/pulls/${pull.number}`,
    head: { ref: pull.head, sha: repo.branches.get(pull.head) ?? null, label: `${repo.owner}:${pull.head}` },
    base: { ref: pull.base, sha: repo.branches.get(pull.base) ?? null, label: `${repo.owner}:${pull.base}` },
    merged: Boolean(pull.mergedAt),
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    labels: pull.labels.map((name) => ({ name })),
    requested_reviewers: pull.reviewers.map((login) => ({ login })),
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
  };
}

function commitJson(state: FakeGithubState, sha: string) {
  const c = state.git.readCommit(sha)!;
  return { sha, tree: { sha: c.tree }, parents: c.parents.map((p) => ({ sha: p })), message: c.message, author: c.author, committer: c.committer, verification: { verified: false, reason: 'unsigned' } };
}

export function handle(req: Request): Reply {
  const { state, op, body, baseUrl } = req;
  const b = (body ?? {}) as Body;
  const p = op.params;
  const key = `${op.method} ${op.template}`;
  if (key === 'get /repos/{owner}/{repo}/collaborators/{username}/permission') {
    const role = req.collaborators[`${p.owner}/${p.repo}`]?.[p.username ?? ''];
    if (!role) return fail(404, 'Not Found');
    return ok({ permission: LEGACY[role], role_name: role, user: { login: p.username, id: 1, type: 'User', site_admin: false, role_name: role } });
  }
  if (key === 'post /app/installations/{installation_id}/access_tokens') {
    const issued = issueToken(req.auth ?? {}, Number(p.installation_id), b.repositories as string[] | undefined);
    if (!issued) return fail(404, 'Not Found');
    return ok({ token: issued.token, expires_at: new Date(issued.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'), permissions: issued.permissions, repository_selection: 'selected' }, 201);
  }
  const full = `${p.owner}/${p.repo}`;
  const repo = state.repo(full);
  if (!repo) return fail(404, 'Not Found');
  if (key === 'get /repos/{owner}/{repo}/installation') {
    const installation = req.auth?.app?.installations[full] ?? Object.entries(req.auth?.app?.installations ?? {}).find(([k]) => k.toLowerCase() === full.toLowerCase())?.[1];
    return installation ? ok({ id: installation.id, account: { login: repo.owner }, app_id: Number(req.auth?.app?.id) }) : fail(404, 'Not Found');
  }
  switch (key) {
    case 'get /repos/{owner}/{repo}':
      return ok(repoJson(repo, baseUrl));
    case 'get /repos/{owner}/{repo}/contents/{path}': {
      const ref = req.query.get('ref') ?? repo.defaultBranch;
      const sha = repo.branches.get(ref) ?? (state.git.get(ref, 'commit') ? ref : undefined);
      const entry = sha ? state.git.flatten(state.git.readCommit(sha)!.tree).get(p.path ?? '') : undefined;
      if (!entry) return fail(404, 'Not Found');
      const content = state.git.get(entry.sha)!.content;
      return ok({ type: 'file', encoding: 'base64', size: content.length, name: p.path!.split('/').at(-1), path: p.path, sha: entry.sha, content: content.toString('base64') });
    }
    case 'get /repos/{owner}/{repo}/git/ref/{ref}': {
      const branch = p.ref!.replace(/^heads\//, '');
      const sha = p.ref!.startsWith('heads/') ? repo.branches.get(branch) : undefined;
      return sha ? ok({ ref: `refs/${p.ref}`, object: { sha, type: 'commit' } }) : fail(404, 'Not Found');
    }
    case 'post /repos/{owner}/{repo}/git/refs': {
      const ref = String(b.ref);
      if (!ref.startsWith('refs/heads/')) return fail(422, 'Reference name must start with refs/heads/');
      if (!state.git.get(String(b.sha), 'commit')) return fail(422, 'Object does not exist');
      if (repo.branches.has(ref.slice(11))) return fail(422, 'Reference already exists');
      repo.branches.set(ref.slice(11), String(b.sha));
      return ok({ ref, object: { sha: b.sha, type: 'commit' } }, 201);
    }
    case 'patch /repos/{owner}/{repo}/git/refs/{ref}': {
      const branch = p.ref!.replace(/^heads\//, '');
      const current = repo.branches.get(branch);
      if (!current) return fail(422, 'Reference does not exist');
      if (!state.git.get(String(b.sha), 'commit')) return fail(422, 'Object does not exist');
      if (!b.force && !state.git.readCommit(String(b.sha))!.parents.includes(current)) return fail(422, 'Update is not a fast forward');
      repo.branches.set(branch, String(b.sha));
      return ok({ ref: `refs/heads/${branch}`, object: { sha: b.sha, type: 'commit' } });
    }
    case 'get /repos/{owner}/{repo}/git/commits/{commit_sha}':
      return state.git.get(p.commit_sha!, 'commit') ? ok(commitJson(state, p.commit_sha!)) : fail(404, 'Not Found');
    case 'post /repos/{owner}/{repo}/git/commits': {
      if (!state.git.get(String(b.tree), 'tree')) return fail(422, 'Tree SHA does not exist');
      const parents = (b.parents as string[] | undefined) ?? [];
      if (parents.some((s) => !state.git.get(s, 'commit'))) return fail(422, 'Parent SHA does not exist or is not a commit object');
      const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const identity = req.caller.kind === 'installation' ? { name: 'tracefix[bot]', email: '1+tracefix[bot]@users.noreply.github.com' } : { name: 'Octo User', email: 'octo@example.com' };
      const author = { ...identity, date: now, ...(b.author as object) };
      const sha = state.git.putCommit({ tree: String(b.tree), parents, author, committer: { ...identity, date: now, ...(b.committer as object) }, message: String(b.message) });
      return ok(commitJson(state, sha), 201);
    }
    case 'get /repos/{owner}/{repo}/git/trees/{tree_sha}': {
      const entries = state.git.readTree(p.tree_sha!);
      if (!entries) return fail(404, 'Not Found');
      return ok({ sha: p.tree_sha, truncated: false, tree: entries.map((e) => ({ path: e.name, mode: e.mode === '40000' ? '040000' : e.mode, type: e.mode === '40000' ? 'tree' : 'blob', sha: e.sha })) });
    }
    case 'post /repos/{owner}/{repo}/git/trees': {
      const files = b.base_tree ? state.git.flatten(String(b.base_tree)) : new Map<string, { mode: string; sha: string }>();
      if (b.base_tree && !state.git.get(String(b.base_tree), 'tree')) return fail(422, 'base_tree is not a valid tree oid');
      for (const e of b.tree as { path: string; mode: string; type: string; sha?: string | null; content?: string }[]) {
        if (e.sha === null) {
          if (!files.delete(e.path)) return fail(422, `GitHub could not delete ${e.path}: it is not in the base tree`);
          continue;
        }
        const sha = e.content !== undefined ? state.git.put('blob', Buffer.from(e.content)) : String(e.sha);
        if (!state.git.get(sha, 'blob')) return fail(422, `tree.sha ${sha} is not a valid blob`);
        files.set(e.path, { mode: e.mode, sha });
      }
      const sha = state.git.buildTree(files);
      return ok({ sha, truncated: false, tree: [] }, 201);
    }
    case 'get /repos/{owner}/{repo}/git/blobs/{file_sha}': {
      const blob = state.git.get(p.file_sha!, 'blob');
      return blob ? ok({ sha: p.file_sha, size: blob.content.length, encoding: 'base64', content: blob.content.toString('base64') }) : fail(404, 'Not Found');
    }
    case 'post /repos/{owner}/{repo}/git/blobs': {
      const content = b.encoding === 'base64' ? Buffer.from(String(b.content), 'base64') : Buffer.from(String(b.content), 'utf8');
      return ok({ sha: state.git.put('blob', content), url: `${baseUrl}/repos/${full}/git/blobs` }, 201);
    }
    case 'get /repos/{owner}/{repo}/pulls': {
      const stateFilter = req.query.get('state') ?? 'open';
      const head = req.query.get('head');
      let pulls = [...repo.pulls.values()].filter((x) => stateFilter === 'all' || x.state === stateFilter);
      if (head) pulls = pulls.filter((x) => `${repo.owner}:${x.head}`.toLowerCase() === head.toLowerCase());
      // GitHub: sort by created (the default) or updated; direction desc by default when sorting by created, asc otherwise.
      const sort = req.query.get('sort') ?? 'created';
      const sign = (req.query.get('direction') ?? (sort === 'created' ? 'desc' : 'asc')) === 'asc' ? 1 : -1;
      pulls.sort((x, y) => sign * (sort === 'updated' ? x.updatedAt.localeCompare(y.updatedAt) || x.number - y.number : x.number - y.number));
      return listed(pulls, req.url, (x) => pullJson(repo, x, baseUrl));
    }
    case 'post /repos/{owner}/{repo}/pulls': {
      const head = String(b.head).replace(new RegExp(`^${repo.owner}:`, 'i'), '');
      const base = String(b.base);
      if (!repo.branches.has(head)) return fail(422, 'Validation Failed', [{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
      if (!repo.branches.has(base)) return fail(422, 'Validation Failed', [{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
      if ([...repo.pulls.values()].some((x) => x.state === 'open' && x.head === head && x.base === base)) {
        return fail(422, 'Validation Failed', [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${repo.owner}:${head}.` }]);
      }
      const now = new Date().toISOString();
      const pull: FakePull = { number: repo.nextNumber++, title: String(b.title), body: String(b.body ?? ''), state: 'open', draft: Boolean(b.draft), head, base, mergedAt: null, mergeCommitSha: null, labels: [], reviewers: [], reviews: [], createdAt: now, updatedAt: now };
      repo.pulls.set(pull.number, pull);
      return ok(pullJson(repo, pull, baseUrl), 201);
    }
    case 'get /repos/{owner}/{repo}/pulls/{pull_number}': {
      const pull = repo.pulls.get(Number(p.pull_number));
      return pull ? ok(pullJson(repo, pull, baseUrl)) : fail(404, 'Not Found');
    }
    case 'patch /repos/{owner}/{repo}/pulls/{pull_number}': {
      const pull = repo.pulls.get(Number(p.pull_number));
      if (!pull) return fail(404, 'Not Found');
      if (b.title !== undefined) pull.title = String(b.title);
      if (b.body !== undefined) pull.body = String(b.body);
      if (b.state === 'open' && pull.state === 'closed') {
        if (pull.mergedAt) return fail(422, 'Validation Failed', [{ code: 'custom', message: 'Cannot reopen a merged pull request' }]);
        pull.state = 'open';
      }
      pull.updatedAt = new Date().toISOString();
      return ok(pullJson(repo, pull, baseUrl));
    }
    case 'get /repos/{owner}/{repo}/pulls/{pull_number}/files': {
      const pull = repo.pulls.get(Number(p.pull_number));
      const [baseSha, headSha] = [repo.branches.get(pull?.base ?? ''), repo.branches.get(pull?.head ?? '')];
      if (!pull || !baseSha || !headSha) return fail(404, 'Not Found');
      return listed(pullFiles(state, { baseSha, headSha, full, baseUrl }), req.url, (f) => f);
    }
    case 'post /repos/{owner}/{repo}/pulls/{pull_number}/reviews': {
      const pull = repo.pulls.get(Number(p.pull_number));
      const [baseSha, headSha] = [repo.branches.get(pull?.base ?? ''), repo.branches.get(pull?.head ?? '')];
      if (!pull || !baseSha || !headSha) return fail(404, 'Not Found');
      const event = b.event as string | undefined;
      if ((event === 'COMMENT' || event === 'REQUEST_CHANGES') && !b.body) return fail(422, 'Unprocessable Entity', [`Body is required for ${event}`]);
      const commitId = b.commit_id === undefined ? headSha : String(b.commit_id);
      if (!state.git.get(commitId, 'commit')) return fail(422, 'Unprocessable Entity', ['commit_id is not part of the pull request']);
      const files = pullFiles(state, { baseSha, headSha, full, baseUrl });
      const comments = (b.comments as ReviewCommentInput[] | undefined) ?? [];
      const problems = comments.map((c) => reviewCommentProblem(files, c)).filter((x): x is string => x !== undefined);
      if (problems.length > 0) return fail(422, 'Unprocessable Entity', problems);
      const states: Record<string, FakeReview['state']> = { COMMENT: 'COMMENTED', APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED' };
      const review: FakeReview = {
        id: state.newId(),
        login: req.caller.login,
        body: String(b.body ?? ''),
        state: event ? states[event]! : 'PENDING',
        commitId,
        comments: comments.map((c) => ({ path: c.path, body: c.body, ...(c.line !== undefined ? { line: c.line } : {}), ...(c.side ? { side: c.side } : {}), ...(c.start_line !== undefined ? { startLine: c.start_line } : {}), ...(c.start_side ? { startSide: c.start_side } : {}) })),
        submittedAt: new Date().toISOString(),
      };
      pull.reviews.push(review);
      const html = `${baseUrl}/${full}/pull/${pull.number}#pullrequestreview-${review.id}`;
      return ok({ id: review.id, node_id: `PRR_${review.id}`, user: { login: review.login }, body: review.body, state: review.state, commit_id: commitId, html_url: html, pull_request_url: `${baseUrl}/repos/${full}/pulls/${pull.number}`, _links: { html: { href: html }, pull_request: { href: `${baseUrl}/repos/${full}/pulls/${pull.number}` } }, author_association: 'CONTRIBUTOR', submitted_at: review.submittedAt });
    }
    case 'post /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers': {
      const pull = repo.pulls.get(Number(p.pull_number));
      if (!pull) return fail(404, 'Not Found');
      const known = req.collaborators[full] ?? {};
      const reviewers = (b.reviewers as string[] | undefined) ?? [];
      const unknown = reviewers.filter((r) => !known[r]);
      if (unknown.length) return fail(422, 'Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the repository.');
      pull.reviewers.push(...reviewers.filter((r) => !pull.reviewers.includes(r)));
      return ok(pullJson(repo, pull, baseUrl), 201);
    }
    case 'post /repos/{owner}/{repo}/issues/{issue_number}/labels': {
      const n = Number(p.issue_number);
      const target = repo.pulls.get(n) ?? repo.issues.get(n);
      if (!target) return fail(404, 'Not Found');
      const labels = Array.isArray(b) ? (b as string[]) : ((b.labels as (string | { name: string })[] | undefined) ?? []).map((l) => (typeof l === 'string' ? l : l.name));
      for (const l of labels) {
        repo.labels.add(l);
        if (!target.labels.includes(l)) target.labels.push(l);
      }
      return ok(target.labels.map((name) => ({ name })));
    }
    case 'get /repos/{owner}/{repo}/issues/{issue_number}/comments': {
      const n = Number(p.issue_number);
      if (!repo.issues.has(n) && !repo.pulls.has(n)) return fail(404, 'Not Found');
      return listed([...repo.comments.values()].filter((c) => c.issue === n), req.url, (c) => ({ id: c.id, body: c.body, user: { login: c.login }, created_at: c.createdAt, updated_at: c.updatedAt }));
    }
    case 'post /repos/{owner}/{repo}/issues/{issue_number}/comments': {
      const n = Number(p.issue_number);
      if (!repo.issues.has(n) && !repo.pulls.has(n)) return fail(404, 'Not Found');
      const now = new Date().toISOString();
      const comment = { id: state.newId(), issue: n, body: String(b.body), login: req.caller.login, createdAt: now, updatedAt: now };
      repo.comments.set(comment.id, comment);
      return ok({ id: comment.id, body: comment.body, user: { login: comment.login } }, 201);
    }
    case 'patch /repos/{owner}/{repo}/issues/comments/{comment_id}': {
      const comment = repo.comments.get(Number(p.comment_id));
      if (!comment) return fail(404, 'Not Found');
      comment.body = String(b.body);
      comment.updatedAt = new Date().toISOString();
      return ok({ id: comment.id, body: comment.body, user: { login: comment.login } });
    }
    default:
      return fail(404, `the fake GitHub does not implement ${op.method.toUpperCase()} ${op.template}`);
  }
}
