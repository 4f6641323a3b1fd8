// The publishing variables: defaults, the App's credentials (both or neither, a PEM, from a file or
// inline with \n escapes), the author, and the policy.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../src/config.ts';

const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

describe('publishing configuration', () => {
  it('defaults: draft PRs labelled tracefix, no App', () => {
    const config = loadConfig({});
    assert.deepEqual(config.publish, { mode: 'draft', labels: ['tracefix'], reviewers: [], author: undefined, publicUrl: undefined });
    assert.equal(config.github.app, undefined);
    assert.deepEqual(loadConfig({ TRACEFIX_GITHUB_PR_LABELS: '' }).publish.labels, []);
  });

  it('reads the App key inline (with \\n escapes) or from a file, and wants both id and key', async () => {
    assert.equal(loadConfig({ TRACEFIX_GITHUB_APP_ID: '12', TRACEFIX_GITHUB_APP_PRIVATE_KEY: pem.replace(/\n/g, '\\n') }).github.app?.privateKey, pem);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-key-'));
    try {
      await writeFile(path.join(dir, 'key.pem'), pem);
      assert.equal(loadConfig({ TRACEFIX_GITHUB_APP_ID: '12', TRACEFIX_GITHUB_APP_PRIVATE_KEY_FILE: path.join(dir, 'key.pem') }).github.app?.appId, '12');
      assert.throws(() => loadConfig({ TRACEFIX_GITHUB_APP_ID: '12', TRACEFIX_GITHUB_APP_PRIVATE_KEY_FILE: path.join(dir, 'nope.pem') }), /TRACEFIX_GITHUB_APP_PRIVATE_KEY_FILE: cannot be read \(ENOENT\)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    assert.throws(() => loadConfig({ TRACEFIX_GITHUB_APP_ID: '12' }), /TRACEFIX_GITHUB_APP_PRIVATE_KEY: required/);
    assert.throws(() => loadConfig({ TRACEFIX_GITHUB_APP_PRIVATE_KEY: pem }), /TRACEFIX_GITHUB_APP_ID: required/);
    const error = (() => {
      try {
        loadConfig({ TRACEFIX_GITHUB_APP_ID: '12', TRACEFIX_GITHUB_APP_PRIVATE_KEY: 'not a key but a secret' });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    assert.match(String(error?.message), /expected a PEM private key/);
    assert.ok(!String(error?.message).includes('not a key but a secret'), 'the value is not echoed');
  });

  it('parses the author and refuses a bad policy', () => {
    assert.deepEqual(loadConfig({ TRACEFIX_GIT_AUTHOR: 'Fix Bot <fix@acme.example>' }).publish.author, { name: 'Fix Bot', email: 'fix@acme.example' });
    assert.throws(() => loadConfig({ TRACEFIX_GIT_AUTHOR: 'fix@acme.example' }), /TRACEFIX_GIT_AUTHOR: must look like/);
    assert.throws(() => loadConfig({ TRACEFIX_PUBLISH: 'yolo' }), /TRACEFIX_PUBLISH/);
    assert.equal(loadConfig({ TRACEFIX_PUBLISH: 'approval' }).publish.mode, 'approval');
  });
});
