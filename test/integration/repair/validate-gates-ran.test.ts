// Gates that prove they ran, on py-orders in a real sandbox: the known fix is validated with the
// counts behind its claims, while a patch that keeps the reproduction test out of the results, or
// makes another test skip itself, is rejected even though nothing in what still runs fails.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sandboxTargets } from '../reproduce/helpers.ts';
import { knownFix, names, patch, setUp, tearDown, type Env } from './helpers.ts';

// The docker driver: its Python image carries pytest (a host's system python3 may not).
const primary = (await sandboxTargets()).find((t) => t.name === 'docker driver');
assert.ok(primary);

// Deselects whatever matches: pytest then reports neither a pass nor a failure for it.
const DESELECT = (needle: string) =>
  ['def pytest_collection_modifyitems(config, items):', `    kept = [i for i in items if ${JSON.stringify(needle)} not in i.nodeid]`, '    config.hook.pytest_deselected(items=[i for i in items if i not in kept])', '    items[:] = kept', ''].join('\n');
const SKIP = (needle: string) =>
  ['import pytest', '', '', 'def pytest_collection_modifyitems(config, items):', '    for item in items:', `        if ${JSON.stringify(needle)} in item.nodeid:`, '            item.add_marker(pytest.mark.skip(reason="off"))', ''].join('\n');

describe(`validation gates prove they ran: py-orders (${primary.name})`, { skip: primary.skip }, () => {
  let env: Env;
  before(async () => {
    env = await setUp(primary, 'py-orders', 'python');
  });
  after(() => tearDown(env));

  it('the known fix: reproduction id in every run, suite counts against the baseline', async () => {
    const c = await env.validate(await patch(env, 'app/orders.py', knownFix('py-orders')));
    assert.equal(c.status, 'validated', JSON.stringify(c, null, 2));
    const collected = env.baseline.tests.length;
    assert.ok(collected >= 3, `the baseline collected ${collected}`);
    assert.deepEqual(c.counts?.reproduction, { testId: env.reproduction.testId, runs: 1, executed: 1, passed: 1 });
    assert.deepEqual(c.counts?.suite, { collected, run: collected, passed: collected, failed: 0, skipped: 0 });
    assert.match(c.checks.find((k) => k.name === 'suite')?.detail ?? '', new RegExp(`^${collected} tests collected \\(baseline ${collected}\\), ${collected} run: ${collected} passed`));
  });

  it('rejects a fix whose conftest keeps the reproduction test out of the results', async () => {
    const id = env.reproduction.testId;
    const name = id.split('::').at(-1) ?? id;
    const c = await env.validate(await patch(env, 'app/orders.py', knownFix('py-orders'), { 'tests/conftest.py': DESELECT(name) }));
    assert.equal(c.status, 'rejected', JSON.stringify(c, null, 2));
    assert.deepEqual(names(c), ['paths:ok', 'size:ok', 'suppression:ok', 'apply:ok', 'reproduction:failed']);
    assert.match(c.reason ?? '', /^the reproduction test did not run: .*\(run 1 of 1\)$/);
    assert.deepEqual(c.counts?.reproduction, { testId: id, runs: 1, executed: 0, passed: 0 });
  });

  it('rejects a fix that makes another test skip: nothing fails, but fewer tests ran', async () => {
    const c = await env.validate(await patch(env, 'app/orders.py', knownFix('py-orders'), { 'tests/conftest.py': SKIP('test_line_total') }));
    assert.equal(c.status, 'rejected', JSON.stringify(c, null, 2));
    assert.deepEqual(names(c), ['paths:ok', 'size:ok', 'suppression:ok', 'apply:ok', 'reproduction:ok', 'suite:failed']);
    const collected = env.baseline.tests.length;
    assert.equal(c.reason, `the suite with the patch ran ${collected - 1} tests (1 skipped), fewer than the ${collected} the baseline ran`);
    assert.equal(c.counts?.suite?.skipped, 1);
  });
});
