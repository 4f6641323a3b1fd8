// Bisect over repositories built here with a real history, each step a real test run in the local
// (bubblewrap) sandbox: the search names the commit that introduced the failure, steps over a
// commit where the test cannot load, reports a failure older than the searched range, takes the
// good end from a release production ran without the failure, and stops at its time budget.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Reproduction } from '../../../schemas/run.ts';
import { bisectIntroduction, stepBound, type BisectInput } from '../../../src/bisect/index.ts';
import { loadConfig, type Config } from '../../../src/config.ts';
import { introducedBySection } from '../../../src/repair/proposal/introduced-by.ts';
import { makeSignature } from '../../../src/reproduce/signature.ts';
import { loadRepoConfig } from '../../../src/workspace/repo-config.ts';
import { commit, gitIn, makeRepo } from '../../helpers/git-repo.ts';
import { bwrapUnavailable } from '../../helpers/sandbox-probes.ts';

const PKG = '{ "name": "shop", "type": "module", "scripts": { "test": "node --test" } }\n';
const GOOD = 'export function total(items) {\n  let sum = 0;\n  for (const item of items) sum += (item.qty ?? 1) * item.price;\n  return sum;\n}\n';
const BUGGY = 'export function total(items) {\n  let sum = 0;\n  for (const item of items) sum += item.qty.value * item.price;\n  return sum;\n}\n';
const BROKEN = 'export function total(items) {\n  let sum = 0;\n  for (const item of items sum += item.price;\n}\n';
const TEST_FILE = 'test/tracefix-repro.test.js';
const TEST = "import { test } from 'node:test';\nimport { total } from '../src/price.js';\ntest('repro', () => {\n  total([{ price: 3 }]);\n});\n";

const reproduction: Reproduction = {
  status: 'reproduced',
  source: 'synthesized',
  framework: 'node-test',
  testFile: TEST_FILE,
  testId: `${TEST_FILE}::repro`,
  testContent: TEST,
  signature: makeSignature({ type: 'TypeError', message: "Cannot read properties of undefined (reading 'value')", frame: { file: 'src/price.js', function: 'total' } }),
  runs: 3,
  attempts: [],
};

const base = (extra: Record<string, string | null> = {}) => ({ 'package.json': PKG, 'src/price.js': GOOD, 'README.md': 'shop\n', ...extra });

describe('bisect', { skip: bwrapUnavailable() }, () => {
  let tmp: string;
  let config: Config;
  let n = 0;

  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'tracefix-bisect-'));
    await chmod(tmp, 0o711);
    config = loadConfig({ TRACEFIX_DATA_DIR: path.join(tmp, 'data'), TRACEFIX_SANDBOX_DRIVER: 'local' });
  });
  after(() => rm(tmp, { recursive: true, force: true }));

  /** A repository with one commit per step (files to change and a subject); returns its shas. */
  async function history(steps: [Record<string, string | null>, string][]): Promise<{ dir: string; shas: string[] }> {
    const dir = path.join(tmp, `origin-${++n}`);
    const [first] = await makeRepo(dir, [steps[0]![0]]);
    await gitIn(dir, 'commit', '-q', '--amend', '-m', steps[0]![1]);
    const shas = [await gitIn(dir, 'rev-parse', 'HEAD')];
    assert.ok(first);
    for (const [files, subject] of steps.slice(1)) shas.push(await commit(dir, files, subject));
    return { dir, shas };
  }

  async function bisect(dir: string, shas: string[], extra: Partial<BisectInput> = {}) {
    return bisectIntroduction({
      config,
      repo: { url: dir },
      commit: shas.at(-1),
      reproduction,
      repoConfig: await loadRepoConfig(dir),
      runId: `run-bisect-${n}`,
      driver: 'local',
      ...extra,
    });
  }

  it('names the commit that introduced the failure between a good release and the incident', async () => {
    const { dir, shas } = await history([
      [base(), 'first release'],
      [{ 'README.md': 'shop, with docs\n' }, 'docs: describe the shop'],
      [{ 'src/format.js': 'export const money = (n) => n.toFixed(2);\n' }, 'add money formatting'],
      [{ 'src/price.js': BUGGY }, 'price: quantities are objects now'],
      [{ 'README.md': 'shop, more docs\n' }, 'docs again'],
      [{ 'src/format.js': 'export const money = (n) => `$${n.toFixed(2)}`;\n' }, 'format with a dollar sign'],
      [{ 'CHANGELOG.md': '1.3\n' }, 'changelog'],
    ]);
    const result = await bisect(dir, shas);
    assert.equal(result.status, 'found', result.reason ?? '');
    assert.equal(result.firstBad?.sha, shas[3]);
    assert.equal(result.firstBad?.subject, 'price: quantities are objects now');
    assert.match(result.firstBad?.author ?? '', /^test <test@example\.invalid>$/);
    assert.ok(!Number.isNaN(Date.parse(result.firstBad?.date ?? '')));
    assert.deepEqual(result.good, { sha: shas[0], source: 'depth' });
    assert.equal(result.rangeSize, 6);
    const searchSteps = result.steps.filter((s) => s.role === 'bisect');
    assert.equal(result.steps[0]?.role, 'endpoint');
    assert.equal(result.steps[0]?.verdict, 'good');
    assert.ok(searchSteps.length <= stepBound(6), `${searchSteps.length} steps`);
    // Every step's verdict is what that commit really does.
    for (const step of searchSteps) assert.equal(step.verdict, shas.indexOf(step.sha) >= 3 ? 'bad' : 'good', step.sha);
    const section = introducedBySection(result);
    assert.match(section, /## Introduced by/);
    assert.match(section, new RegExp(`\`${shas[3]!.slice(0, 12)}\` price: quantities are objects now, by test &lt;test@\u200b?example\\.invalid&gt;`));

    // A release production ran without this failure is a nearer good end: fewer steps.
    const fromRelease = await bisect(dir, shas, { goodReleases: [{ commit: shas[2]!.slice(0, 12), release: 'shop@1.2' }, { commit: 'a'.repeat(40), release: 'elsewhere' }] });
    assert.equal(fromRelease.status, 'found');
    assert.equal(fromRelease.firstBad?.sha, shas[3]);
    assert.deepEqual(fromRelease.good, { sha: shas[2], source: 'release', release: 'shop@1.2' });
    assert.equal(fromRelease.rangeSize, 4);
    assert.ok(fromRelease.steps.filter((s) => s.role === 'bisect').length <= stepBound(4));
  });

  it('skips a commit where the test cannot load and still names the introducing commit', async () => {
    const { dir, shas } = await history([
      [base(), 'first release'],
      [{ 'README.md': 'docs\n' }, 'docs'],
      [{ 'src/price.js': BROKEN }, 'wip: half a refactor'],
      [{ 'src/price.js': GOOD }, 'finish the refactor'],
      [{ 'src/price.js': BUGGY }, 'price: quantities are objects now'],
      [{ 'README.md': 'docs 2\n' }, 'docs 2'],
      [{ 'README.md': 'docs 3\n' }, 'docs 3'],
      [{ 'README.md': 'docs 4\n' }, 'docs 4'],
      [{ 'README.md': 'docs 5\n' }, 'docs 5'],
    ]);
    const result = await bisect(dir, shas);
    assert.equal(result.status, 'found', result.reason ?? '');
    assert.equal(result.firstBad?.sha, shas[4]);
    const skipped = result.steps.filter((s) => s.verdict === 'skip');
    assert.deepEqual(skipped.map((s) => s.sha), [shas[2]]);
    assert.match(skipped[0]?.reason ?? '', /import error|SyntaxError/);
    const searchSteps = result.steps.filter((s) => s.role === 'bisect');
    assert.ok(searchSteps.length <= stepBound(8) + skipped.length, `${searchSteps.length} steps`);
  });

  it('moves a good end where the test cannot run (the code did not exist yet) to one where it passes', async () => {
    const { dir, shas } = await history([
      [{ 'package.json': PKG, 'README.md': 'shop\n' }, 'start'],
      [{ 'README.md': 'shop soon\n' }, 'plans'],
      [{ 'src/price.js': GOOD }, 'add prices'],
      [{ 'README.md': 'prices\n' }, 'docs'],
      [{ 'src/price.js': BUGGY }, 'price: quantities are objects now'],
      [{ 'README.md': 'more\n' }, 'more docs'],
      [{ 'README.md': 'even more\n' }, 'even more docs'],
    ]);
    const result = await bisect(dir, shas);
    assert.equal(result.status, 'found', result.reason ?? '');
    assert.equal(result.firstBad?.sha, shas[4]);
    assert.equal(result.steps[0]?.sha, shas[0]);
    assert.equal(result.steps[0]?.verdict, 'skip');
    assert.match(result.steps[0]?.reason ?? '', /import error|did not run/);
    assert.deepEqual(result.good, { sha: shas[3], source: 'depth' });
    for (const step of result.steps.slice(1)) assert.equal(step.verdict, shas.indexOf(step.sha) >= 4 ? 'bad' : shas.indexOf(step.sha) >= 2 ? 'good' : 'skip', step.sha);
  });

  it('reports a failure older than the searched range (bisect.maxDepth from .tracefix.yml)', async () => {
    const { dir, shas } = await history([
      [base(), 'first release'],
      [{ 'src/price.js': BUGGY }, 'the old bug'],
      [{ 'README.md': 'a\n' }, 'a'],
      [{ 'README.md': 'b\n' }, 'b'],
      [{ '.tracefix.yml': 'bisect:\n  maxDepth: 2\n' }, 'c'],
    ]);
    const result = await bisect(dir, shas);
    assert.equal(result.status, 'predates-range');
    assert.equal(result.good?.sha, shas[2]);
    assert.match(result.reason ?? '', /older than the searched range/);
    assert.deepEqual(result.steps.map((s) => [s.role, s.verdict]), [['endpoint', 'bad']]);
    assert.match(introducedBySection(result), /Not determined: the reproduction already fails/);
  });

  it('stops when the time budget runs out and says what was left; bisect: false turns it off', async () => {
    const { dir, shas } = await history([
      [base(), 'first release'],
      ...Array.from({ length: 6 }, (_, i): [Record<string, string>, string] => [{ 'README.md': `r${i}\n` }, `docs ${i}`]),
      [{ 'src/price.js': BUGGY }, 'the bug'],
      [{ 'README.md': 'last\n' }, 'last'],
    ]);
    // The clock jumps past the budget while the first search step runs.
    let offset = 0;
    let started = 0;
    const progress = (message: string) => {
      if (message.includes('(bisect)') && ++started === 1) offset = 10 * 60_000 + 1;
    };
    const result = await bisect(dir, shas, { now: () => Date.now() + offset, progress });
    assert.equal(result.status, 'exhausted');
    assert.match(result.reason ?? '', /time budget \(600000 ms\) ran out with \d+ candidate commits left/);
    assert.equal(result.steps.length, 2);
    assert.ok(result.candidates && result.candidates.length > 1 && result.candidates.length < 8);
    assert.ok(result.candidates.includes(shas[7]!), 'the introducing commit is among what is left');

    await commit(dir, { '.tracefix.yml': 'bisect: false\n' }, 'no bisect');
    const off = await bisect(dir, [...shas, await gitIn(dir, 'rev-parse', 'HEAD')]);
    assert.deepEqual([off.status, off.reason, off.steps], ['not-run', 'bisect is off (bisect: false in .tracefix.yml)', []]);
  });
});
