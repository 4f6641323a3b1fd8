// Validation on real repositories in a real sandbox: each fixture's incident is reproduced first
// (reproduce() on the fixture's Sentry webhook), the suite baseline is taken, and patches go
// through every gate with the repositories' own runners. The known fixes validate and leave the
// workspace as they found it; patches that break a test, touch a forbidden path, grow too large,
// swallow the error, break a configured lint or typecheck, or pass only through a side effect are
// rejected at the gate that catches them, with a reason that names what went wrong.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Candidate } from '../../../schemas/run.ts';
import { sandboxTargets } from '../reproduce/helpers.ts';
import { assertDiffFiles, atCommit, knownFix, names, patch, setUp as setUpIn, tearDown, type Env, type SetUpOptions } from './helpers.ts';

const [primary] = await sandboxTargets();
assert.ok(primary);
const setUp = (name: string, runtime: 'node' | 'python', options?: SetUpOptions) => setUpIn(primary, name, runtime, options);

describe(`validate js-cart (${primary.name})`, { skip: primary.skip }, () => {
  let env: Env;
  before(async () => {
    // The default flake reruns (3): the known fix must pass 3 of 3.
    env = await setUp('js-cart', 'node', { flakeReruns: 3 });
  });
  after(() => tearDown(env));

  it('takes the baseline with the reproduction test in place, none failing', () => {
    assert.deepEqual(env.baseline.failing, []);
    assert.ok(env.baseline.tests.includes(env.reproduction.testId));
    assert.equal(env.baseline.tests.length, 4);
  });

  it('validates the known fix with every check ok and leaves the workspace clean', async () => {
    const p = await patch(env, 'src/cart.js', knownFix('js-cart'));
    const c = await env.validate(p);
    Candidate.parse(c);
    assert.equal(c.status, 'validated', JSON.stringify(c, null, 2));
    assert.deepEqual(names(c), ['paths:ok', 'size:ok', 'suppression:ok', 'apply:ok', 'reproduction:ok', 'suite:ok', 'sensitivity:ok']);
    assert.equal(c.checks.find((k) => k.name === 'reproduction')?.detail, `the reproduction test ${env.reproduction.testId} was in the results and passed in 3 of 3 runs`);
    assert.deepEqual(c.counts?.reproduction, { testId: env.reproduction.testId, runs: 3, executed: 3, passed: 3 });
    assert.deepEqual(c.counts?.suite, { collected: 4, run: 4, passed: 4, failed: 0, skipped: 0 });
    assert.match(c.checks.find((k) => k.name === 'sensitivity')?.detail ?? '', /fails again with the incident's signature \(TypeError at src\/cart\.js:applyCoupon\)/);
    assert.match(c.checks.find((k) => k.name === 'suite')?.detail ?? '', /^4 tests collected \(baseline 4\), 4 run: 4 passed, 0 failed, 0 skipped$/);
    assert.deepEqual(c.stats, { files: 1, added: 1, removed: 0 });
    assert.match(c.diff, /^diff --git a\/src\/cart\.js b\/src\/cart\.js\n--- a\/src\/cart\.js\n\+\+\+ b\/src\/cart\.js\n@@ /);
    assert.match(c.diff, /^\+ {2}if \(!coupon\) return total;$/m);
    assert.deepEqual(c.preexistingFailures, []);
    assert.equal(c.reason, undefined);
    await assertDiffFiles(env, [env.reproduction.testFile!]);
  });

  it('rejects a patch that breaks another test at the suite check, naming the test', async () => {
    const p = await patch(env, 'src/cart.js', (t) => knownFix('js-cart')(t).replace('total - total * coupon.rate', 'total - total * coupon.rate * 2'));
    const c = await env.validate(p);
    assert.equal(c.status, 'rejected');
    assert.deepEqual(names(c), ['paths:ok', 'size:ok', 'suppression:ok', 'apply:ok', 'reproduction:ok', 'suite:failed']);
    assert.match(c.reason ?? '', /^1 test that passed before the patch now fails: test\/cart\.test\.js::checkout applies a known coupon — AssertionError: /);
    await assertDiffFiles(env, [env.reproduction.testFile!]);
  });

  it('rejects edits of an existing test, CI config, a lockfile or the reproduction test at the paths check', async () => {
    const cases: Array<[string, RegExp]> = [
      ['test/cart.test.js', /^test\/cart\.test\.js: an existing test file$/],
      ['.github/workflows/x.yml', /^\.github\/workflows\/x\.yml: matches the denied pattern "\.github\/\*\*"$/],
      ['package-lock.json', /^package-lock\.json: matches the denied pattern "\*\*\/package-lock\.json"$/],
      [env.reproduction.testFile!, /: the reproduction test/],
    ];
    for (const [file, reason] of cases) {
      const p = await patch(env, 'src/cart.js', knownFix('js-cart'), { [file]: 'changed\n' });
      const c = await env.validate(p);
      assert.equal(c.status, 'rejected', file);
      assert.deepEqual(names(c), ['paths:failed'], file);
      assert.match(c.reason ?? '', reason);
      assert.equal(c.diff, '');
    }
    assert.ok(!existsSync(path.join(env.repo.dir, '.github')));
    await assertDiffFiles(env, [env.reproduction.testFile!]);
  });

  it('rejects a patch over maxPatchLines at the size check', async () => {
    const filler = Array.from({ length: 250 }, (_, i) => `// note ${i}`).join('\n');
    const p = await patch(env, 'src/cart.js', (t) => `${knownFix('js-cart')(t)}${filler}\n`);
    const c = await env.validate(p);
    assert.deepEqual(names(c), ['paths:ok', 'size:failed']);
    assert.equal(c.reason, '251 lines (+251 −0) in 1 file: more than maxPatchLines 200');
    assert.deepEqual(c.stats, { files: 1, added: 251, removed: 0 });
  });

  it('rejects a try/catch that swallows the error at the crash site at the suppression check', async () => {
    const p = await patch(env, 'src/cart.js', (t) =>
      t.replace('  return total - total * coupon.rate;\n', '  try {\n    return total - total * coupon.rate;\n  } catch {\n    return total;\n  }\n'),
    );
    const c = await env.validate(p);
    assert.deepEqual(names(c), ['paths:ok', 'size:ok', 'suppression:failed']);
    assert.match(c.reason ?? '', /^symptom suppression at src\/cart\.js:15 \(applyCoupon\): wraps the crash site in applyCoupon\(\) in a handler that swallows the error/);
    await assertDiffFiles(env, [env.reproduction.testFile!]);
  });

  it('rejects a patch that passes only through a side effect on another file at the sensitivity check', async () => {
    // The patch rewrites the coupon table when the module loads: the test passes, the suite too,
    // but the repair is the file the test run changed, and reverting the patch does not undo it.
    const side = [
      "const fs = require('node:fs');",
      "const couponsFile = require('node:path').join(__dirname, 'coupons.js');",
      "const table = fs.readFileSync(couponsFile, 'utf8');",
      "if (!table.includes('SPRING24')) fs.writeFileSync(couponsFile, table.replace('HALF: { rate: 0.5 },', 'HALF: { rate: 0.5 },\\n  SPRING24: { rate: 0 },'));",
      '',
    ].join('\n');
    const p = await patch(env, 'src/cart.js', (t) => t.replace("const { findCoupon } = require('./coupons.js');", `${side}const { findCoupon } = require('./coupons.js');`));
    const c = await env.validate(p);
    assert.deepEqual(names(c), ['paths:ok', 'size:ok', 'suppression:ok', 'apply:ok', 'reproduction:ok', 'suite:ok', 'sensitivity:failed']);
    assert.equal(c.reason, "with the patch reverted, the test no longer fails with the incident's signature: test passed");
    // The patched file is restored, and so is the file the test run rewrote (said on the last check).
    assert.equal(await readFile(path.join(env.repo.dir, 'src/cart.js'), 'utf8'), atCommit(env, 'src/cart.js'));
    assert.equal(await readFile(path.join(env.repo.dir, 'src/coupons.js'), 'utf8'), atCommit(env, 'src/coupons.js'));
    assert.match(c.checks.at(-1)?.detail ?? '', /\nworkspace reset after the runs: restored src\/coupons\.js$/);
    await assertDiffFiles(env, [env.reproduction.testFile!]);
  });
});

describe(`validate in a sandbox that died (${primary.name})`, { skip: primary.skip || (primary.name === 'host helper' && 'the host helper cannot die') }, () => {
  it('reports error with the message, not a rejection', async () => {
    const env = await setUp('js-cart', 'node');
    try {
      await env.sandbox.destroy();
      const c = await env.validate(await patch(env, 'src/cart.js', knownFix('js-cart')));
      Candidate.parse(c);
      assert.equal(c.status, 'error');
      assert.match(c.reason ?? '', /^sandbox \S+ was destroyed$/);
      assert.deepEqual(names(c), ['paths:ok']);
    } finally {
      await tearDown(env);
    }
  });
});

describe(`validate js-cart with typecheck and lint (${primary.name})`, { skip: primary.skip }, () => {
  let env: Env;
  before(async () => {
    env = await setUp('js-cart', 'node', {
      config: {
        // A syntax check of every source file, and a no-console rule, as a repository might name them.
        typecheck: 'for f in $(find src -name "*.js"); do node --check "$f" || exit 1; done',
        lint: '! grep -rn "console.log" src',
      },
    });
  });
  after(() => tearDown(env));

  it('records both as passing before the patch', () => {
    assert.equal(env.baseline.typecheck?.ok, true);
    assert.equal(env.baseline.lint?.ok, true);
  });

  it('validates the known fix with typecheck and lint ok', async () => {
    const c = await env.validate(await patch(env, 'src/cart.js', knownFix('js-cart')));
    assert.equal(c.status, 'validated', JSON.stringify(c, null, 2));
    assert.deepEqual(names(c), ['paths:ok', 'size:ok', 'suppression:ok', 'apply:ok', 'reproduction:ok', 'suite:ok', 'sensitivity:ok', 'typecheck:ok', 'lint:ok']);
    await assertDiffFiles(env, [env.reproduction.testFile!]);
  });

  it('rejects a fix that the lint command rejects', async () => {
    const p = await patch(env, 'src/cart.js', (t) => t.replace('  const coupon = findCoupon(code);\n', "  const coupon = findCoupon(code);\n  if (!coupon) {\n    console.log('unknown coupon');\n    return total;\n  }\n"));
    const c = await env.validate(p);
    assert.deepEqual(names(c), ['paths:ok', 'size:ok', 'suppression:ok', 'apply:ok', 'reproduction:ok', 'suite:ok', 'sensitivity:ok', 'typecheck:ok', 'lint:failed']);
    assert.match(c.reason ?? '', /^`! grep -rn "console\.log" src` fails with the patch: exit code 1\nsrc\/cart\.js:16: {4}console\.log\('unknown coupon'\);/);
    await assertDiffFiles(env, [env.reproduction.testFile!]);
  });

  it('rejects a fix that adds a file the typecheck command rejects, and removes that file again', async () => {
    const p = await patch(env, 'src/cart.js', knownFix('js-cart'), { 'src/legacy/discounts.js': 'module.exports = { rate: (c) => c.rate ?? };\n' });
    const c = await env.validate(p);
    assert.deepEqual(names(c), ['paths:ok', 'size:ok', 'suppression:ok', 'apply:ok', 'reproduction:ok', 'suite:ok', 'sensitivity:ok', 'typecheck:failed']);
    assert.match(c.reason ?? '', /fails with the patch: exit code 1\n[\s\S]*SyntaxError/);
    assert.match(c.diff, /^diff --git a\/src\/legacy\/discounts\.js b\/src\/legacy\/discounts\.js\nnew file mode 100644\n--- \/dev\/null\n\+\+\+ b\/src\/legacy\/discounts\.js\n@@ -0,0 \+1,1 @@\n/m);
    assert.ok(!existsSync(path.join(env.repo.dir, 'src/legacy')), 'the directory the patch needed is removed too');
    await assertDiffFiles(env, [env.reproduction.testFile!]);
  });
});

describe(`validate ts-invoices (${primary.name})`, { skip: primary.skip }, () => {
  let env: Env;
  before(async () => {
    env = await setUp('ts-invoices', 'node');
  });
  after(() => tearDown(env));

  it('validates the known fix and leaves the workspace clean', async () => {
    const c = await env.validate(await patch(env, 'src/dates.ts', knownFix('ts-invoices')));
    assert.equal(c.status, 'validated', JSON.stringify(c, null, 2));
    assert.deepEqual(names(c), ['paths:ok', 'size:ok', 'suppression:ok', 'apply:ok', 'reproduction:ok', 'suite:ok', 'sensitivity:ok']);
    assert.match(c.checks.find((k) => k.name === 'sensitivity')?.detail ?? '', /\(RangeError at src\/dates\.ts:formatDueDate\)/);
    await assertDiffFiles(env, [env.reproduction.testFile!]);
  });
});

describe(`validate py-orders with a test that already failed (${primary.name})`, { skip: primary.skip }, () => {
  let env: Env;
  before(async () => {
    env = await setUp('py-orders', 'python', {
      config: { lint: '! grep -rn "print(" app' },
      prepare: async (dir) => {
        // The repository as it was: one red test and a red lint, neither the incident's doing.
        await writeFile(path.join(dir, '.gitignore'), '__pycache__/\n.pytest_cache/\n');
        await writeFile(path.join(dir, 'tests/test_legacy.py'), 'from app.orders import order_total\n\n\ndef test_empty_order_is_free():\n    assert order_total({"lines": []}) == 1.0\n');
        const api = path.join(dir, 'app/api.py');
        await writeFile(api, `${await readFile(api, 'utf8')}\n\ndef debug(payload):\n    print(payload)\n`);
      },
    });
  });
  after(() => tearDown(env));

  it('records the failing test and the red lint in the baseline', () => {
    assert.deepEqual(env.baseline.failing, ['tests/test_legacy.py::test_empty_order_is_free']);
    assert.equal(env.baseline.lint?.ok, false);
  });

  it('validates the known fix, reporting the old failure without blaming the patch', async () => {
    const c = await env.validate(await patch(env, 'app/orders.py', knownFix('py-orders')));
    assert.equal(c.status, 'validated', JSON.stringify(c, null, 2));
    assert.deepEqual(names(c), ['paths:ok', 'size:ok', 'suppression:ok', 'apply:ok', 'reproduction:ok', 'suite:ok', 'sensitivity:ok', 'lint:ok']);
    assert.deepEqual(c.preexistingFailures, ['tests/test_legacy.py::test_empty_order_is_free']);
    assert.match(c.checks.find((k) => k.name === 'suite')?.detail ?? '', /1 failed before the patch too \(not blamed on it\): tests\/test_legacy\.py::test_empty_order_is_free/);
    assert.equal(c.checks.find((k) => k.name === 'lint')?.detail, 'also failed before the patch');
    await assertDiffFiles(env, [env.reproduction.testFile!]);
  });
});
