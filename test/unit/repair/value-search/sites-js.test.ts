// The value search's JS/TS sites: which expressions at a ranked line can be probed, and the names
// in scope the probe may record there (never one declared after the site: it would be in its TDZ).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { instrument } from '../../../../src/repair/value-search/probe.ts';
import { jsSites } from '../../../../src/repair/value-search/sites-js.ts';
import { hasSyntaxErrors } from '../../../../src/repair/templates/js/ast.ts';

const SOURCE = [
  'export function price(unit: number, qty: number, { rate }: { rate: number }): number {',
  '  const base = unit * qty;',
  '  for (const step of [1, 2]) {',
  '    if (qty > 10 + step) return base - 3;',
  '  }',
  '  const later = 2;',
  '  return base * rate + later;',
  '}',
  'export const top = 5 > 3;',
  '',
].join('\n');

describe('jsSites', () => {
  it('finds a condition and a returned value, with the names declared before them', () => {
    const sites = jsSites('src/price.ts', SOURCE, 4);
    assert.deepEqual(sites.map((s) => [s.kind, s.text]), [['condition', 'qty > 10 + step'], ['value', 'base - 3']]);
    assert.deepEqual(sites[0]!.names, ['unit', 'qty', 'rate', 'base', 'step']);
    assert.deepEqual(sites[0]!.constants, [1, 2, 10, 3]);
  });

  it('leaves out a variable declared after the site, and anything outside a function', () => {
    const [init] = jsSites('src/price.ts', SOURCE, 2);
    assert.equal(init?.text, 'unit * qty');
    assert.deepEqual(init?.names, ['unit', 'qty', 'rate']);
    assert.deepEqual(jsSites('src/price.ts', SOURCE, 9), []);
  });

  it('instruments a site into a file that still parses, typed for TypeScript', () => {
    const [site] = jsSites('src/price.ts', SOURCE, 7);
    const text = instrument(SOURCE, site!, 'js');
    assert.match(text, /return __tfProbe\('v', \(\) => \(base \* rate \+ later\), \{ unit, qty, rate, base, later \}\);/);
    assert.equal(hasSyntaxErrors('src/price.ts', text), false);
    assert.match(text, /function __tfProbe\(kind: any, f: any, scope: any\): any/);
  });
});
