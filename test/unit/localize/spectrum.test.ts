import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSpectrum, ochiai } from '../../../src/repair/localize/spectrum.ts';

describe('ochiai', () => {
  it('is ef / sqrt((ef + nf) * (ef + ep))', () => {
    assert.equal(ochiai(1, 0, 0), 1);
    assert.equal(ochiai(1, 1, 0), 1 / Math.sqrt(2));
    assert.equal(ochiai(1, 3, 0), 0.5);
    assert.equal(ochiai(2, 2, 2), 2 / Math.sqrt(4 * 4));
    assert.equal(ochiai(0, 5, 1), 0);
    assert.equal(ochiai(0, 0, 0), 0);
  });

  it('ranks a line run only by failing tests above one every test runs', () => {
    assert.ok(ochiai(1, 0, 0) > ochiai(1, 1, 0));
    assert.ok(ochiai(1, 1, 0) > ochiai(1, 4, 0));
    assert.ok(ochiai(2, 0, 0) > ochiai(1, 0, 1));
  });
});

describe('buildSpectrum', () => {
  // Hand-made: tests F1, F2 fail; P1..P3 pass.
  //   a.js:1 run by everyone; a.js:2 by F1, F2 and P1; a.js:3 by F1 and F2 only;
  //   a.js:4 by F1 only; b.js:9 by P2 only.
  const coverage = {
    F1: { 'a.js': [1, 2, 3, 4] },
    F2: { 'a.js': [1, 2, 3] },
    P1: { 'a.js': [1, 2] },
    P2: { 'a.js': [1], 'b.js': [9] },
    P3: { 'a.js': [1, 1] },
  };

  it('counts ef, ep, nf, np per line and scores only lines a failing test ran', () => {
    const s = buildSpectrum({ coverage, failing: ['F1', 'F2'], passing: ['P1', 'P2', 'P3'] });
    assert.deepEqual(
      s.lines.map((l) => [l.file, l.line, l.ef, l.ep, l.nf, l.np, Number(l.ochiai.toFixed(4))]),
      [
        ['a.js', 1, 2, 3, 0, 0, Number((2 / Math.sqrt(2 * 5)).toFixed(4))],
        ['a.js', 2, 2, 1, 0, 2, Number((2 / Math.sqrt(2 * 3)).toFixed(4))],
        ['a.js', 3, 2, 0, 0, 3, 1],
        ['a.js', 4, 1, 0, 1, 3, Number((1 / Math.sqrt(2 * 1)).toFixed(4))],
      ],
    );
    assert.equal(s.coveredLines, 5);
  });

  it('leaves out tests without coverage and never counts a test as both', () => {
    const s = buildSpectrum({ coverage, failing: ['F1', 'missing'], passing: ['P1', 'F1', 'also-missing'] });
    assert.deepEqual(s.failing, ['F1']);
    assert.deepEqual(s.passing, ['P1']);
    const line4 = s.lines.find((l) => l.line === 4);
    assert.deepEqual(line4 && [line4.ef, line4.ep, line4.nf, line4.np, line4.ochiai], [1, 0, 0, 1, 1]);
  });

  it('is empty without a failing test', () => {
    const s = buildSpectrum({ coverage, failing: [], passing: ['P1'] });
    assert.deepEqual(s.lines, []);
  });
});
