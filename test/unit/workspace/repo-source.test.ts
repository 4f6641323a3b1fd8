import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { credentialEnv, resolveSource } from '../../../src/workspace/repo-source.ts';

describe('resolveSource', () => {
  it('keys one repository the same however its URL is spelt', () => {
    const a = resolveSource({ url: 'https://github.com/acme/shop.git' });
    const b = resolveSource({ url: 'https://GitHub.com/acme/shop/' });
    assert.equal(a.key, b.key);
    assert.notEqual(a.key, resolveSource({ url: 'https://github.com/acme/other' }).key);
  });

  it('lifts user:password out of the URL into credentials', () => {
    const s = resolveSource({ url: 'https://bot:s3cret@git.example.com/acme/shop.git' });
    assert.equal(s.remote, 'https://git.example.com/acme/shop.git');
    assert.deepEqual(s.credentials, { username: 'bot', token: 's3cret' });
  });

  it('pairs a token with the GitHub user by default', () => {
    const s = resolveSource({ url: 'https://github.com/acme/shop', token: 'tok' });
    assert.deepEqual(s.credentials, { username: 'x-access-token', token: 'tok' });
    const env = credentialEnv(s);
    assert.equal(env['GIT_CONFIG_KEY_1'], 'http.https://github.com/.extraHeader');
    assert.equal(env['GIT_CONFIG_VALUE_1'], `Authorization: Basic ${Buffer.from('x-access-token:tok').toString('base64')}`);
    assert.equal(env['GIT_CONFIG_KEY_0'], 'credential.helper');
    assert.equal(env['GIT_CONFIG_VALUE_0'], '');
  });

  it('resolves local paths and refuses tokens for non-http remotes', () => {
    assert.equal(resolveSource({ url: 'relative/repo' }).remote, `${process.cwd()}/relative/repo`);
    assert.throws(() => resolveSource({ url: '/srv/repo', token: 't' }), /http\(s\)/);
    assert.throws(() => resolveSource({ url: 'git@github.com:acme/shop.git', token: 't' }), /http\(s\)/);
    assert.throws(() => resolveSource({ url: '--upload-pack=evil' }), /Invalid repository URL/);
    assert.deepEqual(credentialEnv(resolveSource({ url: '/srv/repo' })), {});
  });
});
