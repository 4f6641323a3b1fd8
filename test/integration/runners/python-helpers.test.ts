// The shipped Python helpers run directly: the unittest report runner, and the line collector on
// both of its paths (coverage.py when importable, the standard library's trace otherwise).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { TRACE_TEST_SOURCE, UNITTEST_RUNNER_SOURCE } from '../../../src/runners/python-scripts.ts';
import { prepareFixture, type Fixture } from '../../helpers/fixture-repos.ts';

const run = promisify(execFile);
const hasCoverage = await run('python3', ['-c', 'import coverage']).then(() => true, () => false);
const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };

describe('python helpers', () => {
  let fx: Fixture;
  before(async () => {
    fx = await prepareFixture('unittest');
  });
  after(async () => fx?.cleanup());

  it('unittest runner: writes one record per test, subtests folded into their test', async () => {
    const out = path.join(fx.dir, '..', 'report.json');
    await run('python3', ['-c', UNITTEST_RUNNER_SOURCE, out], { cwd: fx.dir, env }).catch((e: { code?: number }) => assert.equal(e.code, 1));
    const report = JSON.parse(await readFile(out, 'utf8')) as { tests: { id: string; status: string; file: string; type?: string }[] };
    assert.deepEqual(
      report.tests.map((t) => [t.id, t.status, t.file]).sort(),
      [
        ['tests.test_discount.DiscountTest.test_halves_price', 'failed', 'tests/test_discount.py'],
        ['tests.test_discount.DiscountTest.test_keeps_price_without_code', 'passed', 'tests/test_discount.py'],
        ['tests.test_discount.DiscountTest.test_rounds_cents', 'skipped', 'tests/test_discount.py'],
      ],
    );
  });

  it('unittest runner: an unknown id is an error record, not a crash', async () => {
    const out = path.join(fx.dir, '..', 'unknown.json');
    await run('python3', ['-c', UNITTEST_RUNNER_SOURCE, out, 'tests.test_discount.Nope.test_x'], { cwd: fx.dir, env }).catch(() => undefined);
    const report = JSON.parse(await readFile(out, 'utf8')) as { tests: { status: string }[] };
    assert.deepEqual(report.tests.map((t) => t.status), ['error']);
  });

  for (const tracer of ['trace', ...(hasCoverage ? ['coverage'] : [])]) {
    it(`line collector with ${tracer}: the failing test's branch lines`, async () => {
      const out = path.join(fx.dir, '..', `lines-${tracer}.json`);
      const report = path.join(fx.dir, '..', `report-${tracer}.json`);
      // Hiding coverage.py makes the helper fall back to the trace module.
      const prelude = tracer === 'trace' ? 'import sys; sys.modules["coverage"] = None\n' : '';
      await run('python3', ['-c', prelude + TRACE_TEST_SOURCE, out, 'unittest', 'tests.test_discount.DiscountTest.test_halves_price', report, UNITTEST_RUNNER_SOURCE], { cwd: fx.dir, env }).catch(
        (e: { code?: number }) => assert.equal(e.code, 1),
      );
      const lines = JSON.parse(await readFile(out, 'utf8')) as Record<string, number[]>;
      const source = lines[path.join(fx.dir, 'shop', 'discount.py')];
      assert.ok(source, JSON.stringify(lines));
      for (const l of [5, 6, 7]) assert.ok(source.includes(l), `line ${l} in ${source}`);
      assert.ok(!source.includes(8));
      const results = JSON.parse(await readFile(report, 'utf8')) as { tests: { status: string }[] };
      assert.deepEqual(results.tests.map((t) => t.status), ['failed']);
    });
  }
});
