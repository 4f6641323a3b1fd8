// One candidate's test runs must not become the next candidate's starting point. A patch whose
// code, when the tests load it, rewrites a source file, deletes and chmods tracked files, edits the
// reproduction test and drops stray files is validated first; the known fix after it must
// validate exactly as it does alone, and the workspace must end as the commit plus the
// reproduction test. In every sandbox target (the local driver, and docker when it is here).
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Candidate } from '../../../schemas/run.ts';
import { sandboxTargets } from '../reproduce/helpers.ts';
import { assertDiffFiles, atCommit, diffFiles, knownFix, names, patch, setUp, tearDown, type Env } from './helpers.ts';

const targets = await sandboxTargets();

const VALIDATED = ['paths:ok', 'size:ok', 'suppression:ok', 'apply:ok', 'reproduction:ok', 'suite:ok', 'sensitivity:ok'];

/** Every check as a reviewer reads it: name, verdict, detail. */
function checks(c: Candidate): string[] {
  return c.checks.map((k) => `${k.name}:${k.ok ? 'ok' : 'failed'}: ${k.detail ?? ''}`);
}

/** Module-load side effects for src/cart.js: each a test run's doing, none the patch's. */
function poisonedCart(reproTest: string): (text: string) => string {
  const effects = [
    "const fs = require('node:fs');",
    "const p = require('node:path');",
    "const root = p.join(__dirname, '..');",
    "const couponsFile = p.join(__dirname, 'coupons.js');",
    "const table = fs.readFileSync(couponsFile, 'utf8');",
    // The rewrite that makes the reproduction pass without the patch (the sensitivity case).
    "if (!table.includes('SPRING24')) fs.writeFileSync(couponsFile, table.replace('HALF: { rate: 0.5 },', 'HALF: { rate: 0.5 },\\n  SPRING24: { rate: 0 },'));",
    'fs.chmodSync(couponsFile, 0o755);',
    "fs.rmSync(p.join(root, 'docs/notes.md'), { force: true });",
    "fs.rmSync(p.join(root, 'docs'), { recursive: true, force: true });",
    "fs.mkdirSync(p.join(root, 'tmp-out/run'), { recursive: true });",
    "fs.writeFileSync(p.join(root, 'tmp-out/run/cache.json'), '{}\\n');",
    "fs.writeFileSync(p.join(root, 'stray.log'), 'ran\\n');",
    `const repro = p.join(root, ${JSON.stringify(reproTest)});`,
    "if (!fs.readFileSync(repro, 'utf8').includes('// touched')) fs.appendFileSync(repro, '// touched by a test run\\n');",
    '',
  ].join('\n');
  return (text) => text.replace("const { findCoupon } = require('./coupons.js');", `${effects}const { findCoupon } = require('./coupons.js');`);
}

for (const target of targets) {
  describe(`validation resets the workspace between candidates: js-cart (${target.name})`, { skip: target.skip }, () => {
    let env: Env;
    let alone: Candidate;
    let reproContent: string;
    before(async () => {
      env = await setUp(target, 'js-cart', 'node', {
        // A tracked file no test loads, for the test run to delete.
        prepare: async (dir) => {
          await mkdir(path.join(dir, 'docs'));
          await writeFile(path.join(dir, 'docs/notes.md'), '# Notes\n\nCoupons are upper-case.\n');
        },
      });
      reproContent = await readFile(path.join(env.repo.dir, env.reproduction.testFile!), 'utf8');
      // The known fix on its own, the yardstick.
      alone = await env.validate(await patch(env, 'src/cart.js', knownFix('js-cart')));
    });
    after(() => tearDown(env));

    it('validates the known fix alone', () => {
      assert.equal(alone.status, 'validated', JSON.stringify(alone, null, 2));
      assert.deepEqual(names(alone), VALIDATED);
    });

    it('puts back what a candidate’s test runs wrote, and says so on its last check', async () => {
      const c = await env.validate(await patch(env, 'src/cart.js', poisonedCart(env.reproduction.testFile!)));
      Candidate.parse(c);
      assert.deepEqual(names(c), ['paths:ok', 'size:ok', 'suppression:ok', 'apply:ok', 'reproduction:ok', 'suite:ok', 'sensitivity:failed']);
      assert.equal(c.reason, "with the patch reverted, the test no longer fails with the incident's signature: test passed");
      const note = c.checks.at(-1)?.detail?.split('\n').at(-1);
      assert.equal(note, `workspace reset after the runs: restored ${['docs/notes.md', 'src/coupons.js', env.reproduction.testFile!].sort().join(', ')}; removed stray.log, tmp-out/run/cache.json`);

      const dir = env.repo.dir;
      for (const file of ['src/cart.js', 'src/coupons.js', 'docs/notes.md']) assert.equal(await readFile(path.join(dir, file), 'utf8'), atCommit(env, file), file);
      assert.equal(statSync(path.join(dir, 'src/coupons.js')).mode & 0o111, 0, 'the mode is back too');
      assert.equal(await readFile(path.join(dir, env.reproduction.testFile!), 'utf8'), reproContent);
      assert.ok(!existsSync(path.join(dir, 'stray.log')));
      assert.ok(!existsSync(path.join(dir, 'tmp-out')), 'the directories the stray file needed are gone too');
      await assertDiffFiles(env, [env.reproduction.testFile!]);
    });

    it('validates the known fix after that candidate exactly as alone', async () => {
      const c = await env.validate(await patch(env, 'src/cart.js', knownFix('js-cart')));
      assert.equal(c.status, 'validated', JSON.stringify(c, null, 2));
      assert.deepEqual(checks(c), checks(alone));
      assert.equal(c.diff, alone.diff);
      await assertDiffFiles(env, [env.reproduction.testFile!]);
    });

    it('resets what ran since the last candidate before reading the originals', async () => {
      const fix = await patch(env, 'src/cart.js', knownFix('js-cart'));
      // As the agent's own test runs between two submissions might leave it.
      const r = await env.sandbox.exec(['sh', '-c', "echo stray > stray.txt && printf '// edited\\n' >> src/coupons.js && printf '// edited\\n' >> src/cart.js"]);
      assert.equal(r.exitCode, 0, r.stderr);
      const c = await env.validate(fix);
      assert.equal(c.status, 'validated', JSON.stringify(c, null, 2));
      // The patch's diff is against the commit, not against the edited file.
      assert.equal(c.diff, alone.diff);
      assert.deepEqual(checks(c).slice(0, -1), checks(alone).slice(0, -1));
      assert.equal(c.checks.at(-1)?.detail, `${alone.checks.at(-1)?.detail}\nworkspace reset before the patch: restored src/cart.js, src/coupons.js; removed stray.txt`);
      await assertDiffFiles(env, [env.reproduction.testFile!]);
    });
  });

  describe(`validation resets the workspace between candidates: py-orders without a .gitignore (${target.name})`, { skip: target.skip }, () => {
    let env: Env;
    before(async () => {
      env = await setUp(target, 'py-orders', 'python');
    });
    after(() => tearDown(env));

    it('removes a stray file a test run wrote, leaves the caches the runs write and read back, and validates the fix after it', async () => {
      // Bytecode is off in the sandbox; a repository's own test setup may still write a cache.
      const stray = (text: string) =>
        [
          'import pathlib',
          'root = pathlib.Path(__file__).parent.parent',
          'root.joinpath("out").mkdir(exist_ok=True)',
          'root.joinpath("out/report.txt").write_text("ran\\n")',
          'root.joinpath("app/__pycache__").mkdir(exist_ok=True)',
          'root.joinpath("app/__pycache__/orders.cpython-3.pyc").write_bytes(bytes([0, 1, 2]) + str(id(root)).encode())',
          text,
        ].join('\n');
      const first = await env.validate(await patch(env, 'app/orders.py', stray));
      assert.equal(first.status, 'rejected');
      assert.match(first.checks.at(-1)?.detail ?? '', /\nworkspace reset after the runs: removed out\/report\.txt$/);
      assert.ok(!existsSync(path.join(env.repo.dir, 'out')));
      assert.ok(existsSync(path.join(env.repo.dir, 'app/__pycache__/orders.cpython-3.pyc')), 'a cache is left alone');

      const c = await env.validate(await patch(env, 'app/orders.py', knownFix('py-orders')));
      assert.equal(c.status, 'validated', JSON.stringify(c, null, 2));
      assert.ok(!c.checks.some((k) => k.detail?.includes('workspace reset') || k.detail?.includes('could not reset')), JSON.stringify(c.checks));
      const files = await diffFiles(env);
      assert.deepEqual(files.filter((f) => !f.includes('__pycache__/')), [env.reproduction.testFile!]);
    });
  });
}
