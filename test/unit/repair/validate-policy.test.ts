// The validation checks that need no sandbox: paths (denied, existing tests, the reproduction
// test, the allow-list), size (lines, files, the record's diff cap), the diffs they are measured
// on, and the suite verdict against a baseline.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DENIED_PATHS, RepoConfig } from '../../../schemas/repo-config.ts';
import type { TestCase, TestResults } from '../../../schemas/test-results.ts';
import { checkPatchPaths, checkPatchSize, fileChanges, judgeSuite, patchDiff } from '../../../src/repair/validate/index.ts';

function config(overrides: Partial<RepoConfig> = {}): RepoConfig {
  return RepoConfig.parse({
    language: 'node',
    framework: 'node-test',
    image: 'x',
    test: { command: 'node --test', files: ['**/*.test.js', 'test/**/*.js'] },
    paths: { allow: [], deny: [...DEFAULT_DENIED_PATHS] },
    maxPatchLines: 200,
    maxPatchFiles: 5,
    flakeReruns: 3,
    timeouts: { installMs: 1, testMs: 1, singleTestMs: 1, checkMs: 1 },
    source: { file: null, detected: [] },
    ...overrides,
  });
}

const TRACKED = ['package.json', 'package-lock.json', 'src/cart.js', 'src/coupons.js', 'test/cart.test.js', '.github/workflows/ci.yml'];
const REPRO = 'test/tracefix-7f3a9c21.test.js';

function paths(files: string[], overrides: Partial<RepoConfig> = {}) {
  return checkPatchPaths({ repoConfig: config(overrides), files, trackedFiles: TRACKED, reproTestFile: REPRO });
}

describe('paths check', () => {
  it('accepts source files and new tests, normalized', () => {
    const r = paths(['./src/cart.js', 'test/cart-extra.test.js']);
    assert.deepEqual(r.check, { name: 'paths', ok: true, detail: '2 files within the allowed paths: src/cart.js, test/cart-extra.test.js' });
    assert.deepEqual(r.files, ['src/cart.js', 'test/cart-extra.test.js']);
  });

  it('names the file and the rule: existing test, CI config, lockfile, reproduction test', () => {
    assert.equal(paths(['src/cart.js', 'test/cart.test.js']).check.detail, 'test/cart.test.js: an existing test file');
    assert.equal(paths(['.github/workflows/release.yml']).check.detail, '.github/workflows/release.yml: matches the denied pattern ".github/**"');
    assert.equal(paths(['.GitHub/workflows/ci.yml']).check.detail, '.GitHub/workflows/ci.yml: matches the denied pattern ".github/**"');
    assert.equal(paths(['packages/a/package-lock.json']).check.detail, 'packages/a/package-lock.json: matches the denied pattern "**/package-lock.json"');
    assert.equal(paths(['.tracefix.yml']).check.detail, '.tracefix.yml: matches the denied pattern ".tracefix.yml"');
    assert.equal(paths([REPRO]).check.detail, `${REPRO}: the reproduction test (a patch may not change the test that proves it)`);
    assert.equal(paths(['src/cart.js']).check.ok, true);
  });

  it('refuses paths out of the workspace and .git', () => {
    assert.equal(paths(['../outside.js']).check.detail, '../outside.js: not a path inside the workspace');
    assert.equal(paths(['/etc/passwd']).check.detail, '/etc/passwd: not a path inside the workspace');
    assert.equal(paths(['src/.git/hooks/pre-commit']).check.detail, 'src/.git/hooks/pre-commit: git metadata');
  });

  it('honours the allow-list and the repository denials, and lists every offender', () => {
    const r = paths(['src/cart.js', 'scripts/deploy.sh', 'src/generated/api.js'], { paths: { allow: ['src/**'], deny: [...DEFAULT_DENIED_PATHS, 'src/generated/**'] } });
    assert.equal(r.check.ok, false);
    assert.equal(r.check.detail, 'scripts/deploy.sh: outside the allowed paths (src/**), src/generated/api.js: matches the denied pattern "src/generated/**"');
  });

  it('refuses a path given twice in two spellings', () => {
    assert.equal(paths(['src/cart.js', './src/cart.js']).check.detail, 'src/cart.js: listed twice');
  });
});

describe('size check', () => {
  const before = 'a\nb\nc\n';
  it('counts added and removed lines across the changed files only', () => {
    const changes = fileChanges(
      new Map([
        ['src/a.js', before],
        ['src/same.js', 'x\n'],
        ['src/new.js', undefined],
      ]),
      new Map([
        ['src/a.js', 'a\nB\nc\n'],
        ['src/same.js', 'x\n'],
        ['src/new.js', 'one\ntwo\n'],
      ]),
    );
    assert.deepEqual(changes.map((c) => c.file), ['src/a.js', 'src/new.js']);
    assert.deepEqual(checkPatchSize(config(), changes), { name: 'size', ok: true, detail: '4 lines (+3 −1) in 2 files, within 200 lines and 5 files' });
    const { diff, stats } = patchDiff(changes);
    assert.deepEqual(stats, { files: 2, added: 3, removed: 1 });
    // A new file carries git's header, so `git apply` creates it.
    assert.match(diff, /^diff --git a\/src\/new\.js b\/src\/new\.js\nnew file mode 100644\n--- \/dev\/null\n\+\+\+ b\/src\/new\.js\n@@ -0,0 \+1,2 @@\n\+one\n\+two\n/m);
  });

  it('rejects past maxPatchLines or maxPatchFiles, saying which', () => {
    const many = fileChanges(new Map([['a.js', '']]), new Map([['a.js', 'x\n'.repeat(11)]]));
    assert.deepEqual(checkPatchSize(config({ maxPatchLines: 10 }), many), { name: 'size', ok: false, detail: '11 lines (+11 −0) in 1 file: more than maxPatchLines 10' });
    const files = new Map(['a.js', 'b.js', 'c.js'].map((f) => [f, 'y\n']));
    const wide = fileChanges(new Map([...files.keys()].map((f) => [f, 'x\n'])), files);
    assert.equal(checkPatchSize(config({ maxPatchFiles: 2 }), wide).detail, '6 lines (+3 −3) in 3 files: more than maxPatchFiles 2');
  });

  it('rejects a patch that changes nothing, and a diff too long for the record', () => {
    assert.deepEqual(checkPatchSize(config(), fileChanges(new Map([['a.js', 'x']]), new Map([['a.js', 'x']]))), { name: 'size', ok: false, detail: 'the patch changes no file' });
    const long = fileChanges(new Map([['a.js', '']]), new Map([['a.js', `${'z'.repeat(300_000)}\n`]]));
    assert.match(checkPatchSize(config(), long).detail ?? '', /^1 line \(\+1 −0\) in 1 file: a diff of \d+ characters, more than the run record holds \(262144\)$/);
  });
});

function results(tests: Array<[string, TestCase['status']]>, raw: Partial<TestResults['raw']> = {}, problem?: string): TestResults {
  const cases: TestCase[] = tests.map(([id, status]) => ({
    id,
    file: id.split('::')[0] ?? '',
    name: id,
    status,
    durationMs: 1,
    ...(status === 'failed' ? { failure: { type: 'AssertionError', message: 'Expected values to be strictly equal:\n\n32 !== 36\n' } } : {}),
  }));
  const count = (s: TestCase['status']) => cases.filter((c) => c.status === s).length;
  return {
    framework: 'node-test',
    tests: cases,
    summary: { total: cases.length, passed: count('passed'), failed: count('failed'), skipped: count('skipped'), errors: count('error'), durationMs: 5 },
    raw: { argv: [], exitCode: 0, stdout: '', stderr: '', durationMs: 5, timedOut: false, oomKilled: false, truncated: false, ...raw },
    ...(problem ? { problem } : {}),
  };
}

describe('suite verdict', () => {
  const baseline = { failing: ['t.js::old'], tests: ['t.js::a', 't.js::b', 't.js::old', 't.js::repro'], durationMs: 1 };

  it('passes with preexisting failures reported, not blamed', () => {
    const v = judgeSuite(baseline, results([['t.js::a', 'passed'], ['t.js::b', 'passed'], ['t.js::old', 'failed'], ['t.js::repro', 'passed']]));
    assert.deepEqual(v.preexisting, ['t.js::old']);
    assert.deepEqual(v.check, { name: 'suite', ok: true, detail: '4 tests collected (baseline 4), 4 run: 3 passed, 1 failed, 0 skipped; 1 failed before the patch too (not blamed on it): t.js::old' });
  });

  it('rejects a new failure (with its message) and a test that no longer runs', () => {
    const v = judgeSuite(baseline, results([['t.js::a', 'failed'], ['t.js::old', 'passed'], ['t.js::repro', 'passed']]));
    assert.equal(v.check.ok, false);
    assert.equal(
      v.check.detail,
      'the suite with the patch collected 3 tests, fewer than the 4 the baseline collected; 1 test that passed before the patch now fails: t.js::a — AssertionError: Expected values to be strictly equal: 32 !== 36; 1 test that ran before the patch no longer runs: t.js::b',
    );
  });

  it('rejects a suite that runs nothing, or fewer tests than the baseline ran, whatever their ids', () => {
    const all = results([['t.js::a', 'passed'], ['t.js::b', 'passed'], ['t.js::old', 'failed'], ['t.js::repro', 'failed']]);
    const withResults = { ...baseline, results: all };
    const none = judgeSuite(withResults, results([]));
    assert.equal(none.check.ok, false);
    assert.match(none.check.detail ?? '', /^the suite with the patch collected 0 tests, fewer than the 4 the baseline collected; 3 tests that ran before the patch no longer run/);
    assert.deepEqual(none.counts, { collected: 0, run: 0, passed: 0, failed: 0, skipped: 0 });
    // Same ids, but one now skips itself: collected equal, run fewer.
    const skipping = judgeSuite(withResults, results([['t.js::a', 'passed'], ['t.js::b', 'skipped'], ['t.js::old', 'failed'], ['t.js::repro', 'passed']]));
    assert.equal(skipping.check.ok, false);
    assert.equal(skipping.check.detail, 'the suite with the patch ran 3 tests (1 skipped), fewer than the 4 the baseline ran');
    const same = judgeSuite(withResults, results([['t.js::a', 'passed'], ['t.js::b', 'passed'], ['t.js::old', 'failed'], ['t.js::repro', 'passed']]));
    assert.equal(same.check.ok, true, same.check.detail ?? '');
    assert.deepEqual(same.counts, { collected: 4, run: 4, passed: 3, failed: 1, skipped: 0 });
  });

  it('rejects a suite the patch made time out; throws on a run with no usable report', () => {
    const slow = judgeSuite(baseline, results([], { timedOut: true, durationMs: 600_000 }, 'the test command timed out after 600s'));
    assert.deepEqual(slow.check, { name: 'suite', ok: false, detail: 'the test command timed out after 600s' });
    assert.throws(() => judgeSuite(baseline, results([], { exitCode: 1 }, 'node:test wrote no report; exit code 1')), /^Error: the suite produced no usable report: node:test wrote no report/);
  });
});
