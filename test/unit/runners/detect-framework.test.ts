// Framework detection on the layouts repositories really have (test/fixtures/repos/layout-*), and
// on facts built in memory for the signs one at a time: pytest on any sign of it, unittest only for
// pure TestCase suites, JS runners from imports, scripts, config files and dependencies, and the
// .tracefix.yml test command over all of it. Each verdict carries its evidence.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { explainFramework } from '../../../src/runners/api.ts';
import { detectPython } from '../../../src/runners/python-detect.ts';
import type { RepoFacts } from '../../../src/runners/types.ts';
import { prepareFixture } from '../../helpers/fixture-repos.ts';
import { frameworkOfCommand, loadRepoConfig } from '../../../src/workspace/repo-config.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/repos');

function facts(files: Record<string, string>, packageJson?: RepoFacts['packageJson']): RepoFacts {
  const names = new Set(Object.keys(files));
  const texts = Object.fromEntries(Object.entries(files).filter(([f]) => !/\.(py|[cm]?[jt]s)$/.test(f)));
  const testSources = Object.fromEntries(Object.entries(files).filter(([f]) => /\.(py|[cm]?[jt]s)$/.test(f)));
  return { files: names, texts, testSources, ...(packageJson ? { packageJson } : {}) };
}

const TEST_CASE = 'import unittest\n\nclass PriceTest(unittest.TestCase):\n    def test_a(self):\n        self.assertEqual(1, 1)\n';

describe('detection on repository layouts', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['layout-py-plain', 'pytest', /^pytest: 1 test file with module-level test functions, no config$/],
    ['layout-py-conftest', 'pytest', /conftest\.py \(tests\/conftest\.py\)/],
    ['layout-py-reqdev', 'pytest', /^pytest: pytest listed in requirements-dev\.txt, 1 test file with unittest\.TestCase classes \(pytest runs those too\), no config$/],
    ['layout-py-mixed', 'pytest', /module-level test functions, 1 test file with unittest\.TestCase classes/],
    ['unittest', 'unittest', /^unittest: 1 test file with unittest\.TestCase classes, nothing points to pytest/],
    ['pytest', 'pytest', /config in pyproject\.toml \[tool\.pytest\]/],
    ['layout-js-node-test', 'node-test', /^node:test: 1 test file imports node:test$/],
    ['layout-js-vitest', 'vitest', /^vitest: 1 test file imports vitest$/],
    ['layout-js-jest', 'jest', /^jest: 1 test file imports @jest\/globals$/],
    ['layout-js-mocha', 'mocha', /^mocha: 1 test file imports mocha$/],
  ];
  for (const [fixture, framework, evidence] of cases) {
    it(`${fixture} → ${framework}`, async () => {
      const config = await loadRepoConfig(path.join(FIXTURES, fixture));
      assert.equal(config.framework, framework);
      assert.equal(config.detection?.framework, framework);
      assert.match(config.detection?.evidence ?? '', evidence);
      assert.ok(config.source.detected.includes('test.framework'));
      if (framework === 'pytest') assert.equal(config.test.command, 'python3 -m pytest');
    });
  }
});

describe('python signs, one at a time', () => {
  it('pytest on a bare assert, an import, a plain Test class, a dependency or a config section alone', () => {
    const bare = TEST_CASE.replace('self.assertEqual(1, 1)', 'assert 1 == 1');
    const signs: Array<[Record<string, string>, RegExp]> = [
      [{ 'tests/test_a.py': bare }, /1 test file with bare assert/],
      [{ 'tests/test_a.py': `import pytest\n${TEST_CASE}` }, /importing pytest/],
      [{ 'tests/test_a.py': 'class TestPrice:\n    def test_a(self):\n        pass\n' }, /plain Test classes/],
      [{ 'tests/test_a.py': 'async def test_a():\n    pass\n' }, /module-level test functions/],
      [{ 'tests/test_a.py': TEST_CASE, 'pyproject.toml': '[project.optional-dependencies]\ndev = ["pytest>=8", "ruff"]\n' }, /pytest listed in pyproject\.toml/],
      [{ 'tests/test_a.py': TEST_CASE, 'setup.cfg': '[tool:pytest]\naddopts = -q\n' }, /config in setup\.cfg \[tool:pytest\]/],
      [{ 'tests/test_a.py': TEST_CASE, 'tox.ini': '[testenv]\ndeps =\n    pytest\ncommands = pytest\n' }, /pytest listed in tox\.ini/],
      [{ 'tests/test_a.py': TEST_CASE, 'requirements/dev.txt': 'pytest==8.1\n' }, /pytest listed in requirements\/dev\.txt/],
      [{ 'app/x.py': '', 'conftest.py': '' }, /conftest\.py \(conftest\.py\)/],
    ];
    for (const [files, evidence] of signs) {
      const d = detectPython(facts(files));
      assert.equal(d.framework, 'pytest', JSON.stringify(files));
      assert.match(d.evidence, evidence);
    }
  });

  it('unittest for pure TestCase suites, and not for a plugin or a comment that only mentions pytest', () => {
    const pure = detectPython(facts({ 'tests/test_a.py': TEST_CASE, 'tests/test_b.py': TEST_CASE.replace('PriceTest', 'OtherTest') }));
    assert.equal(pure.framework, 'unittest');
    assert.match(pure.evidence, /^unittest: 2 test files with unittest\.TestCase classes/);
    assert.equal(pure.testFiles, 2);
    const mention = detectPython(facts({ 'tests/test_a.py': TEST_CASE, 'requirements.txt': '# we used pytest once\npytest-cov-ghost==1\n' }));
    assert.equal(mention.framework, 'unittest', mention.evidence);
  });

  it('unittest with nothing to go on says so', () => {
    const d = detectPython(facts({ 'app.py': 'print(1)\n', 'requirements.txt': 'flask\n' }));
    assert.equal(d.framework, 'unittest');
    assert.match(d.evidence, /no test files found/);
  });
});

describe('JS signs', () => {
  const vitestFile = { 'test/a.test.js': "import { it } from 'vitest';\nit('x', () => {});\n" };
  it('the test script outranks imports, imports outrank dependencies, jest globals count when nothing is imported', () => {
    const script = explainFramework(facts(vitestFile, { scripts: { test: 'jest --ci' }, dependencies: {} }), 'node');
    assert.equal(script?.framework, 'jest');
    assert.match(script?.evidence ?? '', /^jest: package\.json test script runs jest; also seen: vitest \(1 test file imports vitest\)$/);
    const imports = explainFramework(facts(vitestFile, { scripts: {}, dependencies: { jest: '^29' } }), 'node');
    assert.equal(imports?.framework, 'vitest');
    const globals = explainFramework(facts({ 'src/a.spec.ts': "jest.mock('./b');\ntest('x', () => {});\n" }, { scripts: {}, dependencies: {} }), 'node');
    assert.equal(globals?.framework, 'jest');
    assert.match(globals?.evidence ?? '', /jest globals/);
    const config = explainFramework(facts({ '.mocharc.yml': 'spec: test\n' }, { scripts: {}, dependencies: {} }), 'node');
    assert.equal(config?.framework, 'mocha');
    assert.match(config?.evidence ?? '', /config \.mocharc\.yml/);
  });

  it('falls back to node:test with the reason, and names nothing for a runner it has no adapter for', () => {
    const none = explainFramework(facts({ 'test/a.test.js': "require('node:assert');\n" }, { scripts: {}, dependencies: {} }), 'node');
    assert.equal(none?.framework, 'node-test');
    assert.match(none?.evidence ?? '', /no test runner in package\.json/);
    assert.equal(explainFramework(facts({}, { scripts: { test: 'ava' }, dependencies: { ava: '^6' } }), 'node'), undefined);
  });
});

describe('the .tracefix.yml test command wins', () => {
  it('names the framework its command runs, over what the files say', async (t) => {
    const fixture = await prepareFixture('layout-py-plain');
    t.after(() => fixture.cleanup());
    await writeFile(path.join(fixture.dir, '.tracefix.yml'), 'test: python3 -m unittest discover -s tests\n');
    const unittest = await loadRepoConfig(fixture.dir);
    assert.equal(unittest.framework, 'unittest');
    // The unittest runner is given the interpreter: it runs its own loader.
    assert.equal(unittest.test.command, 'python3');
    assert.equal(unittest.detection?.evidence, 'unittest: .tracefix.yml test.command `python3 -m unittest discover -s tests` runs it');
    await writeFile(path.join(fixture.dir, '.tracefix.yml'), 'test:\n  command: .venv/bin/pytest -x\n');
    const pytest = await loadRepoConfig(fixture.dir);
    assert.equal(pytest.framework, 'pytest');
    assert.equal(pytest.test.command, '.venv/bin/pytest -x');
    await writeFile(path.join(fixture.dir, '.tracefix.yml'), 'test:\n  command: make test\n  framework: unittest\n');
    const named = await loadRepoConfig(fixture.dir);
    assert.equal(named.framework, 'unittest');
    assert.equal(named.test.command, 'make test');
    assert.match(named.detection?.evidence ?? '', /named by \.tracefix\.yml test\.framework/);
  });

  it('reads a framework from common command shapes', () => {
    assert.equal(frameworkOfCommand('python -m pytest -q', 'python'), 'pytest');
    assert.equal(frameworkOfCommand('py.test', 'python'), 'pytest');
    assert.equal(frameworkOfCommand('make test', 'python'), undefined);
    assert.equal(frameworkOfCommand('node --test --experimental-strip-types', 'node'), 'node-test');
    assert.equal(frameworkOfCommand('npx vitest run', 'node'), 'vitest');
    assert.equal(frameworkOfCommand('node_modules/.bin/jest --ci', 'node'), 'jest');
    assert.equal(frameworkOfCommand('npm test --', 'node'), undefined);
  });
});

describe('facts gathered from a checkout', () => {
  it('reads test files below the top two levels, and not node_modules', async (t) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-detect-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.join(dir, 'tests/unit/prices'), { recursive: true });
    await mkdir(path.join(dir, 'node_modules/x/test'), { recursive: true });
    await writeFile(path.join(dir, 'setup.py'), 'from setuptools import setup\nsetup()\n');
    await writeFile(path.join(dir, 'tests/unit/prices/test_bulk.py'), 'def test_a():\n    assert True\n');
    await writeFile(path.join(dir, 'node_modules/x/test/a.test.js'), "require('vitest');\n");
    const config = await loadRepoConfig(dir);
    assert.equal(config.framework, 'pytest');
    assert.match(config.detection?.evidence ?? '', /^pytest: 1 test file with module-level test functions, no config$/);
  });
});
