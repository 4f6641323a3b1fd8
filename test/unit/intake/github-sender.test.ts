// senderMayWrite against a local server speaking GitHub's REST API, and the allowlist fallback.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../../src/config.ts';
import { GithubApiError, senderMayWrite } from '../../../src/intake/github/sender-trust.ts';
import { startFakeGithub, type FakeGithub } from '../../helpers/fake-github.ts';

const TOKEN = 'ghp_testtoken0123456789';

describe('senderMayWrite', () => {
  let github: FakeGithub;
  const config = (env: Record<string, string> = {}) => loadConfig({ TRACEFIX_GITHUB_API_URL: github.url, TRACEFIX_GITHUB_TOKEN: TOKEN, ...env });
  const ask = (login: string, env?: Record<string, string>) => senderMayWrite(config(env), { owner: 'acme', repo: 'shop', login });

  before(async () => {
    github = await startFakeGithub({
      token: TOKEN,
      repos: { 'acme/shop': { 'ada-admin': 'admin', 'max-maintain': 'maintain', 'wes-write': 'write', 'tia-triage': 'triage', 'rob-read': 'read' } },
    });
  });
  after(() => github.close());

  it('admin, maintain and write may; triage and read may not', async () => {
    assert.equal(await ask('ada-admin'), true);
    assert.equal(await ask('max-maintain'), true);
    assert.equal(await ask('wes-write'), true);
    assert.equal(await ask('tia-triage'), false);
    assert.equal(await ask('rob-read'), false);
    const request = github.requests.at(-1);
    assert.equal(request?.path, '/repos/acme/shop/collaborators/rob-read/permission');
    assert.equal(request?.authorization, `Bearer ${TOKEN}`);
    assert.equal(request?.apiVersion, '2022-11-28');
  });

  it('a non-collaborator (404) and an unknown repository may not', async () => {
    assert.equal(await ask('mallory'), false);
    assert.equal(await senderMayWrite(config(), { owner: 'acme', repo: 'other', login: 'ada-admin' }), false);
  });

  it('a bad token surfaces as GithubApiError 401 instead of silently refusing everyone', async () => {
    await assert.rejects(ask('ada-admin', { TRACEFIX_GITHUB_TOKEN: 'ghp_wrong' }), (e: unknown) => e instanceof GithubApiError && e.status === 401);
  });

  it('names that cannot be GitHub names are refused without a request', async () => {
    const before = github.requests.length;
    assert.equal(await senderMayWrite(config(), { owner: 'acme', repo: 'shop', login: '../../admin' }), false);
    assert.equal(await senderMayWrite(config(), { owner: 'acme/x', repo: 'shop', login: 'ada-admin' }), false);
    assert.equal(github.requests.length, before);
  });

  it('without a token, the trusted-logins allowlist decides (case-insensitively), with no request', async () => {
    const before = github.requests.length;
    const noToken = loadConfig({ TRACEFIX_GITHUB_API_URL: github.url, TRACEFIX_GITHUB_TRUSTED_LOGINS: 'Ada-Admin, wes-write' });
    assert.equal(await senderMayWrite(noToken, { owner: 'acme', repo: 'shop', login: 'ada-admin' }), true);
    assert.equal(await senderMayWrite(noToken, { owner: 'acme', repo: 'shop', login: 'rob-read' }), false);
    assert.equal(github.requests.length, before);
  });
});
