// publish() against the GitHub protocol fake: the commit's tree is git's own tree of the base plus
// exactly the patch and the test; one PR per incident however often it runs (a second call, a
// duplicate 422, a worker that died after moving the ref); a PR the team closed stays closed;
// rate limits are waited out; a missing permission fails once with a message naming it; the token
// appears in no log line, error, result or request body.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { GithubClients } from '../../../src/publish/github-client.ts';
import { PublishError } from '../../../src/publish/errors.ts';
import { publish, type PublishInput } from '../../../src/publish/publish.ts';
import { readRunOutputs } from '../../../src/publish/run-outputs.ts';
import { startFakeGithub, type FakeGithub } from '../../helpers/fake-github.ts';
import { expectedTree, publishFixture, TEST_CONTENT, TEST_FILE, type PublishFixture } from '../../helpers/publish-fixture.ts';

const TOKEN = 'ghp_publishTestToken0123456789abcdefABCD';
const REPO = 'acme/shop-api';

let fixture: PublishFixture;
let gh: FakeGithub;
const logLines: string[] = [];
const log = pino({ level: 'debug' }, new Writable({ write: (chunk, _e, cb) => (logLines.push(String(chunk)), cb()) }));

before(async () => {
  fixture = await publishFixture();
  gh = await startFakeGithub({ token: TOKEN, repos: { [REPO]: { alice: 'write' } } });
  await gh.state.importRepo(REPO, fixture.repoDir);
});
after(async () => {
  await gh.close();
  await fixture.close();
});

async function input(overrides: Partial<PublishInput> = {}, clients = new GithubClients({ apiUrl: gh.url, credentials: { kind: 'token', token: TOKEN }, log })): Promise<PublishInput> {
  const outputs = await readRunOutputs(fixture.runDir);
  return {
    clients,
    repo: REPO,
    ...outputs,
    mode: 'draft',
    labels: ['tracefix', 'bug'],
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    links: { sentry: { shortId: 'SHOP-API-1A', url: 'https://acme.sentry.io/issues/4242/' } },
    log,
    ...overrides,
  };
}

function pullsOf(fake: FakeGithub, full = REPO) {
  return [...fake.state.mustRepo(full).pulls.values()];
}

describe('publish', () => {
  it('opens a draft PR whose commit is the base plus exactly the patch and the test', async () => {
    const result = await publish(await input());
    assert.equal(result.status, 'published', JSON.stringify(result));
    if (result.status !== 'published') return;
    assert.equal(result.action, 'created');
    assert.equal(result.pr.draft, true);
    assert.equal(result.revalidated, false, 'the base head is the incident commit');
    const repo = gh.state.mustRepo(REPO);
    const head = repo.branches.get(result.branch)!;
    assert.equal(result.branch, `tracefix/${fixture.run.incident.id}`);
    const commit = gh.state.git.readCommit(head)!;
    assert.deepEqual(commit.parents, [fixture.commit]);
    assert.equal(commit.tree, await expectedTree(fixture.repoDir, path.join(fixture.runDir, 'patch.diff'), TEST_FILE, TEST_CONTENT));
    assert.match(commit.message, new RegExp(`^fix: TypeError in applyCoupon \\(src/cart\\.js\\)\n\nTracefix-Incident: ${fixture.run.incident.id}\nTracefix-Trace-Id: 4bf92f3577b34da6a3ce929d0e0e4736\nTracefix-Signature: TypeError`));
    const [pull] = pullsOf(gh);
    assert.ok(pull);
    assert.equal(pull.title, fixture.run.proposal!.title);
    assert.ok(pull.body.includes(`<!-- tracefix:incident=${fixture.run.incident.id} -->`));
    assert.ok(pull.body.includes('Sentry issue: [SHOP-API-1A](https://acme.sentry.io/issues/4242/)'));
    assert.ok(pull.body.startsWith('tracefix reproduced incident'), pull.body.slice(0, 100));
    assert.deepEqual(pull.labels, ['tracefix', 'bug']);
    assert.deepEqual(gh.violations, []);
  });

  it('a second call updates the same PR and makes no second commit', async () => {
    const before = gh.state.mustRepo(REPO).branches.get(`tracefix/${fixture.run.incident.id}`);
    const commits = gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/git/commits')).length;
    const result = await publish(await input());
    assert.equal(result.status, 'published');
    if (result.status !== 'published') return;
    assert.equal(result.action, 'updated');
    assert.equal(pullsOf(gh).length, 1);
    assert.equal(gh.state.mustRepo(REPO).branches.get(result.branch), before);
    assert.equal(gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/git/commits')).length, commits);
    assert.deepEqual(gh.violations, []);
  });

  it('treats GitHub\'s 422 "A pull request already exists" as found', async () => {
    const f = await publishFixture({ incidentId: 'inc_dup00000000000000000000' });
    const fake = await startFakeGithub({ token: TOKEN });
    try {
      await fake.state.importRepo(REPO, f.repoDir);
      const outputs = await readRunOutputs(f.runDir);
      const clients = new GithubClients({ apiUrl: fake.url, credentials: { kind: 'token', token: TOKEN } });
      // Another worker opens the PR between this one's lookup and its create.
      const afterRef = async () => {
        const repo = fake.state.mustRepo(REPO);
        const now = new Date().toISOString();
        repo.pulls.set(repo.nextNumber, { number: repo.nextNumber++, title: 't', body: 'other worker', state: 'open', draft: true, head: `tracefix/${f.run.incident.id}`, base: 'main', mergedAt: null, mergeCommitSha: null, labels: [], reviewers: [], reviews: [], createdAt: now, updatedAt: now });
      };
      const result = await publish({ clients, repo: REPO, ...outputs, mode: 'draft', afterRef });
      assert.equal(result.status, 'published');
      if (result.status !== 'published') return;
      assert.equal(result.action, 'updated');
      const creates = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pulls'));
      assert.deepEqual(creates.map((r) => r.status), [422]);
      assert.equal(pullsOf(fake).length, 1);
      assert.ok(pullsOf(fake)[0]!.body.includes('tracefix:incident='), 'the found PR got the proposal body');
    } finally {
      await fake.close();
      await f.close();
    }
  });

  it('a worker that died between the ref update and the PR creation: the retry finishes, one PR', async () => {
    const f = await publishFixture({ incidentId: 'inc_crash0000000000000000000' });
    const fake = await startFakeGithub({ token: TOKEN });
    try {
      await fake.state.importRepo(REPO, f.repoDir);
      const outputs = await readRunOutputs(f.runDir);
      const clients = new GithubClients({ apiUrl: fake.url, credentials: { kind: 'token', token: TOKEN } });
      await assert.rejects(publish({ clients, repo: REPO, ...outputs, mode: 'draft', afterRef: () => Promise.reject(new Error('worker killed')) }), /worker killed/);
      assert.equal(pullsOf(fake).length, 0);
      const branch = fake.state.mustRepo(REPO).branches.get(`tracefix/${f.run.incident.id}`);
      assert.ok(branch, 'the ref was moved before the crash');
      const result = await publish({ clients, repo: REPO, ...outputs, mode: 'draft' });
      assert.equal(result.status, 'published');
      assert.equal(pullsOf(fake).length, 1);
      assert.equal(fake.state.mustRepo(REPO).branches.get(`tracefix/${f.run.incident.id}`), branch, 'the retry reused the commit');
      assert.equal(fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/git/commits')).length, 1);
    } finally {
      await fake.close();
      await f.close();
    }
  });

  it('a PR closed without merging is recorded as the team saying no, and reopened only on request', async () => {
    const [pull] = pullsOf(gh);
    gh.state.closePull(REPO, pull!.number, false);
    const writes = gh.requests.filter((r) => r.method !== 'GET').length;
    const result = await publish(await input());
    assert.equal(result.status, 'not-published');
    if (result.status !== 'not-published') return;
    assert.equal(result.state, 'rejected');
    assert.match(result.reason, /closed without merging/);
    assert.equal(gh.requests.filter((r) => r.method !== 'GET').length, writes, 'nothing was written');
    const again = await publish(await input({ rerunRequested: true }));
    assert.equal(again.status, 'published');
    assert.equal(pullsOf(gh)[0]!.state, 'open');
    assert.equal(pullsOf(gh).length, 1);
  });

  it('waits out a secondary rate limit for its retry-after', async () => {
    const f = await publishFixture({ incidentId: 'inc_rate00000000000000000000' });
    const fake = await startFakeGithub({ token: TOKEN });
    try {
      await fake.state.importRepo(REPO, f.repoDir);
      fake.inject({ method: 'POST', path: /\/pulls$/, status: 403, headers: { 'retry-after': '2' }, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: 'https://docs.github.com/rest' } });
      const outputs = await readRunOutputs(f.runDir);
      const clients = new GithubClients({ apiUrl: fake.url, credentials: { kind: 'token', token: TOKEN } });
      const result = await publish({ clients, repo: REPO, ...outputs, mode: 'draft' });
      assert.equal(result.status, 'published');
      const creates = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pulls'));
      assert.deepEqual(creates.map((r) => r.status), [403, 201]);
      assert.ok(creates[1]!.at - creates[0]!.at >= 2000, `waited ${creates[1]!.at - creates[0]!.at} ms`);
    } finally {
      await fake.close();
      await f.close();
    }
  });

  it('waits for x-ratelimit-reset when the primary rate limit is spent', async () => {
    const f = await publishFixture({ incidentId: 'inc_reset0000000000000000000' });
    const fake = await startFakeGithub({ token: TOKEN });
    try {
      await fake.state.importRepo(REPO, f.repoDir);
      const reset = Math.ceil(Date.now() / 1000) + 2;
      fake.inject({ method: 'POST', path: /\/git\/blobs$/, status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-limit': '5000', 'x-ratelimit-reset': String(reset) }, body: { message: 'API rate limit exceeded for installation ID 1.' } });
      const outputs = await readRunOutputs(f.runDir);
      const clients = new GithubClients({ apiUrl: fake.url, credentials: { kind: 'token', token: TOKEN } });
      const result = await publish({ clients, repo: REPO, ...outputs, mode: 'draft' });
      assert.equal(result.status, 'published');
      const blobs = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/git/blobs'));
      assert.equal(blobs[0]!.status, 403);
      assert.ok(blobs[1]!.at >= reset * 1000, `retried ${reset * 1000 - blobs[1]!.at} ms before the reset`);
    } finally {
      await fake.close();
      await f.close();
    }
  });

  it('a missing permission fails at once, naming it, without retrying', async () => {
    const f = await publishFixture({ incidentId: 'inc_perm00000000000000000000' });
    const fake = await startFakeGithub({ token: TOKEN, tokenPermissions: { pull_requests: 'read' } });
    try {
      await fake.state.importRepo(REPO, f.repoDir);
      const outputs = await readRunOutputs(f.runDir);
      const clients = new GithubClients({ apiUrl: fake.url, credentials: { kind: 'token', token: TOKEN } });
      const error = await publish({ clients, repo: REPO, ...outputs, mode: 'draft' }).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof PublishError, String(error));
      assert.equal(error.kind, 'permission');
      assert.match(error.message, /open the pull request on acme\/shop-api: GitHub answered 403 .*pull_requests=write/);
      assert.equal(fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pulls')).length, 1);
      const missing = await publish({ clients, repo: 'acme/nope', ...outputs, mode: 'draft' }).then(() => undefined, (e: unknown) => e);
      assert.ok(missing instanceof PublishError && missing.kind === 'permission');
      assert.match(missing.message, /read the repository on acme\/nope: GitHub answered 404.*cannot see it/);
    } finally {
      await fake.close();
      await f.close();
    }
  });

  it('as a GitHub App: a token per repository, cached, and the bot as author', async () => {
    const f = await publishFixture({ incidentId: 'inc_app000000000000000000000' });
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const fake = await startFakeGithub({ app: { id: '4242', publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(), installations: { [REPO]: { id: 77 } } } });
    try {
      await fake.state.importRepo(REPO, f.repoDir);
      const outputs = await readRunOutputs(f.runDir);
      const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
      const clients = new GithubClients({ apiUrl: fake.url, credentials: { kind: 'app', appId: '4242', privateKey: pem }, log });
      const first = await publish({ clients, repo: REPO, ...outputs, mode: 'ready' });
      const second = await publish({ clients, repo: REPO, ...outputs, mode: 'ready' });
      assert.equal(first.status, 'published');
      assert.equal(second.status, 'published');
      if (first.status !== 'published') return;
      assert.equal(first.pr.draft, false);
      assert.equal(fake.requests.filter((r) => r.path === '/app/installations/77/access_tokens').length, 1, 'the installation token was cached');
      const tokenRequest = fake.requests.find((r) => r.path === '/app/installations/77/access_tokens')!;
      assert.deepEqual(JSON.parse(tokenRequest.body).repositories, ['shop-api']);
      const commit = fake.state.git.readCommit(fake.state.mustRepo(REPO).branches.get(first.branch)!)!;
      assert.equal(commit.author.name, 'tracefix[bot]');
      assert.deepEqual(fake.violations, []);
      const tokens = fake.requests.map((r) => r.authorization?.replace(/^(token|bearer) /i, '')).filter((t): t is string => Boolean(t));
      const everything = [logLines.join(''), JSON.stringify(first), JSON.stringify(second), ...fake.requests.map((r) => r.body + r.path + r.query)].join('\n');
      for (const t of new Set(tokens)) assert.ok(!everything.includes(t), 'no token in logs, results or request bodies');
    } finally {
      await fake.close();
      await f.close();
    }
  });

  it('an incident from a GitHub issue: Fixes #N and one comment on the issue, edited on later runs', async () => {
    const f = await publishFixture({ incidentId: 'inc_issue0000000000000000000' });
    const fake = await startFakeGithub({ token: TOKEN });
    try {
      await fake.state.importRepo(REPO, f.repoDir);
      const issue = fake.state.createIssue(REPO, { title: 'TypeError in checkout' });
      const outputs = await readRunOutputs(f.runDir);
      const clients = new GithubClients({ apiUrl: fake.url, credentials: { kind: 'token', token: TOKEN } });
      const links = { githubIssue: { repo: REPO, number: issue } };
      const first = await publish({ clients, repo: REPO, ...outputs, mode: 'draft', links });
      const second = await publish({ clients, repo: REPO, ...outputs, mode: 'draft', links });
      assert.equal(first.status, 'published');
      assert.equal(second.status, 'published');
      if (first.status !== 'published' || second.status !== 'published') return;
      assert.equal(first.issueCommentId, second.issueCommentId);
      const comments = [...fake.state.mustRepo(REPO).comments.values()];
      assert.equal(comments.length, 1);
      assert.equal(comments[0]!.issue, issue);
      assert.ok(comments[0]!.body.includes(first.pr.url));
      const pull = pullsOf(fake)[0]!;
      assert.match(pull.body, new RegExp(`^Fixes #${issue}$`, 'm'));
      assert.deepEqual(fake.violations, []);
    } finally {
      await fake.close();
      await f.close();
    }
  });

  it('never lets the token reach a log, an error, a request body or the run directory', async () => {
    const all = [logLines.join(''), ...gh.requests.map((r) => r.body + r.path + r.query)].join('\n');
    assert.ok(!all.includes(TOKEN));
    const result = await readFile(path.join(fixture.runDir, 'result.json'), 'utf8');
    assert.ok(!result.includes(TOKEN));
    const bad = new GithubClients({ apiUrl: gh.url, credentials: { kind: 'token', token: `${TOKEN}x` } });
    const error = await publish(await input({ clients: bad })).then(() => undefined, (e: unknown) => e as Error);
    assert.ok(error instanceof PublishError);
    assert.match(error.message, /401/);
    assert.ok(!error.message.includes(TOKEN) && !String(error.stack).includes(TOKEN) && !JSON.stringify(error).includes(TOKEN));
  });
});
