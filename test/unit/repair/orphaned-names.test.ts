// The orphaned-name signal of selection: a patch that leaves a name the function read bound but
// unread ranks below one that keeps every name in use, after contract agreement and before the
// location score; nothing is rejected for it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Candidate } from '../../../schemas/run.ts';
import { orphanedNames } from '../../../src/repair/orphaned-names.ts';
import { selectCandidate } from '../../../src/repair/select.ts';

const PY = `def has_close(numbers, threshold):
    """True when two numbers are closer than threshold."""
    for i, a in enumerate(numbers):
        for j, b in enumerate(numbers):
            if i != j:
                d = a - b
                if d < threshold:
                    return True
    return False
`;
const JS = `function meanDeviation(numbers) {
  const mean = numbers.reduce((prev, item) => prev + item, 0) / numbers.length;
  return numbers.reduce((prev, item) => {
    return prev + Math.abs(item - mean);
  }, 0) / mean;
}
`;
const orphans = (file: string, before: string, after: string) => orphanedNames(new Map([[file, after]]), new Map([[file, before]]));

describe('orphanedNames', () => {
  it('names a loop variable the patch leaves unread (Python), and none for a wrap that keeps it', () => {
    assert.deepEqual(orphans('m.py', PY, PY.replace('d = a - b', 'd = a - i')), ['b']);
    assert.deepEqual(orphans('m.py', PY, PY.replace('d = a - b', 'd = abs(a - b)')), []);
  });

  it('reads the outermost function, so a callback does not hide the names of its enclosing function (JS)', () => {
    assert.deepEqual(orphans('m.js', JS, JS.replace('}, 0) / mean;', '}, 0) / numbers.length;')), [], '`mean` is still read in the callback');
    assert.deepEqual(orphans('m.js', JS, JS.replace('Math.abs(item - mean)', 'Math.abs(prev - mean)')), [], '`item` is still read by the first reduce');
    const one = `function area(w, h) {\n  const side = w;\n  return side * h;\n}\n`;
    assert.deepEqual(orphans('m.js', one, one.replace('side * h', 'w * h')), ['side']);
  });

  it('ignores names in strings, comments and docstrings', () => {
    const src = `def f(x, y):\n    """Uses y."""\n    return x + y  # y\n`;
    assert.deepEqual(orphans('m.py', src, src.replace('x + y  #', 'x + x  #')), ['y']);
  });
});

describe('selection with orphaned names', () => {
  const record = (id: string, added: string, agreement?: 'no-value' | 'silent'): Candidate => ({
    id,
    engine: 'templates',
    description: id,
    diff: `--- a/m.py\n+++ b/m.py\n@@ -6 +6 @@\n-                d = a - b\n+${added}\n`,
    stats: { files: 1, added: 1, removed: 1 },
    status: 'validated',
    checks: [],
    durationMs: 1,
    ...(agreement ? { intent: { agreement, reasons: [], values: [] } } : {}),
  });

  it('prefers the patch that orphans no name over a smaller one that does, at the same location score', () => {
    const swap = record('swap', '                d = a - i');
    const wrap = record('wrap', '                d = abs(a - b)');
    const scores = new Map([
      ['swap', { locationScore: 0.5, orphanedNames: ['b'] }],
      ['wrap', { locationScore: 0.5, orphanedNames: [] }],
    ]);
    assert.deepEqual(selectCandidate([swap, wrap], scores), { chosen: wrap, alternatives: ['swap'] });
    // Without the signal, the smaller swap wins: the signal decides, not the order given.
    assert.equal(selectCandidate([swap, wrap], new Map([['swap', { locationScore: 0.5 }], ['wrap', { locationScore: 0.5 }]]))?.chosen.id, 'swap');
  });

  it('ranks after agreement with the contract', () => {
    const guessed = record('guessed', '                d = abs(a - b)', 'silent');
    const orphaning = record('orphaning', '                d = a - i', 'no-value');
    const scores = new Map([
      ['guessed', { locationScore: 0.5, orphanedNames: [] }],
      ['orphaning', { locationScore: 0.5, orphanedNames: ['b'] }],
    ]);
    assert.equal(selectCandidate([guessed, orphaning], scores)?.chosen.id, 'orphaning');
  });

  it("keeps the engine's ring at the same location score: a one-line wide edit does not outrank a narrow two-line one", () => {
    const narrow = record('narrow', '                d = a - b + 1');
    const wide: Candidate = { ...record('wide', ''), diff: '--- a/m.py\n+++ b/m.py\n@@ -6,0 +7 @@\n+                    break\n', stats: { files: 1, added: 1, removed: 0 } };
    const scores = new Map([
      ['narrow', { locationScore: 0.5, ring: 0 }],
      ['wide', { locationScore: 0.5, ring: 1 }],
    ]);
    assert.equal(selectCandidate([wide, narrow], scores)?.chosen.id, 'narrow');
    assert.equal(selectCandidate([wide, narrow], new Map([['narrow', { locationScore: 0.5 }], ['wide', { locationScore: 0.5 }]]))?.chosen.id, 'wide', 'by size alone the smaller wide edit wins');
  });

  it("breaks a tie of one-line edits by the engine's order, not by the content hash", () => {
    // `1 → 2` and `i → i + 1` on one line: the same diff lines and line characters; the engine
    // ranked the smaller edit first.
    const literal = record('zzz-literal', '                d = a - b + 2');
    const index = record('aaa-index', '                d = a - b + 1');
    const scores = new Map([
      ['zzz-literal', { locationScore: 0.5, engineOrder: 3 }],
      ['aaa-index', { locationScore: 0.5, engineOrder: 9 }],
    ]);
    assert.equal(selectCandidate([index, literal], scores)?.chosen.id, 'zzz-literal');
    assert.equal(selectCandidate([index, literal])?.chosen.id, 'aaa-index', 'without the order the id decides');
  });
});
