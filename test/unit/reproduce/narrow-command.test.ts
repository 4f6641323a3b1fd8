import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TestCase } from '../../../schemas/test-results.ts';
import { failingTestOf } from '../../../src/reproduce/narrow-command.ts';
import { repoConfig } from './helpers.ts';

const tc = (id: string, name: string, status: TestCase['status']): TestCase => ({ id, file: id.split('::')[0]!, name, status, durationMs: 1 });
const SUITE = [
  tc('test/cart.test.js::checkout > charges the full price', 'checkout > charges the full price', 'passed'),
  tc('test/cart.test.js::checkout > rounds to cents', 'checkout > rounds to cents', 'failed'),
  tc('test/coupon.test.js::an unknown coupon code charges the full price', 'an unknown coupon code charges the full price', 'failed'),
  tc('test/x.test.js::works', 'works', 'failed'),
];

test('the failing test the command printed is the target: by id, else by its title', () => {
  const node = repoConfig('node-test');
  const output = '▶ checkout\n  ✔ charges the full price\n✖ an unknown coupon code charges the full price (1.2ms)\n  TypeError: boom';
  assert.equal(failingTestOf(output, 'npm run test:unit', node, SUITE)?.id, 'test/coupon.test.js::an unknown coupon code charges the full price');
  const py = repoConfig('pytest');
  const pyTests = [tc('tests/test_a.py::test_ok', 'test_ok', 'failed'), tc('tests/test_b.py::TestB::test_total', 'TestB::test_total', 'failed')];
  assert.equal(failingTestOf('FAILED tests/test_b.py::TestB::test_total - AssertionError', 'make check', py, pyTests)?.id, 'tests/test_b.py::TestB::test_total');
});

test('a title too short to name one test, or a test that passed, is not taken; the repository\'s own command takes its first failure', () => {
  const node = repoConfig('node-test');
  assert.equal(failingTestOf('✖ works\n✔ charges the full price', 'make check', node, SUITE), undefined);
  assert.equal(failingTestOf('nothing useful', node.test.command, node, SUITE)?.id, 'test/cart.test.js::checkout > rounds to cents');
  assert.equal(failingTestOf('nothing useful', 'make check', node, SUITE), undefined);
});
