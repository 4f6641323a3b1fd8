import assert from 'node:assert/strict';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_DENIED_PATHS } from '../../../schemas/repo-config.ts';
import { RepoConfigError } from '../../../src/workspace/errors.ts';
import { loadRepoConfig, parseRepoConfigFile } from '../../../src/workspace/repo-config.ts';
import { FIXTURES_DIR } from '../../helpers/fixture-repos.ts';

describe('loadRepoConfig: detected defaults', () => {
  const cases = [
    { fixture: 'node-test', language: 'typescript', framework: 'node-test', command: 'node --test', install: undefined },
    { fixture: 'vitest', language: 'node', framework: 'vitest', command: 'node_modules/.bin/vitest run', install: 'npm' },
    { fixture: 'jest', language: 'node', framework: 'jest', command: 'node_modules/.bin/jest', install: 'npm' },
    { fixture: 'mocha', language: 'node', framework: 'mocha', command: 'node_modules/.bin/mocha', install: 'npm' },
    { fixture: 'pytest', language: 'python', framework: 'pytest', command: 'python3 -m pytest', install: undefined },
    { fixture: 'unittest', language: 'python', framework: 'unittest', command: 'python3', install: undefined },
  ] as const;
  for (const c of cases) {
    it(`detects ${c.framework} in the ${c.fixture} fixture`, async () => {
      const config = await loadRepoConfig(path.join(FIXTURES_DIR, c.fixture));
      assert.equal(config.language, c.language);
      assert.equal(config.framework, c.framework);
      assert.equal(config.test.command, c.command);
      // The lockfile picks the manager; nothing runs in the sandbox unless the file asks.
      assert.equal(config.install?.manager, c.install);
      assert.equal(config.install?.command, undefined);
      assert.equal(config.install?.lockfile, c.install ? 'package-lock.json' : undefined);
      assert.equal(config.install?.scripts, c.install ? false : undefined);
      assert.deepEqual(config.install?.registries, c.install ? ['https://registry.npmjs.org/'] : undefined);
      assert.equal(config.install?.network, undefined);
      assert.equal(config.image, c.language === 'python' ? 'tracefix/sandbox-python:latest' : 'tracefix/sandbox-node:latest');
      assert.ok(config.test.files.length > 0);
      assert.deepEqual(config.paths, { allow: [], deny: [...DEFAULT_DENIED_PATHS] });
      assert.equal(config.maxPatchLines, 200);
      assert.equal(config.maxPatchFiles, 5);
      assert.equal(config.flakeReruns, 3);
      assert.equal(config.source.file, null);
      assert.ok(config.source.detected.includes('test.framework'));
    });
  }
});

describe('loadRepoConfig: .tracefix.yml', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-rc-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function load(yml: string, files: Record<string, string> = { 'package.json': '{"devDependencies":{"jest":"30"}}' }) {
    const d = await mkdtemp(path.join(dir, 'case-'));
    for (const [name, content] of Object.entries(files)) await writeFile(path.join(d, name), content);
    await writeFile(path.join(d, '.tracefix.yml'), yml);
    return loadRepoConfig(d);
  }

  async function problems(yml: string): Promise<string[]> {
    try {
      await load(yml);
    } catch (err) {
      assert.ok(err instanceof RepoConfigError, String(err));
      return [...err.problems];
    }
    assert.fail('expected the file to be rejected');
  }

  it('applies every key over the detected defaults', async () => {
    const config = await load(`
language: typescript
image: example/node:24
install:
  command: npm ci --ignore-scripts
  network: proxy
  registries: ["https://npm.example.com/repo/"]
test:
  command: npx jest --runInBand
  files: ["spec/**/*.ts"]
typecheck: npx tsc --noEmit
lint: npx eslint .
paths:
  allow: ["src/**"]
  deny: ["src/generated/**"]
maxPatchLines: 80
maxPatchFiles: 2
flakeReruns: 0
timeouts:
  install: 5m
  test: 90
  singleTest: 1500ms
`);
    assert.equal(config.language, 'typescript');
    assert.equal(config.framework, 'jest');
    assert.equal(config.image, 'example/node:24');
    // No lockfile here: only the command runs, in the sandbox.
    assert.deepEqual(config.install, { manager: 'none', command: 'npm ci --ignore-scripts', registries: ['https://npm.example.com/repo/'], scripts: false, network: 'proxy' });
    assert.deepEqual(config.test, { command: 'npx jest --runInBand', files: ['spec/**/*.ts'] });
    assert.equal(config.typecheck, 'npx tsc --noEmit');
    assert.equal(config.lint, 'npx eslint .');
    assert.deepEqual(config.paths.allow, ['src/**']);
    assert.deepEqual(config.paths.deny, [...DEFAULT_DENIED_PATHS, 'src/generated/**']);
    assert.equal(config.maxPatchLines, 80);
    assert.equal(config.maxPatchFiles, 2);
    assert.equal(config.flakeReruns, 0);
    assert.deepEqual(config.timeouts, { installMs: 300_000, testMs: 90_000, singleTestMs: 1500, checkMs: 300_000 });
    assert.equal(config.source.file, '.tracefix.yml');
    // The file's test command names jest: the framework is the command's, not a detected one; the
    // install manager still comes from the lockfile.
    assert.deepEqual(config.source.detected, ['install.manager']);
    assert.equal(config.detection?.evidence, 'jest: .tracefix.yml test.command `npx jest --runInBand` runs it');
  });

  it('resolves install: manager from the lockfile, registries and scripts from the file', async () => {
    const lock = { 'package.json': '{"dependencies":{"ms":"2.1.3"},"devDependencies":{"jest":"30"}}', 'package-lock.json': '{"lockfileVersion":3,"packages":{}}' };
    const config = await load('install:\n  scripts: true\n  registries: ["https://npm.example.com/repo/"]\n  command: npm run build:deps\n', lock);
    assert.deepEqual(config.install, {
      manager: 'npm',
      lockfile: 'package-lock.json',
      command: 'npm run build:deps',
      registries: ['https://npm.example.com/repo/'],
      scripts: true,
    });
    const off = await load('install:\n  manager: none\n', lock);
    assert.deepEqual(off.install, { manager: 'none', registries: [], scripts: false });
    const py = await load('', { 'requirements.txt': '# pinned\nrequests==2.32.3\n', 'test_x.py': '' });
    assert.deepEqual(py.install, { manager: 'pip', lockfile: 'requirements.txt', registries: ['https://pypi.org/simple/'], scripts: false });
    const noReqs = await load('', { 'requirements.txt': '# nothing yet\n', 'test_x.py': '' });
    assert.equal(noReqs.install, undefined);
    // A uv.lock or poetry.lock pins more than requirements.txt does (hashes of every wheel): it wins.
    const pyproject = '[project]\nname = "svc"\nversion = "0.1.0"\n';
    const uv = await load('', { 'pyproject.toml': pyproject, 'uv.lock': 'version = 1\n', 'requirements.txt': 'requests==2.32.3\n', 'test_x.py': '' });
    assert.deepEqual(uv.install, { manager: 'uv', lockfile: 'uv.lock', registries: ['https://pypi.org/simple/'], scripts: false });
    const poetry = await load('', { 'pyproject.toml': pyproject, 'poetry.lock': '[metadata]\nlock-version = "2.1"\n', 'test_x.py': '' });
    assert.deepEqual(poetry.install, { manager: 'poetry', lockfile: 'poetry.lock', registries: ['https://pypi.org/simple/'], scripts: false });
    assert.deepEqual(await problems('install:\n  command: npm ci\n  network: tracefix-install\n'), [
      '.tracefix.yml: install.network: expected none or proxy (a named Docker network is never attached to a sandbox: proxy allows only install.registries), got "tracefix-install"',
    ]);
    assert.deepEqual(await problems('install:\n  command: npm ci\n  network: proxy\n'), ['.tracefix.yml: install.network: proxy allows only install.registries: list the http(s) registries the command needs']);
    assert.deepEqual(await problems('install:\n  network: proxy\n  registries: ["https://npm.example.com/"]\n'), ['.tracefix.yml: install.network: proxy opens the registries to install.command, which is not set']);
    assert.deepEqual(await problems('install:\n  manager: uv\n'), ['.tracefix.yml: install.manager: uv needs uv.lock at the top of the repository (installs are pinned by it)']);
  });

  it('repair.validatedCandidates: how many validated candidates end the search, 3 by default', async () => {
    assert.deepEqual((await load('')).repair, { validatedCandidates: 3 });
    assert.deepEqual((await load('repair:\n  validatedCandidates: 1\n')).repair, { validatedCandidates: 1 });
    const [zero] = await problems('repair:\n  validatedCandidates: 0\n');
    assert.match(zero ?? '', /repair\.validatedCandidates/);
    const [unknown] = await problems('repair:\n  everything: true\n');
    assert.match(unknown ?? '', /repair/);
  });

  it('names install problems: a manager without its lockfile, bad types', async () => {
    assert.deepEqual(await problems('install:\n  manager: pnpm\n'), ['.tracefix.yml: install.manager: pnpm needs pnpm-lock.yaml at the top of the repository (installs are pinned by it)']);
    assert.deepEqual(await problems('install:\n  manager: cargo\n'), ['.tracefix.yml: install.manager: expected one of npm, pnpm, yarn, pip, uv, poetry, none, got "cargo"']);
    assert.deepEqual(await problems('install:\n  scripts: yes please\n'), ['.tracefix.yml: install.scripts: expected true or false, got "yes please"']);
    assert.deepEqual(await problems('install:\n  registries: []\n'), ['.tracefix.yml: install.registries: expected at least one registry, got a list']);
  });

  it('accepts shorthands: a string for test and install, node:test as a framework', async () => {
    const config = await load('test:\n  framework: node:test\n  command: node --test test/\ninstall: npm install\n');
    assert.equal(config.framework, 'node-test');
    assert.equal(config.test.command, 'node --test test/');
    assert.deepEqual(config.install, { manager: 'none', command: 'npm install', registries: [], scripts: false });
    const short = await load('test: npm test --\n');
    assert.equal(short.test.command, 'npm test --');
    assert.equal(short.framework, 'jest');
  });

  it('treats an empty file as no settings', async () => {
    const config = await load('');
    assert.equal(config.framework, 'jest');
  });

  it('names the key and the problem', async () => {
    assert.deepEqual(await problems('maxPatchLines: lots\n'), ['.tracefix.yml: maxPatchLines: expected a positive integer, got "lots"']);
    assert.deepEqual(await problems('maxPatchFiles: -1\n'), ['.tracefix.yml: maxPatchFiles: expected a positive integer, got -1']);
    assert.deepEqual(await problems('language: ruby\n'), ['.tracefix.yml: language: expected one of node, typescript, python, got "ruby"']);
    assert.deepEqual(await problems('paths:\n  deny: [".github/**", 3]\n'), ['.tracefix.yml: paths.deny[1]: expected a glob pattern (a string), got 3']);
    assert.deepEqual(await problems('timeouts:\n  test: soon\n'), [
      '.tracefix.yml: timeouts.test: expected a positive duration: seconds or a string like "90s" or "5m", got "soon"',
    ]);
    assert.deepEqual(await problems('flakeReruns: 1.5\n'), ['.tracefix.yml: flakeReruns: expected a whole number, 0 or more, got 1.5']);
    assert.deepEqual(await problems('test:\n  framework: rspec\n'), [
      '.tracefix.yml: test.framework: expected one of node:test, vitest, jest, mocha, pytest, unittest, got "rspec"',
    ]);
  });

  it('reads the bisect settings: on by default, false turns it off, a mapping sets depth and budget', async () => {
    assert.deepEqual((await load('')).bisect, { enabled: true, maxDepth: 64, timeoutMs: 600_000 });
    assert.deepEqual((await load('bisect: false\n')).bisect, { enabled: false, maxDepth: 64, timeoutMs: 600_000 });
    assert.deepEqual((await load('bisect:\n  maxDepth: 16\n  timeoutMs: 30000\n')).bisect, { enabled: true, maxDepth: 16, timeoutMs: 30_000 });
    const bad = await problems('bisect:\n  maxDepth: 0\n');
    assert.equal(bad.length, 1);
    assert.match(bad[0] ?? '', /^\.tracefix\.yml: bisect(\.maxDepth)?: expected/);
  });

  it('rejects unknown keys, suggesting the near one', async () => {
    assert.deepEqual(await problems('maxPatchLine: 3\n'), ['.tracefix.yml: maxPatchLine: unknown key (did you mean "maxPatchLines"?)']);
    assert.deepEqual(await problems('paths:\n  alow: ["src/**"]\n'), ['.tracefix.yml: paths.alow: unknown key (did you mean "allow"?)']);
    assert.deepEqual(await problems('install:\n  command: npm ci\n  netwrok: x\n'), ['.tracefix.yml: install.netwrok: unknown key (did you mean "network"?)']);
    assert.deepEqual(await problems('colour: blue\n'), ['.tracefix.yml: colour: unknown key']);
  });

  it('lists every problem at once', async () => {
    const found = await problems('maxPatchLines: 0\nlanguage: cobol\nextra: 1\n');
    assert.equal(found.length, 3, found.join('\n'));
  });

  it('reports YAML syntax errors with their position', async () => {
    const found = await problems('test:\n  command: [unclosed\n');
    assert.match(found[0] ?? '', /^\.tracefix\.yml: line \d+, column \d+: /);
    assert.deepEqual(await problems('- a\n- b\n'), ['.tracefix.yml: (top level): expected a mapping at the top level, got a list']);
    assert.deepEqual(await problems('flakeReruns: 1\nflakeReruns: 2\n'), ['.tracefix.yml: line 2, column 1: Map keys must be unique']);
  });

  it('refuses a framework that does not fit the language', async () => {
    assert.deepEqual(await problems('language: python\ntest:\n  framework: jest\n'), ['.tracefix.yml: test.framework: jest does not run python code']);
  });

  it('does not follow a symlinked config file', async () => {
    const d = await mkdtemp(path.join(dir, 'link-'));
    await writeFile(path.join(d, 'package.json'), '{}');
    await writeFile(path.join(dir, 'outside.yml'), 'maxPatchLines: 7\n');
    await symlink(path.join(dir, 'outside.yml'), path.join(d, '.tracefix.yml'));
    const config = await loadRepoConfig(d);
    assert.equal(config.maxPatchLines, 200);
    assert.equal(config.source.file, null);
  });

  it('asks for a language when nothing is detectable', async () => {
    const d = await mkdtemp(path.join(dir, 'empty-'));
    await assert.rejects(loadRepoConfig(d), /language: cannot detect the language/);
  });

  it('parses the file text on its own', () => {
    assert.deepEqual(parseRepoConfigFile('maxPatchLines: 9'), { maxPatchLines: 9 });
  });
});
