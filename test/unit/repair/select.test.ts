// Selection among validated candidates: location score first, then the smallest diff (lines, then
// changed characters), then id; rejected and errored candidates are never chosen.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Candidate } from '../../../schemas/run.ts';
import { changedChars, selectCandidate } from '../../../src/repair/select.ts';

function candidate(id: string, lines: string[], status: Candidate['status'] = 'validated'): Candidate {
  const added = lines.filter((l) => l.startsWith('+')).length;
  const removed = lines.filter((l) => l.startsWith('-')).length;
  return {
    id,
    engine: 'templates',
    description: id,
    diff: ['diff --git a/src/a.js b/src/a.js', '--- a/src/a.js', '+++ b/src/a.js', '@@ -1,2 +1,2 @@', ' keep', ...lines, ''].join('\n'),
    stats: { files: 1, added, removed },
    status,
    checks: [],
    durationMs: 1,
  };
}

describe('selectCandidate', () => {
  it('returns undefined when nothing validated', () => {
    assert.equal(selectCandidate([]), undefined);
    assert.equal(selectCandidate([candidate('a', ['+x'], 'rejected'), candidate('b', ['+y'], 'error')]), undefined);
  });

  it('prefers the best location score over a smaller diff', () => {
    const small = candidate('small', ['+x']);
    const aimed = candidate('aimed', ['-old line', '+new line', '+another']);
    const scores = new Map([
      ['small', { locationScore: 0.3 }],
      ['aimed', { locationScore: 0.9 }],
    ]);
    assert.deepEqual(selectCandidate([small, aimed], scores), { chosen: aimed, alternatives: ['small'] });
  });

  it('breaks score ties by diff lines, then changed characters, then id', () => {
    const twoLines = candidate('a-two-lines', ['-x', '+y']);
    const longLine = candidate('b-long', ['+if (coupon === undefined || coupon === null) return total;']);
    const shortLine = candidate('c-short', ['+if (!coupon) return total;']);
    const sameAsShort = candidate('b-same', ['+if (!coupon) return 00000;']);
    const rejected = candidate('0-rejected', ['+z'], 'rejected');
    const picked = selectCandidate([twoLines, longLine, shortLine, sameAsShort, rejected]);
    assert.equal(picked?.chosen.id, 'b-same');
    assert.deepEqual(picked?.alternatives, ['c-short', 'b-long', 'a-two-lines']);
  });

  it('counts a candidate without a known score as 0, and one id once', () => {
    const known = candidate('known', ['+a', '+b', '+c']);
    const unknown = candidate('unknown', ['+a']);
    const picked = selectCandidate([unknown, known, known], new Map([['known', { locationScore: 0.1 }]]));
    assert.deepEqual(picked, { chosen: known, alternatives: ['unknown'] });
  });

  it('measures changed characters on added and removed lines only', () => {
    assert.equal(changedChars(candidate('x', ['-ab', '+abc']).diff), 5);
  });
});
