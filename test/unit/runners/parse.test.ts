// Parsers over hand-written reports in each framework's format (the integration tests cover the
// real output); these pin the corner cases: nesting, hooks, load failures, collection errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecResult } from '../../../src/sandbox/types.ts';
import { jestRunner } from '../../../src/runners/jest.ts';
import { mochaRunner } from '../../../src/runners/mocha.ts';
import { nodeTestRunner } from '../../../src/runners/node-test.ts';
import { pytestRunner } from '../../../src/runners/pytest.ts';
import { unittestRunner } from '../../../src/runners/unittest.ts';
import { vitestRunner } from '../../../src/runners/vitest.ts';

const exec: ExecResult = { exitCode: 1, stdout: '', stderr: '', durationMs: 10, timedOut: false, oomKilled: false, truncated: false };
const ctx = { root: '/workspace' };
const statusById = (tests: { id: string; status: string }[]) => Object.fromEntries(tests.map((t) => [t.id, t.status]));

describe('node:test junit', () => {
  const xml = `<?xml version="1.0" encoding="utf-8"?>
<testsuites>
  <testcase name="top" time="0.001" classname="test" file="/workspace/test/a.test.js"/>
  <testsuite name="outer" tests="3">
    <testsuite name="inner &amp; more">
      <testcase name="deep" time="0.002" classname="outer.inner" file="/workspace/test/a.test.js">
        <failure type="testCodeFailure" message="Expected values to be strictly equal:&#10;&#10;6 !== 5">
Error [ERR_TEST_FAILURE]: x
  cause: AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:
    actual: 6,
    expected: 5,
    operator: 'strictEqual'
        </failure>
      </testcase>
    </testsuite>
    <testcase name="hooked" time="0" classname="outer" file="/workspace/test/a.test.js">
      <failure type="hookFailure" message="before each failed">[Error]</failure>
    </testcase>
    <testcase name="later" time="0" classname="outer" file="/workspace/test/a.test.js"><skipped type="todo" message="true"/></testcase>
  </testsuite>
</testsuites>`;

  it('keeps describe nesting in ids and tells hook failures from test failures', () => {
    const { tests, problem } = nodeTestRunner.parse(exec, { '/tmp/x/junit.xml': xml }, ctx);
    assert.equal(problem, undefined);
    assert.deepEqual(statusById(tests), {
      'test/a.test.js::top': 'passed',
      'test/a.test.js::outer > inner & more > deep': 'failed',
      'test/a.test.js::outer > hooked': 'error',
      'test/a.test.js::outer > later': 'skipped',
    });
    const deep = tests.find((t) => t.id.endsWith('deep'));
    assert.equal(deep?.failure?.type, 'AssertionError');
    assert.equal(deep?.failure?.expected, '5');
    assert.equal(deep?.failure?.actual, '6');
    assert.equal(deep?.durationMs, 2);
  });

  it('reports a missing or cut-off report as a problem', () => {
    assert.match(nodeTestRunner.parse(exec, { '/tmp/x/junit.xml': undefined }, ctx).problem ?? '', /no report/);
    assert.match(nodeTestRunner.parse(exec, { '/tmp/x/junit.xml': '<testsuites><testcase name="a"' }, ctx).problem ?? '', /not valid JUnit/);
  });
});

describe('pytest junit (xunit1)', () => {
  const xml = `<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" tests="5">
<testcase classname="tests.unit.test_a.TestX.TestNested" name="test_p[1-2]" file="tests/unit/test_a.py" line="3" time="0.5"><failure message="AssertionError: assert 3 == 4">E assert 3 == 4</failure></testcase>
<testcase classname="tests.unit.test_a" name="test_ok" file="tests/unit/test_a.py" line="9" time="0.1"/>
<testcase classname="tests.unit.test_a" name="test_setup" file="tests/unit/test_a.py" line="12" time="0"><error message="failed on setup with &quot;KeyError: 'x'&quot;">KeyError: 'x'</error></testcase>
<testcase classname="tests.unit.test_a" name="test_xfail" file="tests/unit/test_a.py" line="15" time="0"><skipped type="pytest.xfail" message="known"/></testcase>
<testcase classname="" name="tests.unit.test_broken" file="tests/unit/test_broken.py" time="0"><error message="collection failure">ImportError: nope</error></testcase>
</testsuite></testsuites>`;

  it('rebuilds node ids, classes and parameters included', () => {
    const { tests } = pytestRunner.parse(exec, { '/tmp/x/junit.xml': xml }, ctx);
    assert.deepEqual(statusById(tests), {
      'tests/unit/test_a.py::TestX::TestNested::test_p[1-2]': 'failed',
      'tests/unit/test_a.py::test_ok': 'passed',
      'tests/unit/test_a.py::test_setup': 'error',
      'tests/unit/test_a.py::test_xfail': 'skipped',
      'tests/unit/test_broken.py': 'error',
    });
    const failed = tests[0]!;
    assert.equal(failed.name, 'TestX::TestNested::test_p[1-2]');
    assert.deepEqual([failed.failure?.type, failed.failure?.expected, failed.failure?.actual], ['AssertionError', '4', '3']);
    assert.equal(tests[2]?.failure?.message, `failed on setup with "KeyError: 'x'"`);
  });
});

describe('jest / vitest json', () => {
  const report = JSON.stringify({
    testResults: [
      {
        name: '/workspace/src/a.test.ts',
        status: 'failed',
        assertionResults: [
          { ancestorTitles: ['math'], title: 'adds', status: 'passed', duration: 3, failureMessages: [] },
          {
            ancestorTitles: ['math', 'nested'],
            title: 'subtracts',
            status: 'failed',
            duration: 4,
            failureMessages: ['\u001b[2mError: expect(received).toBe(expected)\u001b[22m\n\nExpected: 1\nReceived: 2\n    at Object.<anonymous> (/workspace/src/a.test.ts:9:5)'],
            failureDetails: [{ matcherResult: { expected: 1, actual: 2, pass: false } }],
          },
          { ancestorTitles: [], title: 'todo', status: 'todo', duration: null, failureMessages: [] },
        ],
      },
      { name: '/workspace/src/broken.test.ts', status: 'failed', message: 'SyntaxError: Unexpected token (3:4)', assertionResults: [] },
    ],
  });

  it('parses results, matcher values and files that failed to load', () => {
    const { tests } = jestRunner.parse(exec, { '/tmp/x/jest.json': report }, ctx);
    assert.deepEqual(statusById(tests), {
      'src/a.test.ts::math > adds': 'passed',
      'src/a.test.ts::math > nested > subtracts': 'failed',
      'src/a.test.ts::todo': 'skipped',
      'src/broken.test.ts::(file)': 'error',
    });
    const failed = tests[1]!;
    assert.equal(failed.failure?.message, 'Error: expect(received).toBe(expected)\n\nExpected: 1\nReceived: 2');
    assert.deepEqual([failed.failure?.expected, failed.failure?.actual, failed.failure?.type], ['1', '2', 'Error']);
    assert.equal(tests[3]?.failure?.type, 'SyntaxError');
  });

  it('reads vitest messages without matcher data', () => {
    const vitest = JSON.stringify({
      testResults: [
        {
          name: '/workspace/test/a.test.js',
          assertionResults: [{ ancestorTitles: ['d'], title: 't', status: 'failed', duration: 1, failureMessages: ['AssertionError: expected 6 to be 5 // Object.is equality\n    at x (/workspace/test/a.test.js:1:1)'] }],
        },
      ],
    });
    const [t] = vitestRunner.parse(exec, { '/tmp/x/vitest.json': vitest }, ctx).tests;
    assert.deepEqual([t?.id, t?.failure?.type, t?.failure?.expected, t?.failure?.actual], ['test/a.test.js::d > t', 'AssertionError', '5', '6']);
    assert.match(vitestRunner.parse(exec, { x: '{"nope":1}' }, ctx).problem ?? '', /not the expected JSON/);
  });
});

describe('mocha json', () => {
  const t = (title: string, fullTitle: string, extra: object = {}) => ({ title, fullTitle, file: '/workspace/test/a.spec.js', duration: 1, ...extra });
  const report = JSON.stringify({
    stats: { suites: 2, tests: 3 },
    tests: [t('adds', 'math adds'), t('subtracts', 'math subtracts'), t('later', 'math later')],
    pending: [t('later', 'math later')],
    failures: [
      t('subtracts', 'math subtracts', { err: { message: 'Expected values to be strictly equal:\n\n2 !== 1\n', name: 'AssertionError', stack: 'AssertionError [ERR_ASSERTION]: x', actual: '2', expected: '1' } }),
      t('"before all" hook for "adds"', 'other "before all" hook for "adds"', { err: { message: 'db down', name: 'Error' } }),
    ],
    passes: [],
  });

  it('maps pending, failures and hook failures', () => {
    const { tests } = mochaRunner.parse(exec, { '/tmp/x/mocha.json': report }, ctx);
    assert.deepEqual(statusById(tests), {
      'test/a.spec.js::math > adds': 'passed',
      'test/a.spec.js::math > subtracts': 'failed',
      'test/a.spec.js::math > later': 'skipped',
      'test/a.spec.js::other > "before all" hook for "adds"': 'error',
    });
    assert.deepEqual([tests[1]?.failure?.expected, tests[1]?.failure?.actual, tests[1]?.failure?.type], ['1', '2', 'AssertionError']);
  });

  it('falls back to the JSON on stdout of a mocha without the output option', () => {
    const stdout = `a test logged this\n${JSON.stringify(JSON.parse(report), null, 2)}\n`;
    const { tests } = mochaRunner.parse({ ...exec, stdout }, { '/tmp/x/mocha.json': undefined }, ctx);
    assert.equal(tests.length, 4);
  });
});

describe('unittest json', () => {
  it('keeps dotted ids and tracebacks', () => {
    const report = JSON.stringify({
      tests: [
        { id: 'tests.test_a.T.test_ok', file: 'tests/test_a.py', name: 'T.test_ok', status: 'passed', durationMs: 1 },
        { id: 'tests.test_a.T.test_bad', file: 'tests/test_a.py', name: 'T.test_bad', status: 'failed', durationMs: 2, type: 'AssertionError', message: '6.0 != 5', traceback: 'Traceback...\nAssertionError: 6.0 != 5\n' },
      ],
    });
    const { tests } = unittestRunner.parse(exec, { '/tmp/x/unittest.json': report }, ctx);
    assert.deepEqual(statusById(tests), { 'tests.test_a.T.test_ok': 'passed', 'tests.test_a.T.test_bad': 'failed' });
    assert.deepEqual([tests[1]?.failure?.type, tests[1]?.failure?.expected, tests[1]?.failure?.actual], ['AssertionError', '5', '6.0']);
  });
});
