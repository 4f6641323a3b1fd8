// Each common repository layout is detected right and its suite runs more than zero tests in the
// sandbox (the docker driver with tracefix's images). Runnable here: pytest and unittest (the
// Python image carries pytest) and node:test (built into Node). jest, vitest and mocha are not in the
// images and the sandbox has no network, so their import-only layouts are covered by detection
// alone (test/unit/runners/detect-framework.test.ts); their runners run in jest/vitest/mocha.test.ts
// with fixture node_modules. And a suite that collects nothing ends the run with the reason.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Reproduced } from '../../../schemas/run.ts';
import { repairStage } from '../../../src/repair/repair-stage.ts';
import type { RepairEngine } from '../../../src/repair/types.ts';
import { BaselineError, suiteBaseline } from '../../../src/repair/validate/index.ts';
import { runTests } from '../../../src/runners/run-tests.ts';
import { createSandboxDriver } from '../../../src/sandbox/api.ts';
import { sandboxImage } from '../../../src/sandbox/images.ts';
import type { Sandbox } from '../../../src/sandbox/types.ts';
import { loadRepoConfig } from '../../../src/workspace/repo-config.ts';
import { prepareFixture, type Fixture } from '../../helpers/fixture-repos.ts';
import { sandboxImagesUnavailable } from '../../helpers/sandbox-probes.ts';
import { fixtureBundle } from '../../unit/reproduce/helpers.ts';

const skip = await sandboxImagesUnavailable();
const driver = createSandboxDriver('docker', {});
const LABELS = { 'org.tracefix.test': 'detect-layouts' };

async function open(fixture: Fixture, runtime: 'node' | 'python'): Promise<Sandbox> {
  return driver.create({ image: sandboxImage(runtime), workspaceDir: fixture.dir, labels: LABELS });
}

const LAYOUTS: Array<{ fixture: string; runtime: 'node' | 'python'; framework: string; tests: number }> = [
  { fixture: 'layout-py-plain', runtime: 'python', framework: 'pytest', tests: 3 },
  { fixture: 'layout-py-conftest', runtime: 'python', framework: 'pytest', tests: 2 },
  { fixture: 'layout-py-reqdev', runtime: 'python', framework: 'pytest', tests: 2 },
  { fixture: 'layout-py-mixed', runtime: 'python', framework: 'pytest', tests: 3 },
  { fixture: 'unittest', runtime: 'python', framework: 'unittest', tests: 3 },
  { fixture: 'layout-js-node-test', runtime: 'node', framework: 'node-test', tests: 2 },
];

describe('every layout runs its tests in the docker sandbox', { skip }, () => {
  for (const layout of LAYOUTS) {
    it(`${layout.fixture}: ${layout.framework}, ${layout.tests} tests`, async (t) => {
      const fixture = await prepareFixture(layout.fixture);
      t.after(() => fixture.cleanup());
      const config = await loadRepoConfig(fixture.dir);
      assert.equal(config.framework, layout.framework);
      const sandbox = await open(fixture, layout.runtime);
      t.after(() => sandbox.destroy());
      const results = await runTests(sandbox, config);
      assert.equal(results.problem, undefined, results.problem ?? '');
      assert.equal(results.summary.total, layout.tests, JSON.stringify(results.tests.map((x) => x.id)));
      // Every fixture's own tests pass, except unittest's deliberate failing and skipped cases.
      if (layout.fixture !== 'unittest') assert.equal(results.summary.passed, layout.tests, results.raw.stdout.slice(-2000));
    });
  }
});

function reproduced(testId: string): Reproduced {
  return {
    status: 'reproduced',
    source: 'existing-test',
    framework: 'pytest',
    testFile: 'tests/test_prices.py',
    testId,
    signature: { type: 'AssertionError', message: 'assert 20.0 == 18.0', normalizedMessage: 'assert <num> == <num>', frame: null },
    runs: 1,
    attempts: [],
  };
}

describe('a suite that collects nothing ends the run with the reason', { skip }, () => {
  let fixture: Fixture;
  let sandbox: Sandbox;
  before(async () => {
    fixture = await prepareFixture('layout-py-plain', { git: true });
    sandbox = await open(fixture, 'python');
  });
  after(async () => {
    await sandbox?.destroy();
    await fixture?.cleanup();
  });

  it('plain pytest tests forced through unittest: 0 tests, a BaselineError naming the files and .tracefix.yml', async () => {
    await writeFile(path.join(fixture.dir, '.tracefix.yml'), 'test:\n  framework: unittest\n');
    const config = await loadRepoConfig(fixture.dir);
    assert.equal(config.framework, 'unittest');
    const error = await suiteBaseline({ sandbox, repoConfig: config, reproduction: reproduced('tests.test_prices.Missing'), testFiles: ['tests/test_prices.py'] }).then(
      () => assert.fail('the baseline must not pass on zero tests'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof BaselineError, String(error));
    assert.match(error.message, /^the suite collected 0 tests before the patch while the repository has 1 test file \(tests\/test_prices\.py\): no gate can pass on nothing\./);
    assert.match(error.message, /Detected: unittest: named by \.tracefix\.yml test\.framework; ran `python3`\./);
    assert.match(error.message, /set the test command in \.tracefix\.yml, e\.g\. `test: \{ command: "python -m pytest", framework: pytest \}`/);
  });

  it('a conftest that cannot be imported: the repair stage ends not-fixed before any engine runs', async () => {
    await writeFile(path.join(fixture.dir, '.tracefix.yml'), 'flakeReruns: 1\n');
    await writeFile(path.join(fixture.dir, 'tests', 'conftest.py'), 'import no_such_module_for_tracefix\n');
    const config = await loadRepoConfig(fixture.dir);
    assert.equal(config.framework, 'pytest');
    let engineRan = false;
    const engine: RepairEngine = {
      name: 'templates',
      run: async () => {
        engineRan = true;
        return { candidates: [], rootCauses: new Map(), stopped: 'never' };
      },
    };
    const result = await repairStage({
      bundle: await fixtureBundle('py-orders'),
      sandbox,
      repoConfig: config,
      trackedFiles: ['shop/__init__.py', 'shop/prices.py', 'tests/test_prices.py', 'tests/conftest.py'],
      reproduction: reproduced('tests/test_prices.py::test_large_orders_get_the_discount'),
      engines: [engine],
    });
    assert.equal(engineRan, false, 'no candidate is made against a suite that did not run');
    assert.equal(result.status, 'not-fixed');
    assert.deepEqual(result.candidates, []);
    assert.equal(result.localization, null);
    assert.match(result.reason ?? '', /^the suite did not run before the patch: .*no_such_module_for_tracefix/s);
    assert.match(result.reason ?? '', /Detected: pytest: 1 test file with module-level test functions, conftest\.py \(tests\/conftest\.py\), no config; ran `python3 -m pytest`/);
    assert.equal(result.testing?.framework, 'pytest');
    assert.equal(result.testing?.baseline, undefined);
  });
});
