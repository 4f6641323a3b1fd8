import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectFramework } from '../../../src/runners/api.ts';
import { jestRunner } from '../../../src/runners/jest.ts';
import { mochaRunner } from '../../../src/runners/mocha.ts';
import { nodeTestRunner } from '../../../src/runners/node-test.ts';
import { pytestRunner } from '../../../src/runners/pytest.ts';
import type { RepoFacts } from '../../../src/runners/types.ts';
import { unittestRunner } from '../../../src/runners/unittest.ts';
import { vitestRunner } from '../../../src/runners/vitest.ts';

const outDir = '/tmp/tracefix-x';
const tail = (argv: string[]) => argv.slice(4); // after sh -c '<base> "$@"' sh

describe('runner commands', () => {
  it('node:test: junit to a file, one anchored name pattern per id, the ids\' files', () => {
    const cmd = nodeTestRunner.command({ outDir, baseCommand: 'node --test', testIds: ['test/a.test.ts::s > t'], coverage: true });
    assert.deepEqual(cmd.argv.slice(0, 4), ['sh', '-c', 'node --test "$@"', 'sh']);
    assert.ok(tail(cmd.argv).includes(`--test-reporter-destination=${outDir}/junit.xml`));
    assert.ok(tail(cmd.argv).includes('--test-name-pattern=^s(?: | > )t$'));
    assert.equal(cmd.argv.at(-1), 'test/a.test.ts');
    assert.deepEqual(cmd.env, { NODE_V8_COVERAGE: `${outDir}/v8` });
    assert.deepEqual(cmd.coverage, { kind: 'v8', dir: `${outDir}/v8` });
  });

  it('jest: json report, -t, anchored path regexes, its own coverage', () => {
    const cmd = jestRunner.command({ outDir, baseCommand: 'node_modules/.bin/jest', testIds: ['src/a.test.js::x'], coverage: true });
    const args = tail(cmd.argv);
    assert.deepEqual(args.slice(args.indexOf('-t'), args.indexOf('-t') + 3), ['-t', '^x$', '(^|/)src\\/a\\.test\\.js$']);
    assert.ok(args.includes('--coverage') && args.includes(`--coverageDirectory=${outDir}/coverage`));
    assert.deepEqual(cmd.coverage, { kind: 'istanbul', file: `${outDir}/coverage/coverage-final.json` });
  });

  it('vitest: its coverage provider when installed, else native imports under NODE_V8_COVERAGE', () => {
    const withProvider = vitestRunner.command({ outDir, baseCommand: 'vitest run', testIds: ['a.test.js::x'], coverage: true, packages: { vitest: '5.1.1', '@vitest/coverage-v8': '5.1.1' } });
    assert.ok(tail(withProvider.argv).includes('--coverage.provider=v8'));
    assert.equal(withProvider.coverage?.kind, 'istanbul');
    const native = vitestRunner.command({ outDir, baseCommand: 'vitest run', testIds: ['a.test.js::x'], coverage: true, packages: { vitest: '4.1.0' } });
    assert.ok(tail(native.argv).includes('--experimental.viteModuleRunner=false'));
    assert.ok(tail(native.argv).includes('--pool=threads'));
    const old = vitestRunner.command({ outDir, baseCommand: 'vitest run', coverage: true, packages: { vitest: '3.2.0' } });
    assert.ok(!tail(old.argv).includes('--experimental.viteModuleRunner=false'));
  });

  it('mocha: json reporter output option and --grep', () => {
    const cmd = mochaRunner.command({ outDir, baseCommand: 'mocha', testIds: ['t/a.js::s > t'] });
    assert.deepEqual(tail(cmd.argv), ['--reporter', 'json', '--reporter-option', `output=${outDir}/mocha.json`, '--grep', '^s(?: | > )t$', 't/a.js']);
  });

  it('pytest: junit xunit1 and node ids; coverage through the helper with the same interpreter', () => {
    const cmd = pytestRunner.command({ outDir, baseCommand: '.venv/bin/python -m pytest', testIds: ['t/test_a.py::T::t'] });
    assert.deepEqual(tail(cmd.argv), ['-p', 'no:cacheprovider', '-o', 'junit_family=xunit1', `--junitxml=${outDir}/junit.xml`, 't/test_a.py::T::t']);
    const cov = pytestRunner.command({ outDir, baseCommand: '.venv/bin/python -m pytest', testIds: ['t/test_a.py::T::t'], coverage: true });
    assert.equal(cov.argv[0], '.venv/bin/python');
    assert.deepEqual(cov.argv.slice(3, 6), [`${outDir}/lines.json`, 'pytest', 't/test_a.py::T::t']);
    assert.equal(cov.env['PYTHONDONTWRITEBYTECODE'], '1');
  });

  it('unittest: our runner script as -c with the ids', () => {
    const cmd = unittestRunner.command({ outDir, baseCommand: 'python3', testIds: ['tests.test_a.T.test_x'] });
    assert.equal(tail(cmd.argv)[0], '-c');
    assert.deepEqual(tail(cmd.argv).slice(2), [`${outDir}/unittest.json`, 'tests.test_a.T.test_x']);
  });
});

describe('detectFramework', () => {
  const facts = (over: Partial<RepoFacts>): RepoFacts => ({ files: new Set(), texts: {}, ...over });
  const pkg = (deps: Record<string, string>, test?: string) => ({ dependencies: deps, scripts: test ? { test } : ({} as Record<string, string>) });

  it('prefers what the test script runs, then the dependencies', () => {
    assert.equal(detectFramework(facts({ packageJson: pkg({ jest: '1', vitest: '1' }, 'vitest run') })), 'vitest');
    assert.equal(detectFramework(facts({ packageJson: pkg({ mocha: '1' }) })), 'mocha');
    assert.equal(detectFramework(facts({ packageJson: pkg({ 'ts-jest': '1' }) })), 'jest');
    assert.equal(detectFramework(facts({ packageJson: pkg({}, 'node --test test/') })), 'node-test');
    assert.equal(detectFramework(facts({ packageJson: pkg({ express: '1' }) })), 'node-test');
  });

  it('finds pytest from its config files, else falls back to unittest', () => {
    const py = (files: string[], texts: Record<string, string> = {}) => facts({ files: new Set(files), texts });
    assert.equal(detectFramework(py(['pyproject.toml'], { 'pyproject.toml': '[tool.pytest.ini_options]\n' })), 'pytest');
    assert.equal(detectFramework(py(['setup.cfg'], { 'setup.cfg': '[tool:pytest]\n' })), 'pytest');
    assert.equal(detectFramework(py(['setup.py', 'tests/conftest.py'])), 'pytest');
    assert.equal(detectFramework(py(['requirements-dev.txt'], { 'requirements-dev.txt': 'pytest>=8\n' })), 'pytest');
    assert.equal(detectFramework(py(['setup.py', 'tests/test_a.py'])), 'unittest');
    assert.equal(detectFramework(facts({})), undefined);
  });
});
