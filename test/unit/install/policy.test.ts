import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InstallError, trimOutput } from '../../../src/install/errors.ts';
import { checkLockfile } from '../../../src/install/policy.ts';

const WS = '/data/workspaces/run-1';
const NPM = ['https://registry.npmjs.org/'];

function check(manager: 'npm' | 'yarn' | 'pnpm' | 'pip', files: Record<string, string>, registries = NPM) {
  const lockfile = Object.keys(files)[0] ?? '';
  return checkLockfile({ manager, lockfile, registries, workspaceDir: WS, readRel: async (rel) => files[rel] });
}

const npmLock = (packages: Record<string, unknown>) => ({ 'package-lock.json': JSON.stringify({ lockfileVersion: 3, packages: { '': {}, ...packages } }) });

describe('checkLockfile', () => {
  it('counts packages and install scripts of an npm lockfile under the allowed registry', async () => {
    const facts = await check('npm', npmLock({
      'node_modules/ms': { resolved: 'https://registry.npmjs.org/ms/-/ms-2.1.3.tgz' },
      'node_modules/dep': { resolved: 'file:vendor/dep-1.0.0.tgz', hasInstallScript: true },
      'packages/a': { resolved: 'packages/a', link: true },
    }));
    assert.deepEqual(facts, { packages: 3, installScripts: 1 });
  });

  it('refuses another registry, a git dependency, a path outside the checkout', async () => {
    await assert.rejects(check('npm', npmLock({ 'node_modules/ms': { resolved: 'https://registry.npmjs.org.evil.example/ms.tgz' } })), /not under an allowed registry/);
    await assert.rejects(check('npm', npmLock({ 'node_modules/x': { resolved: 'git+ssh://git@github.com/a/x.git#abc' } })), /is a git dependency/);
    await assert.rejects(check('npm', npmLock({ 'node_modules/x': { resolved: 'file:../../etc/x.tgz' } })), /outside the repository/);
    await assert.rejects(check('npm', { 'package-lock.json': '{not json' }), (e: unknown) => e instanceof InstallError && /not valid JSON/.test(e.reason));
  });

  it('matches registries by path prefix, so a private registry path allows only itself', async () => {
    const priv = ['https://npm.example.com/repo/team/'];
    assert.equal((await check('npm', npmLock({ 'node_modules/a': { resolved: 'https://npm.example.com/repo/team/a/-/a-1.tgz' } }), priv)).packages, 1);
    await assert.rejects(check('npm', npmLock({ 'node_modules/a': { resolved: 'https://npm.example.com/repo/other/a/-/a-1.tgz' } }), priv), /not under an allowed registry/);
  });

  it('reads yarn 1 and pnpm lockfiles', async () => {
    const yarn = 'ms@2.1.3:\n  version "2.1.3"\n  resolved "https://registry.yarnpkg.com/ms/-/ms-2.1.3.tgz#abc"\n';
    assert.equal((await check('yarn', { 'yarn.lock': yarn }, ['https://registry.yarnpkg.com/'])).packages, 1);
    await assert.rejects(check('yarn', { 'yarn.lock': yarn }), /not under an allowed registry/);
    const pnpm = "lockfileVersion: '9.0'\npackages:\n  ms@2.1.3:\n    resolution: {integrity: sha512-x}\n  x@1.0.0:\n    resolution: {tarball: https://elsewhere.example/x.tgz}\n";
    await assert.rejects(check('pnpm', { 'pnpm-lock.yaml': pnpm }), /x@1\.0\.0 resolves to https:\/\/elsewhere\.example\/x\.tgz/);
  });

  it('accepts named pip requirements and includes inside the checkout; refuses what pip would build or fetch elsewhere', async () => {
    const files = { 'requirements.txt': '# app\nrequests==2.32.3 \\\n  --hash=sha256:abc\n-r requirements/base.txt\n', 'requirements/base.txt': 'idna==3.7\n' };
    assert.equal((await check('pip', files)).packages, 2);
    await assert.rejects(check('pip', { 'requirements.txt': '-e .\n' }), /is a pip option/);
    await assert.rejects(check('pip', { 'requirements.txt': '--index-url https://evil.example/simple\n' }), /is a pip option/);
    await assert.rejects(check('pip', { 'requirements.txt': 'git+https://example.com/x.git#egg=x\n' }), /local path, URL or VCS requirement/);
    await assert.rejects(check('pip', { 'requirements.txt': 'x @ https://example.com/x.whl\n' }), /local path, URL or VCS requirement/);
    await assert.rejects(check('pip', { 'requirements.txt': './vendor/x\n' }), /local path/);
    await assert.rejects(check('pip', { 'requirements.txt': '-r ../../secrets.txt\n' }), /outside the repository/);
  });
});

describe('trimOutput', () => {
  it('keeps the last 20 lines, drops credentials and URL userinfo', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i}`);
    const out = trimOutput(`${lines.join('\n')}\ntoken s3cr3t-token at https://user:pw@npm.example.com/x`, ['s3cr3t-token']);
    assert.equal(out.split('\n').length, 20);
    assert.match(out, /token \*\*\* at https:\/\/\*\*\*@npm\.example\.com\/x$/);
    assert.doesNotMatch(out, /s3cr3t|user:pw/);
  });
});
