// The engine's contract: deterministic order (location score, then patch size), deduplication,
// the budget, unified diffs git accepts, and tryCandidates' loop.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateCandidates, selectLocations, tierOf } from '../../../src/repair/templates/engine.ts';
import { tryCandidates } from '../../../src/repair/templates/try-candidates.ts';
import type { TemplateCandidate, RankedLocation } from '../../../src/repair/templates/types.ts';
import { unifiedDiff } from '../../../src/repair/templates/unified-diff.ts';
import { assertDiffApplies } from './helpers.ts';

const SRC = `/** @returns {number} the average, or 0 for no scores */
function average(scores) {
  let total = 0;
  for (let i = 0; i < scores.length; i++) {
    total += scores[i].value;
  }
  return total / scores.length;
}
`;
const FILE = 'src/avg.js';
const RANKING: RankedLocation[] = [
  { file: FILE, line: 7, score: 0.9, reasons: ['crash frame'] },
  { file: FILE, line: 5, score: 0.6, reasons: ['ochiai'] },
  { file: FILE, line: 4, score: 0.3, reasons: ['ochiai'] },
];

const generate = (ranking: RankedLocation[], maxCandidates = 500) =>
  generateCandidates({ files: new Map([[FILE, SRC]]), ranking, language: 'node', budget: { maxCandidates } });

test('order: by location score, then ring (established families, wider ones, expression-replace), then patch size (lines, then characters)', async () => {
  const cands = await generate(RANKING);
  assert.ok(cands.length > 10);
  for (let i = 1; i < cands.length; i++) {
    const [a, b] = [cands[i - 1]!, cands[i]!];
    assert.ok(a.locationScore >= b.locationScore, `${a.id} before ${b.id}`);
    if (a.locationScore === b.locationScore) assert.ok(tierOf(a.template) <= tierOf(b.template), `${a.description} before ${b.description}`);
    if (a.locationScore === b.locationScore && tierOf(a.template) === tierOf(b.template)) {
      assert.ok(a.size.lines < b.size.lines || (a.size.lines === b.size.lines && a.size.chars <= b.size.chars), `${a.description} before ${b.description}`);
    }
  }
  assert.equal(cands[0]!.line, 7);
  assert.deepEqual(
    [...new Set(cands.map((c) => c.line))],
    [7, 5, 4],
  );
});

test('deterministic: the same input in any ranking order gives the same candidates in the same order', async () => {
  const first = (await generate(RANKING)).map((c) => `${c.id} ${c.description}`);
  const again = (await generate([...RANKING].reverse())).map((c) => `${c.id} ${c.description}`);
  assert.deepEqual(again, first);
  const ids = first.map((s) => s.split(' ')[0]);
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');
});

test('each candidate is unique in content, carries a diff that applies, and its score', async () => {
  const cands = await generate(RANKING);
  const contents = cands.map((c) => c.newContent.get(FILE));
  assert.equal(new Set(contents).size, contents.length);
  for (const c of cands.slice(0, 8)) {
    assertDiffApplies(c, SRC);
    assert.ok(c.score > 0 && c.score <= c.locationScore);
  }
});

test('budget: maxCandidates cuts the ordered list; maxLocations keeps ties at the cut', async () => {
  const all = await generate(RANKING);
  const few = await generate(RANKING, 5);
  assert.deepEqual(few.map((c) => c.id), all.slice(0, 5).map((c) => c.id));
  const tied: RankedLocation[] = [1, 2, 3, 4].map((line) => ({ file: 'a.js', line, score: 0.5 }));
  assert.equal(selectLocations(tied, 2).length, 4);
  assert.deepEqual(selectLocations([{ file: 'a.js', line: 1, score: 0.2 }, { file: 'a.js', line: 1, score: 0.7 }, { file: 'a.js', line: 2, score: 0.4 }], 1), [
    { file: 'a.js', line: 1, score: 0.7 },
  ]);
});

test('ranked files absent from `files`, and lines past the end, yield nothing', async () => {
  const cands = await generateCandidates({
    files: new Map([[FILE, SRC]]),
    ranking: [{ file: 'missing.js', line: 1, score: 1 }, { file: FILE, line: 999, score: 1 }],
    language: 'node',
  });
  assert.deepEqual(cands, []);
});

test('unified diff: insertion, replacement, and a file without a final newline apply with git', () => {
  const before = 'a\nb\nc\nd\ne\nf\ng\nh\n';
  const insert = unifiedDiff('x.txt', before, 'a\nb\nc\nNEW\nd\ne\nf\ng\nh\n');
  assert.match(insert, /^@@ -1,6 \+1,7 @@$/m);
  const noEol = 'one\ntwo\nthree';
  const fake = (after: string, file = 'y.txt'): TemplateCandidate => ({
    id: 'x', template: 'off-by-one', file, line: 1, description: '', diff: unifiedDiff(file, noEol, after),
    newContent: new Map([[file, after]]), locationScore: 1, score: 1, size: { lines: 2, added: 1, removed: 1, chars: 1 },
  });
  assertDiffApplies(fake('one\ntwo\nTHREE'), noEol);
  assertDiffApplies(fake('ONE\ntwo\nthree'), noEol);
  assert.equal(unifiedDiff('z', 'same\n', 'same\n'), '');
});

test('tryCandidates: stops at the first valid candidate and records every attempt', async () => {
  const cands = (await generate(RANKING)).slice(0, 6);
  const seen: string[] = [];
  const outcome = await tryCandidates(cands, async (c) => {
    seen.push(c.id);
    if (c === cands[1]) throw new Error('sandbox hiccup');
    return { valid: c === cands[3], reason: c === cands[3] ? undefined : 'tests fail' };
  });
  assert.equal(outcome.stopped, 'validated');
  assert.equal(outcome.validated?.candidate, cands[3]);
  assert.deepEqual(seen, cands.slice(0, 4).map((c) => c.id));
  assert.equal(outcome.attempts[1]!.error, 'sandbox hiccup');
  const limited = await tryCandidates(cands, async () => ({ valid: false }), { maxAttempts: 2 });
  assert.equal(limited.stopped, 'attempts');
  assert.equal(limited.attempts.length, 2);
  const none = await tryCandidates(cands, async () => ({ valid: false }));
  assert.equal(none.stopped, 'exhausted');
  const aborted = await tryCandidates(cands, async () => ({ valid: false }), { signal: AbortSignal.abort() });
  assert.equal(aborted.stopped, 'aborted');
});
