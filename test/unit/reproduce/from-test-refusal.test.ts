// `bundle --from-test` refuses a failure that is the test not running: the unittest loader's
// ModuleNotFoundError for a pytest id, a collection error, a traceback only through code outside
// the repository. A failure of the code itself (an assertion, a missing export the test imports)
// is kept. The failures are parsed from real tracebacks, as the runners report them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestCase } from '../../../schemas/test-results.ts';
import { cannotRun } from '../../../src/reproduce/from-test.ts';
import { failureOf, type TargetRun } from '../../../src/reproduce/test-target.ts';
import { mapToWorkspace } from '../../../src/reproduce/workspace-paths.ts';

const FILES = ['shop/__init__.py', 'shop/prices.py', 'tests/test_prices.py'];

function verdict(test: Omit<TestCase, 'durationMs'>): string | undefined {
  const run: TargetRun = { test: { ...test, durationMs: 1 }, passed: false };
  const failure = failureOf(run);
  assert.ok(failure);
  const frames = failure.frames.map((f) => {
    const rel = f.file ? mapToWorkspace(f.file, FILES) : undefined;
    return rel ? { ...f, file: rel } : f;
  });
  return cannotRun(run, failure, frames, FILES);
}

const LOADER_TRACEBACK = `Traceback (most recent call last):
  File "/usr/lib/python3.11/unittest/loader.py", line 162, in loadTestsFromName
    module = __import__(module_name)
             ^^^^^^^^^^^^^^^^^^^^^^^
ModuleNotFoundError: No module named 'tests/test_prices'
`;

describe('cannotRun', () => {
  it('refuses the unittest loader failing to import a pytest id (frames only in the standard library)', () => {
    const why = verdict({
      id: 'unittest.loader._FailedTest.tests/test_prices',
      file: '',
      name: 'tests/test_prices',
      status: 'error',
      failure: { type: 'ModuleNotFoundError', message: "No module named 'tests/test_prices'", stack: LOADER_TRACEBACK },
    });
    assert.match(why ?? '', /^unittest\.loader\._FailedTest\.tests\/test_prices did not load \(a collection or import error, not a failure of the code\): ModuleNotFoundError: No module named 'tests\/test_prices'$/);
  });

  it('refuses a pytest collection error of the test file, even with the test file in the traceback', () => {
    const stack = `Traceback (most recent call last):
  File "/workspace/tests/test_prices.py", line 1, in <module>
    from shopping.prices import bulk_price
ModuleNotFoundError: No module named 'shopping'
`;
    const why = verdict({ id: 'tests/test_prices.py', file: 'tests/test_prices.py', name: 'tests/test_prices.py', status: 'error', failure: { type: 'ModuleNotFoundError', message: "No module named 'shopping'", stack } });
    assert.match(why ?? '', /^tests\/test_prices\.py did not load .*No module named 'shopping'$/);
  });

  it('refuses a failure whose every frame is outside the repository', () => {
    const stack = `Traceback (most recent call last):
  File "/usr/lib/python3/dist-packages/_pytest/python.py", line 194, in pytest_pyfunc_call
    result = testfunction(**testargs)
TypeError: test_total() missing 1 required positional argument: 'cart'
`;
    const why = verdict({ id: 'tests/test_prices.py::test_total', file: 'tests/test_prices.py', name: 'test_total', status: 'failed', failure: { type: 'TypeError', message: "test_total() missing 1 required positional argument: 'cart'", stack } });
    assert.match(why ?? '', /^every frame of the failure is outside the repository \(\/usr\/lib\/python3\/dist-packages\/_pytest\/python\.py…\)/);
  });

  it('keeps an assertion failure and a missing export the test imports: those are the code failing', () => {
    const assertion = `Traceback (most recent call last):
  File "/workspace/tests/test_prices.py", line 5, in test_ten_items
    assert bulk_price(10, 2.0) == 18.0
AssertionError: assert 20.0 == 18.0
`;
    assert.equal(verdict({ id: 'tests/test_prices.py::test_ten_items', file: 'tests/test_prices.py', name: 'test_ten_items', status: 'failed', failure: { type: 'AssertionError', message: 'assert 20.0 == 18.0', stack: assertion } }), undefined);
    const missing = `Traceback (most recent call last):
  File "/workspace/tests/test_prices.py", line 1, in <module>
    from shop.prices import bulk_total
ImportError: cannot import name 'bulk_total' from 'shop.prices' (/workspace/shop/prices.py)
`;
    assert.equal(
      verdict({ id: 'tests/test_prices.py', file: 'tests/test_prices.py', name: 'tests/test_prices.py', status: 'error', failure: { type: 'ImportError', message: "cannot import name 'bulk_total' from 'shop.prices' (/workspace/shop/prices.py)", stack: missing } }),
      undefined,
    );
  });
});
