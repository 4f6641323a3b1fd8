// The runner scenarios again, through the real local (bubblewrap) sandbox driver instead of the
// host helper: Node 24 at /opt/node/bin, the host's python3, a private /tmp, /workspace.
import { execFileSync } from 'node:child_process';
import { createSandboxDriver } from '../../../src/sandbox/api.ts';
import { hasPytest } from '../../helpers/fixture-repos.ts';
import { runnerScenario, type Scenario } from '../../helpers/runner-scenario.ts';

function bwrapWorks(): boolean {
  try {
    execFileSync('bwrap', ['--unshare-all', '--ro-bind', '/usr', '/usr', '--symlink', 'usr/bin', '/bin', '--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64', '/usr/bin/true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const driver = createSandboxDriver('local', {});
const sandbox = (dir: string) => driver.create({ image: 'local', workspaceDir: dir });
const unavailable = bwrapWorks() ? false : 'bubblewrap is not usable here';
// The jail's python3 is the host's /usr/bin/python3.
const systemPytest = (await hasPytest('/usr/bin/python3')) ? false : '/usr/bin/python3 has no pytest (apt-get install python3-pytest)';

const scenarios: Scenario[] = [
  {
    fixture: 'node-test', framework: 'node-test', sourceFile: 'src/discount.ts', failingOnlyLines: [6, 7], passingOnlyLine: 9, actual: /6/,
    passingId: 'test/discount.test.ts::discount > keeps the price without a code',
    failingId: 'test/discount.test.ts::discount > halves the price',
    skippedId: 'test/discount.test.ts::discount > rounds cents',
  },
  ...(['vitest', 'jest'] as const).map((framework): Scenario => ({
    fixture: framework, framework, sourceFile: 'src/discount.js', failingOnlyLines: [4, 5], passingOnlyLine: 7, actual: /6/,
    passingId: 'test/discount.test.js::discount > keeps the price without a code',
    failingId: 'test/discount.test.js::discount > halves the price',
    skippedId: 'test/discount.test.js::discount > rounds cents',
  })),
  {
    fixture: 'mocha', framework: 'mocha', sourceFile: 'src/discount.js', failingOnlyLines: [4, 5], passingOnlyLine: 7, actual: /6/,
    passingId: 'test/discount.spec.js::discount > keeps the price without a code',
    failingId: 'test/discount.spec.js::discount > halves the price',
    skippedId: 'test/discount.spec.js::discount > rounds cents',
  },
  {
    fixture: 'pytest', framework: 'pytest', sourceFile: 'shop/discount.py', failingOnlyLines: [6, 7], passingOnlyLine: 8, actual: /6\.0/,
    passingId: 'tests/test_discount.py::test_keeps_price_without_code',
    failingId: 'tests/test_discount.py::TestHalf::test_halves_price',
    skippedId: 'tests/test_discount.py::test_rounds_cents',
    skip: systemPytest,
  },
  {
    fixture: 'unittest', framework: 'unittest', sourceFile: 'shop/discount.py', failingOnlyLines: [6, 7], passingOnlyLine: 8, actual: /6\.0/,
    passingId: 'tests.test_discount.DiscountTest.test_keeps_price_without_code',
    failingId: 'tests.test_discount.DiscountTest.test_halves_price',
    skippedId: 'tests.test_discount.DiscountTest.test_rounds_cents',
  },
];

for (const s of scenarios) runnerScenario({ ...s, sandbox, skip: unavailable || s.skip || false, label: 'local driver' });
