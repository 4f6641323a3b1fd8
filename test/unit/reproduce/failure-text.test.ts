// Failure texts as the runners report them (captured from node:test's junit reporter and pytest's
// junitxml in this repository's runner tests) → type, message and crash frame.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestCase, TestResults } from '../../../schemas/test-results.ts';
import { parseFailure, parsePytestTraceback, stripTypePrefix, unwrapNodeTestCause } from '../../../src/reproduce/failure-text.ts';
import { observe } from '../../../src/reproduce/observe.ts';

const FILES = ['src/cart.js', 'test/a.test.js', 'shop/orders.py', 'tests/test_a.py'];

const NODE_TEST_STACK = `[Error [ERR_TEST_FAILURE]: Cannot read properties of undefined (reading 'rate')] {
  code: 'ERR_TEST_FAILURE',
  failureType: 'testCodeFailure',
  cause: TypeError: Cannot read properties of undefined (reading 'rate')
      at total (/workspace/src/cart.js:2:22)
      at TestContext.<anonymous> (/workspace/test/a.test.js:4:23)
      at Test.runInAsyncScope (node:async_hooks:227:14)
      at Test.run (node:internal/test_runner/test:1402:25)
      at startSubtestAfterBootstrap (node:internal/test_runner/harness:387:17)
}`;

const NODE_ASSERT_STACK = `[Error [ERR_TEST_FAILURE]: Expected values to be strictly equal:

6 !== 5
] {
  code: 'ERR_TEST_FAILURE',
  failureType: 'testCodeFailure',
  cause: AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:
  \n  6 !== 5
  \n      at TestContext.<anonymous> (/workspace/test/a.test.js:5:27)
      at Test.runInAsyncScope (node:async_hooks:227:14) {
    generatedMessage: true,
    code: 'ERR_ASSERTION',
    actual: 6,
    expected: 5,
    operator: 'strictEqual'
  }
}`;

const PYTEST_LONG = `def test_repro():
>       line_total({"qty": 2})

tests/test_a.py:3: 
_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ 

line = {'qty': 2}

    def line_total(line):
>       return line["price"] * line["qty"]
               ^^^^^^^^^^^^^
E       KeyError: 'price'

shop/orders.py:2: KeyError`;

const PYTEST_SHORT = `tests/test_a.py:3: in test_repro
    line_total({"qty": 2})
shop/orders.py:2: in line_total
    return line["price"] * line["qty"]
E   KeyError: 'price'`;

const PYTEST_NATIVE = `Traceback (most recent call last):
  File "/usr/lib/python3/dist-packages/_pytest/python.py", line 166, in pytest_pyfunc_call
    result = testfunction(**testargs)
  File "/workspace/tests/test_a.py", line 3, in test_repro
    line_total({"qty": 2})
  File "/workspace/shop/orders.py", line 2, in line_total
    return line["price"] * line["qty"]
           ~~~~^^^^^^^^^
KeyError: 'price'`;

describe('parseFailure', () => {
  it("unwraps node:test's ERR_TEST_FAILURE to the error it caused", () => {
    const text = unwrapNodeTestCause(NODE_TEST_STACK);
    assert.match(text, /^TypeError: Cannot read properties of undefined \(reading 'rate'\)\n {4}at total/);
    const parsed = parseFailure({ message: "Cannot read properties of undefined (reading 'rate')", type: 'TypeError', stack: NODE_TEST_STACK });
    assert.equal(parsed.type, 'TypeError');
    assert.equal(parsed.message, "Cannot read properties of undefined (reading 'rate')");
    assert.deepEqual(parsed.frames.at(-1), { function: 'total', file: '/workspace/src/cart.js', absPath: '/workspace/src/cart.js', line: 2, column: 22, inApp: true });
  });

  it('reads the assertion type from the cause when the runner gave none', () => {
    const parsed = parseFailure({ message: 'Expected values to be strictly equal:\n\n6 !== 5', stack: NODE_ASSERT_STACK });
    assert.equal(parsed.type, 'AssertionError');
    assert.equal(parsed.frames.at(-1)?.function, 'TestContext.<anonymous>');
  });

  it("reads pytest's long and short formats (function from the def line or `in name`)", () => {
    for (const text of [PYTEST_LONG, PYTEST_SHORT]) {
      const parsed = parsePytestTraceback(text);
      assert.equal(parsed?.type, 'KeyError');
      assert.equal(parsed?.message, "'price'");
      assert.deepEqual(parsed?.frames.map((f) => [f.file, f.line, f.function]), [
        ['tests/test_a.py', 3, 'test_repro'],
        ['shop/orders.py', 2, 'line_total'],
      ]);
    }
  });

  it('reads native tracebacks and strips the type pytest puts before the message', () => {
    const parsed = parseFailure({ message: "KeyError: 'price'", type: 'KeyError', stack: PYTEST_NATIVE });
    assert.equal(parsed.type, 'KeyError');
    assert.equal(parsed.message, "'price'");
    assert.deepEqual(parsed.frames.map((f) => [f.function, f.inApp]), [
      ['pytest_pyfunc_call', false],
      ['test_repro', true],
      ['line_total', true],
    ]);
  });

  it('strips only a prefix that names an error type', () => {
    assert.equal(stripTypePrefix("KeyError: 'price'", 'KeyError'), "'price'");
    assert.equal(stripTypePrefix('app.errors.PaymentError: declined', 'PaymentError'), 'declined');
    assert.equal(stripTypePrefix('TypeError [ERR_X]: bad', undefined), 'bad');
    assert.equal(stripTypePrefix('Note: the total is wrong', 'AssertionError'), 'Note: the total is wrong');
  });
});

function results(tests: TestCase[], raw: Partial<TestResults['raw']> = {}, problem?: string): TestResults {
  return {
    framework: 'node-test',
    tests,
    summary: { total: tests.length, passed: 0, failed: 0, skipped: 0, errors: 0, durationMs: 1 },
    raw: { argv: [], exitCode: 1, stdout: '', stderr: '', durationMs: 1, timedOut: false, oomKilled: false, truncated: false, ...raw },
    ...(problem ? { problem } : {}),
  };
}

const ID = 'test/a.test.js::repro';
const base = { id: ID, file: 'test/a.test.js', name: 'repro', durationMs: 1 };

describe('observe', () => {
  it('turns a failed test into its type, message and crash frame', () => {
    const o = observe(results([{ ...base, status: 'failed', failure: { message: "Cannot read properties of undefined (reading 'rate')", type: 'TypeError', stack: NODE_TEST_STACK } }]), ID, { workspaceFiles: FILES });
    assert.deepEqual(o, { kind: 'failed', type: 'TypeError', message: "Cannot read properties of undefined (reading 'rate')", frame: { file: 'src/cart.js', function: 'total', line: 2 } });
  });

  it('tells passed, skipped, timed out and absent tests apart', () => {
    assert.deepEqual(observe(results([{ ...base, status: 'passed' }]), ID, { workspaceFiles: FILES }), { kind: 'passed' });
    assert.deepEqual(observe(results([{ ...base, status: 'skipped' }]), ID, { workspaceFiles: FILES }), { kind: 'skipped' });
    assert.equal(observe(results([], { timedOut: true }, 'the test command timed out after 120s'), ID, { workspaceFiles: FILES }).kind, 'timeout');
    assert.deepEqual(observe(results([], {}, 'node:test wrote no report'), ID, { workspaceFiles: FILES }), { kind: 'missing', detail: 'node:test wrote no report' });
  });

  it("recognizes node:test's file-level failure as an import error, with the error from its output", () => {
    const fileLevel: TestCase = { id: 'test/a.test.js::test/a.test.js', file: 'test/a.test.js', name: 'test/a.test.js', durationMs: 1, status: 'failed', failure: { message: 'test failed', stack: "[Error: test failed] { code: 'ERR_TEST_FAILURE', cause: 'test failed' }" } };
    const stdout = `node:internal/modules/cjs/loader:1568\n  throw err;\n  ^\n\nError: Cannot find module '../src/nope.js'\nRequire stack:\n- /workspace/test/a.test.js\n    at Module._resolveFilename (node:internal/modules/cjs/loader:1564:15)\n    at Object.<anonymous> (/workspace/test/a.test.js:2:18) {\n  code: 'MODULE_NOT_FOUND'\n}\n`;
    const o = observe(results([fileLevel], { stdout }), ID, { workspaceFiles: FILES, testFile: 'test/a.test.js' });
    assert.equal(o.kind, 'import-error');
    assert.match(o.kind === 'import-error' ? o.message : '', /Cannot find module '..\/src\/nope.js'/);
  });

  it("recognizes pytest's collection error as an import error", () => {
    const collection: TestCase = { id: 'tests/test_a.py', file: 'tests/test_a.py', name: 'tests/test_a.py', durationMs: 0, status: 'error', failure: { message: 'collection failure', type: 'ModuleNotFoundError', stack: "ImportError while importing test module '/workspace/tests/test_a.py'.\nTraceback:\ntests/test_a.py:1: in <module>\n    from shop.nope import x\nE   ModuleNotFoundError: No module named 'shop.nope'" } };
    const o = observe(results([collection]), 'tests/test_a.py::test_repro', { workspaceFiles: FILES, testFile: 'tests/test_a.py' });
    assert.deepEqual(o, { kind: 'import-error', type: 'ModuleNotFoundError', message: "No module named 'shop.nope'" });
  });
});
