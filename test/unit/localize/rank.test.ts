import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Localization } from '../../../schemas/run.ts';
import { frameLocations, type FrameLocation } from '../../../src/repair/localize/frames.ts';
import { localization, rankLocations } from '../../../src/repair/localize/rank.ts';
import { buildSpectrum } from '../../../src/repair/localize/spectrum.ts';
import { fixtureBundle } from '../reproduce/helpers.ts';

const frame = (file: string, line: number, depth: number, fn: string): FrameLocation => ({
  file,
  line,
  function: fn,
  index: depth,
  weight: 0.5 ** depth,
  depth,
  reason: depth === 0 ? 'crash site' : `caller ${depth}`,
});

describe('frameLocations', () => {
  it('weights in-app workspace frames from the crash outwards, skipping library frames', async () => {
    const bundle = await fixtureBundle('js-cart');
    const frames = frameLocations(bundle, ['src/cart.js', 'src/server.js', 'src/coupons.js']);
    assert.deepEqual(
      frames.map((f) => [f.file, f.line, f.function, f.index, f.weight]),
      [
        ['src/cart.js', 15, 'applyCoupon', 0, 1],
        ['src/cart.js', 21, 'checkout', 1, 0.5],
        ['src/server.js', 6, 'handleCheckout', 2, 0.25],
      ],
    );
    assert.equal(frames[0]?.reason, 'crash site: TypeError raised here (stack frame 0)');
  });
});

describe('rankLocations', () => {
  // The crash is in f (a.js:10) but the wrong value comes from g (a.js:3), which only the failing
  // test runs; a.js:1 runs for everyone.
  const coverage = {
    fail: { 'a.js': [1, 3, 10], 'b.js': [20] },
    p1: { 'a.js': [1, 10] },
    p2: { 'a.js': [1, 10], 'b.js': [20] },
    p3: { 'a.js': [1] },
  };
  const spectrum = buildSpectrum({ coverage, failing: ['fail'], passing: ['p1', 'p2', 'p3'] });
  const frames = [frame('a.js', 10, 0, 'f'), frame('c.js', 5, 1, 'caller')];

  it('combines stack weight and Ochiai, with reasons', () => {
    const ranking = rankLocations({ frames, spectrum, functionAt: (file, line) => (file === 'a.js' && line === 3 ? 'g' : undefined) });
    assert.deepEqual(
      ranking.map((r) => [r.file, r.line, r.function, r.score]),
      [
        ['a.js', 10, 'f', Number(((1 + 1 / Math.sqrt(3)) / 2).toFixed(6))],
        ['a.js', 3, 'g', 0.5],
        ['b.js', 20, undefined, Number((1 / Math.sqrt(2) / 2).toFixed(6))],
        ['c.js', 5, 'caller', 0.25],
        ['a.js', 1, undefined, 0.25],
      ],
    );
    assert.deepEqual(ranking[0]?.reasons, ['crash site', 'Ochiai 0.58: run by 1 of 1 failing and 2 of 3 passing tests']);
    assert.deepEqual(ranking[3]?.reasons, ['caller 1', 'not run by the failing reproduction under coverage']);
    assert.deepEqual(ranking[1]?.spectrum, { ochiai: 1, ef: 1, ep: 0, nf: 0, np: 3 });
  });

  it('breaks ties by stack depth, then Ochiai, then file and line', () => {
    const ranking = rankLocations({ frames, spectrum });
    // a.js:1 (Ochiai 0.5, no frame) and c.js:5 (frame weight 0.5, no coverage) both score 0.25.
    const tied = ranking.filter((r) => r.score === 0.25).map((r) => `${r.file}:${r.line}`);
    assert.deepEqual(tied, ['c.js:5', 'a.js:1']);
    const flat = rankLocations({ frames: [], spectrum: buildSpectrum({ coverage: { f: { 'z.js': [2, 1], 'y.js': [7] } }, failing: ['f'], passing: [] }) });
    assert.deepEqual(flat.map((r) => `${r.file}:${r.line}`), ['y.js:7', 'z.js:1', 'z.js:2']);
  });

  it('ranks by the stack alone without coverage', () => {
    const ranking = rankLocations({ frames });
    assert.deepEqual(ranking.map((r) => [r.file, r.score, r.reasons]), [
      ['a.js', 1, ['crash site']],
      ['c.js', 0.5, ['caller 1']],
    ]);
  });

  it('drops weak spectrum-only lines and caps the list', () => {
    const wide = buildSpectrum({ coverage: { f: { 'a.js': [1, 2, 3] }, ...Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`p${i}`, { 'a.js': [1] }])) }, failing: ['f'], passing: Array.from({ length: 200 }, (_, i) => `p${i}`) });
    const ranking = rankLocations({ frames: [], spectrum: wide, limit: 1 });
    assert.deepEqual(ranking.map((r) => r.line), [2]);
    assert.ok(!rankLocations({ frames: [], spectrum: wide }).some((r) => r.line === 1), 'Ochiai 0.07 is below the cut');
  });

  it('fills the run record section', () => {
    const section = localization({ frames, spectrum }, ['p9: timed out']);
    Localization.parse(section);
    assert.deepEqual(section.weights, { frames: 0.5, spectrum: 0.5 });
    assert.deepEqual(section.spectrum, { failingTests: ['fail'], passingTests: 3, coveredLines: 4, problems: ['p9: timed out'] });
    assert.deepEqual(localization({ frames }).weights, { frames: 0.5, spectrum: 0 });
  });
});
