// `tracefix bundle --from-test` and `tracefix repair` on the most common Python layout: a package
// folder and a tests/ folder of plain pytest functions, no pytest.ini, pyproject or conftest. The
// failing test's assertion (expected vs actual) and its in-repository frames become the incident,
// the repair reproduces it with pytest, and result.json says which framework ran and why, with the
// counts behind the suite's claims. The same test forced through unittest cannot run: refused.
import assert from 'node:assert/strict';
import { chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Run } from '../../schemas/run.ts';
import { runCli } from '../helpers/cli.ts';
import { gitIn } from '../helpers/git-repo.ts';
import { sandboxImagesUnavailable } from '../helpers/sandbox-probes.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/repos/layout-py-plain');
// The docker driver: tracefix's Python image carries pytest (the host's system python3 may not).
const skip = await sandboxImagesUnavailable(['python']);
const TEST_ID = 'tests/test_bulk.py::test_ten_items_get_the_discount';

async function workdir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-from-test-py-'));
  // The sandbox runs as another uid: it must be able to reach the data dir's workspaces.
  await chmod(dir, 0o711);
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The fixture as a user's repository, with a red test committed for the boundary bug (qty 10). */
async function userRepo(dir: string): Promise<string> {
  const repo = path.join(dir, 'shop');
  await cp(FIXTURE, repo, { recursive: true });
  const failing = ['from shop.prices import bulk_price', '', '', 'def test_ten_items_get_the_discount():', '    assert bulk_price(10, 2.0) == 18.0', ''].join('\n');
  await writeFile(path.join(repo, 'tests', 'test_bulk.py'), failing);
  await gitIn(repo, 'init', '-q', '-b', 'main');
  await gitIn(repo, 'add', '-A');
  await gitIn(repo, 'commit', '-q', '-m', 'bulk pricing with a red test');
  return repo;
}

test('a plain pytest repository: bundle --from-test records the assertion and its frames, repair reproduces it', { skip, timeout: 600_000 }, async (t) => {
  const dir = await workdir(t);
  const repo = await userRepo(dir);
  const env = { TRACEFIX_DATA_DIR: path.join(dir, 'data'), TRACEFIX_SANDBOX_DRIVER: 'docker' };
  const bundlePath = path.join(dir, 'bundle.json');
  const made = await runCli(['bundle', '--from-test', TEST_ID, '--repo', repo, '-o', bundlePath], env, 180_000);
  assert.equal(made.code, 0, made.output);
  const bundle = JSON.parse(await readFile(bundlePath, 'utf8'));
  assert.equal(bundle.incident.source, 'ci');
  assert.equal(bundle.exception.type, 'AssertionError');
  assert.match(bundle.exception.message, /20\.0 == 18\.0/);
  assert.equal(bundle.repro.test.framework, 'pytest');
  assert.deepEqual(bundle.repro.test.target, { kind: 'test-id', testId: TEST_ID });
  const frames = bundle.exception.frames as Array<{ file?: string; function?: string; inApp?: boolean }>;
  const inRepo = frames.filter((f) => f.file === 'tests/test_bulk.py');
  assert.ok(inRepo.length > 0, JSON.stringify(frames, null, 2));
  assert.equal(inRepo.at(-1)?.function, 'test_ten_items_get_the_discount');
  // The assertion as pytest states it: actual (20.0) == expected (18.0), and where the actual came from.
  assert.equal(bundle.exception.message, 'assert 20.0 == 18.0\n +  where 20.0 = bulk_price(10, 2.0)');
  assert.equal(inRepo.at(-1)?.inApp, true);
  assert.doesNotMatch(JSON.stringify(bundle), /ModuleNotFoundError|unittest\/loader/);

  const out = path.join(dir, 'out');
  const repaired = await runCli(['repair', '--bundle', bundlePath, '--repo', repo, '--engine', 'templates', '--out', out], env, 540_000);
  assert.match(repaired.output, /reproducing with the incident's own failing test/);
  const result = Run.parse(JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')));
  assert.equal(result.reproduction?.status, 'reproduced', repaired.output);
  assert.equal(result.reproduction.status === 'reproduced' && result.reproduction.source, 'existing-test');
  assert.equal(result.reproduction.status === 'reproduced' && result.reproduction.framework, 'pytest');
  assert.equal(result.tests?.framework, 'pytest');
  assert.equal(result.tests?.command, 'python3 -m pytest');
  assert.match(result.tests?.detection ?? '', /^pytest: 2 test files with module-level test functions, no config$/);
  // The baseline ran all four tests (the red one among them).
  assert.deepEqual(result.tests?.baseline, { collected: 4, run: 4, passed: 3, failed: 1, skipped: 0 });
  for (const c of result.candidates.filter((x) => x.checks.some((k) => k.name === 'suite'))) {
    assert.equal(c.counts?.suite?.collected, 4, JSON.stringify(c.checks));
  }
  if (result.status === 'fixed') {
    assert.equal(repaired.code, 0, repaired.output);
    assert.match(await readFile(path.join(out, 'patch.diff'), 'utf8'), /shop\/prices\.py/);
    assert.match(await readFile(path.join(out, 'pr.md'), 'utf8'), /the suite passes \(4 tests collected, 4 run, 4 passed, 0 skipped\)/);
  }
});

test('the same test run through unittest cannot run: refused, never recorded as the signature', { skip, timeout: 300_000 }, async (t) => {
  const dir = await workdir(t);
  const repo = await userRepo(dir);
  await writeFile(path.join(repo, '.tracefix.yml'), 'test:\n  framework: unittest\n');
  await gitIn(repo, 'add', '-A');
  await gitIn(repo, 'commit', '-q', '-m', 'force unittest');
  const env = { TRACEFIX_DATA_DIR: path.join(dir, 'data'), TRACEFIX_SANDBOX_DRIVER: 'docker' };
  const bundlePath = path.join(dir, 'bundle.json');
  const made = await runCli(['bundle', '--from-test', TEST_ID, '--repo', repo, '-o', bundlePath], env, 180_000);
  assert.equal(made.code, 2, made.output);
  assert.match(made.output, /tracefix: the test could not be run: /);
  assert.match(made.output, /set the test command in \.tracefix\.yml/);
  assert.match(made.output, /It ran as unittest with `python3`/);
  await assert.rejects(readFile(bundlePath), /ENOENT/, 'no bundle is written');
});
