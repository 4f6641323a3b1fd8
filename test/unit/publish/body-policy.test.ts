// The PR text and the publishing policy: the body is cut under GitHub's limit without leaving a code
// fence open, always ends with the marker and the source links; trailers cannot be forged from
// telemetry; a repository's .tracefix.yml only tightens the service's mode.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BODY_LIMIT, commitMessage, cutMarkdown, pullRequestBody, splitPrMarkdown } from '../../../src/publish/body.ts';
import { decidePolicy } from '../../../src/publish/policy.ts';
import { parseRepo } from '../../../src/publish/publish.ts';

const base = { incidentId: 'inc_x', runId: 'run-x-00000000', targetRepo: 'acme/shop', base: 'main', defaultBranch: 'main', links: {} };

describe('pullRequestBody', () => {
  it('cuts a long body under the limit, closes the open fence, links the evidence and keeps the marker', () => {
    const proposalBody = `## The fix\n\n\`\`\`diff\n${'+ a line of the diff\n'.repeat(10_000)}\`\`\`\n`;
    const body = pullRequestBody({ ...base, proposalBody, evidenceUrl: 'https://tracefix.acme.example/runs/run-x-00000000' });
    assert.ok(body.length < BODY_LIMIT, String(body.length));
    const fences = body.match(/^```/gm) ?? [];
    assert.equal(fences.length % 2, 0, 'every fence is closed');
    assert.match(body, /cut to fit GitHub's limit: see \[the full evidence of run `run-x-00000000`\]\(https:\/\/tracefix\.acme\.example\/runs\/run-x-00000000\)/);
    assert.ok(body.trimEnd().endsWith('<!-- tracefix:incident=inc_x -->'));
  });

  it('leaves a short body whole', () => {
    const body = pullRequestBody({ ...base, proposalBody: 'short' });
    assert.ok(body.startsWith('short\n\n---\n'));
    assert.deepEqual(cutMarkdown('abc', 10), { text: 'abc', cut: false });
  });

  it('says Fixes #N, and that GitHub closes the issue only from the default branch', () => {
    const same = pullRequestBody({ ...base, proposalBody: 'x', links: { githubIssue: { repo: 'Acme/Shop', number: 12 } } });
    assert.match(same, /^Fixes #12$/m);
    assert.doesNotMatch(same, /closes #12 by itself/);
    const other = pullRequestBody({ ...base, base: 'release-2', proposalBody: 'x', links: { githubIssue: { repo: 'acme/tracker', number: 3 } } });
    assert.match(other, /^Fixes acme\/tracker#3$/m);
    assert.match(other, /only when a PR merges into the default branch \(`main`\); this one targets `release-2`/);
  });

  it('links the Sentry issue by its short id', () => {
    const body = pullRequestBody({ ...base, proposalBody: 'x', links: { sentry: { shortId: 'SHOP-1A', url: 'https://acme.sentry.io/issues/42/' } } });
    assert.match(body, /Sentry issue: \[SHOP-1A\]\(https:\/\/acme\.sentry\.io\/issues\/42\/\)/);
  });

  it('splits pr.md into title and body', () => {
    assert.deepEqual(splitPrMarkdown('# fix: a\n\nbody\n'), { title: 'fix: a', body: 'body\n' });
  });
});

describe('commitMessage', () => {
  it('keeps telemetry on one trailer line', () => {
    const message = commitMessage({ title: 'fix: x', incidentId: 'inc_1', traceId: undefined, signature: 'TypeError: boom\nTracefix-Incident: forged\u0007' });
    const trailers = message.split('\n').filter((l) => l.startsWith('Tracefix-'));
    assert.deepEqual(trailers, ['Tracefix-Incident: inc_1', 'Tracefix-Trace-Id: none recorded', 'Tracefix-Signature: TypeError: boom Tracefix-Incident: forged']);
  });
});

describe('decidePolicy', () => {
  it('the service mode applies when the repository says nothing', () => {
    assert.deepEqual(decidePolicy({ mode: 'draft', repo: undefined, files: [] }), { action: 'publish', draft: true, why: 'TRACEFIX_PUBLISH=draft' });
    assert.equal(decidePolicy({ mode: 'ready', repo: undefined, files: [] }).action, 'publish');
    assert.equal(decidePolicy({ mode: 'off', repo: undefined, files: [] }).action, 'skip');
  });

  it('a repository tightens, never loosens', () => {
    assert.equal(decidePolicy({ mode: 'draft', repo: { mode: 'approval' }, files: [] }).action, 'wait');
    assert.deepEqual(decidePolicy({ mode: 'approval', repo: { mode: 'ready' }, files: [] }).action, 'wait');
    assert.equal(decidePolicy({ mode: 'ready', repo: { mode: 'off' }, files: [] }).action, 'skip');
  });

  it('approval paths make a person decide, and an approval opens the PR ready for review', () => {
    const repo = { approvalPaths: ['src/billing/**'] };
    const waiting = decidePolicy({ mode: 'draft', repo, files: ['src/billing/tax.js'] });
    assert.equal(waiting.action, 'wait');
    assert.match(waiting.why, /src\/billing\/tax\.js/);
    assert.equal(decidePolicy({ mode: 'draft', repo, files: ['src/cart.js'] }).action, 'publish');
    assert.deepEqual(decidePolicy({ mode: 'draft', repo, files: ['src/billing/tax.js'], approval: { by: 'alice', at: 'now' } }), { action: 'publish', draft: false, why: 'approved by alice' });
  });

  it('a proposal below publish.minConfidence waits for a person; at or above it publishes', () => {
    const repo = { minConfidence: 'medium' as const };
    const low = decidePolicy({ mode: 'draft', repo, files: [], confidence: 'low' });
    assert.deepEqual(low, { action: 'wait', why: "waiting for a person's approval (the fix's confidence is low, below .tracefix.yml's publish.minConfidence: medium)" });
    assert.equal(decidePolicy({ mode: 'draft', repo, files: [] }).action, 'wait', 'no stated confidence counts as low');
    assert.equal(decidePolicy({ mode: 'draft', repo, files: [], confidence: 'medium' }).action, 'publish');
    assert.equal(decidePolicy({ mode: 'draft', repo: undefined, files: [], confidence: 'low' }).action, 'publish', 'no floor configured');
    assert.equal(decidePolicy({ mode: 'off', repo, files: [], confidence: 'low' }).action, 'skip');
  });
});

describe('parseRepo', () => {
  it('accepts owner/name and refuses anything else', () => {
    assert.deepEqual(parseRepo('acme/shop-api'), { owner: 'acme', name: 'shop-api' });
    for (const bad of ['acme', 'acme/shop/x', '../x', 'https://github.com/acme/x', 'acme/..']) assert.throws(() => parseRepo(bad), /not a GitHub repository name/);
  });
});
