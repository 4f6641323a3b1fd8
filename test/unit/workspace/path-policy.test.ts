import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DENIED_PATHS, type RepoConfig } from '../../../schemas/repo-config.ts';
import { checkPath, findTestFiles, isPathAllowed, normalizeWorkspacePath } from '../../../src/workspace/path-policy.ts';

function config(paths: Partial<RepoConfig['paths']> = {}): RepoConfig {
  return {
    language: 'node',
    framework: 'jest',
    image: 'tracefix/sandbox-node:latest',
    test: { command: 'node_modules/.bin/jest', files: ['**/*.test.js', '**/__tests__/**/*.js'] },
    paths: { allow: paths.allow ?? [], deny: [...DEFAULT_DENIED_PATHS, ...(paths.deny ?? [])] },
    maxPatchLines: 200,
    maxPatchFiles: 5,
    flakeReruns: 3,
    timeouts: { installMs: 1, testMs: 1, singleTestMs: 1, checkMs: 1 },
    source: { file: null, detected: [] },
  };
}

describe('isPathAllowed', () => {
  it('allows ordinary source files', () => {
    assert.equal(isPathAllowed(config(), 'src/app.js'), true);
    assert.deepEqual(checkPath(config(), './src//app.js'), { allowed: true, path: 'src/app.js' });
  });

  it('denies CI configuration, lockfiles, git metadata and the repo config by default', () => {
    const denied = [
      '.github/workflows/ci.yml',
      '.GitHub/workflows/ci.yml',
      '.gitlab-ci.yml',
      '.circleci/config.yml',
      'azure-pipelines.yml',
      'Jenkinsfile',
      '.travis.yml',
      'package-lock.json',
      'packages/web/package-lock.json',
      'yarn.lock',
      'pnpm-lock.yaml',
      'poetry.lock',
      'Pipfile.lock',
      'uv.lock',
      '.git/config',
      'sub/.git/hooks/pre-commit',
      '.tracefix.yml',
      'node_modules/dep/index.js',
    ];
    for (const p of denied) assert.equal(isPathAllowed(config(), p), false, p);
    const d = checkPath(config(), 'yarn.lock');
    assert.equal(d.allowed, false);
    assert.match(d.allowed ? '' : d.reason, /denied pattern "\*\*\/yarn\.lock"/);
  });

  it('denies paths that leave the workspace', () => {
    for (const p of ['../etc/passwd', '/etc/passwd', 'src/../../x', '', '.', 'a\0b']) {
      assert.equal(isPathAllowed(config(), p), false, JSON.stringify(p));
    }
    assert.equal(normalizeWorkspacePath('src/../lib/x.js'), 'lib/x.js');
  });

  it('denies editing existing tests but allows adding new ones', () => {
    const existingTests = ['test/app.test.js'];
    const d = checkPath(config(), './test/app.test.js', { existingTests });
    assert.deepEqual(d, { allowed: false, path: 'test/app.test.js', reason: 'an existing test file' });
    assert.equal(isPathAllowed(config(), 'test/repro.test.js', { existingTests }), true);
  });

  it('honours the repository allow and deny lists; deny wins', () => {
    const c = config({ allow: ['src/**'], deny: ['src/generated/**'] });
    assert.equal(isPathAllowed(c, 'src/app.js'), true);
    assert.equal(isPathAllowed(c, 'lib/app.js'), false);
    assert.match(JSON.stringify(checkPath(c, 'lib/app.js')), /outside the allowed paths/);
    assert.equal(isPathAllowed(c, 'src/generated/api.js'), false);
    assert.equal(isPathAllowed(config({ allow: ['.github/**'] }), '.github/workflows/ci.yml'), false);
  });

  it('finds the test files among tracked files', () => {
    assert.deepEqual(findTestFiles(config(), ['src/a.js', 'src/a.test.js', 'src/__tests__/b.js', 'README.md']), [
      'src/a.test.js',
      'src/__tests__/b.js',
    ]);
  });
});
