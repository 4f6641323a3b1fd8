import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeJsModule, findJsFunction, splitFunctionName } from '../../../src/reproduce/synthesize/js-module.ts';

const CJS = `
'use strict';
const { findCoupon } = require('./coupons.js');
function subtotal(items) { return items.reduce((s, i) => s + i.price, 0); }
function applyCoupon(total, code) { const coupon = findCoupon(code); return total * coupon.rate; }
function hidden(x) { return x; }
async function load(id, { retries = 2, timeout } = {}, ...rest) {}
exports.direct = function (a) {};
module.exports.arrow = (b) => b;
class Cart {
  total(x) {}
  static fromJson(json) {}
}
module.exports = { subtotal, applyCoupon, renamed: load, Cart, inline(q) {}, prop: function (r) {} };
`;

const ESM = `
import { x } from './x.ts';
export function a(p: number): number { return p; }
export const b = async (q: string, r?: number) => q;
function c(s) { function inner(t) {} return inner; }
export { c as see };
export default function (u) {}
export class Store { static open(name) {} get(k) {} }
`;

describe('analyzeJsModule', () => {
  it('finds CommonJS exports in every common form', () => {
    const info = analyzeJsModule(CJS, 'src/cart.js');
    assert.equal(info.moduleKind, 'cjs');
    const exp = Object.fromEntries(info.functions.map((f) => [f.qualifiedName, f.export]));
    assert.deepEqual(exp['subtotal'], { kind: 'cjs-named', name: 'subtotal' });
    assert.deepEqual(exp['applyCoupon'], { kind: 'cjs-named', name: 'applyCoupon' });
    assert.deepEqual(exp['load'], { kind: 'cjs-named', name: 'renamed' });
    assert.deepEqual(exp['direct'], { kind: 'cjs-named', name: 'direct' });
    assert.deepEqual(exp['arrow'], { kind: 'cjs-named', name: 'arrow' });
    assert.deepEqual(exp['inline'], { kind: 'cjs-named', name: 'inline' });
    assert.deepEqual(exp['prop'], { kind: 'cjs-named', name: 'prop' });
    assert.deepEqual(exp['Cart.fromJson'], { kind: 'cjs-named', name: 'Cart' });
    assert.equal(exp['hidden'], undefined);
  });

  it('reads parameters: plain, defaulted, destructured, rest', () => {
    const load = analyzeJsModule(CJS, 'src/cart.js').functions.find((f) => f.name === 'load');
    assert.equal(load?.async, true);
    assert.deepEqual(load?.params, [
      { rest: false, optional: false, name: 'id' },
      { rest: false, optional: true, defaultText: '{}', pattern: { kind: 'object', keys: [{ key: 'retries', name: 'retries' }, { key: 'timeout', name: 'timeout' }] } },
      { rest: true, optional: false, name: 'rest' },
    ]);
  });

  it('finds ESM exports, export lists and default exports; nested functions are not importable', () => {
    const info = analyzeJsModule(ESM, 'src/m.ts');
    assert.equal(info.moduleKind, 'esm');
    const byName = Object.fromEntries(info.functions.map((f) => [f.qualifiedName, f]));
    assert.deepEqual(byName['a']?.export, { kind: 'esm-named', name: 'a' });
    assert.deepEqual(byName['b']?.params.map((p) => [p.name, p.optional]), [['q', false], ['r', true]]);
    assert.deepEqual(byName['c']?.export, { kind: 'esm-named', name: 'see' });
    assert.deepEqual(byName['default']?.export, { kind: 'esm-default' });
    assert.equal(byName['inner']?.nested, true);
    assert.equal(byName['inner']?.export, undefined);
    assert.deepEqual([byName['Store.open']?.kind, byName['Store.get']?.kind], ['static-method', 'method']);
  });

  it('decides the module kind from the extension, the syntax, then package.json', () => {
    assert.equal(analyzeJsModule('export const x = 1;', 'a.cjs').moduleKind, 'cjs');
    assert.equal(analyzeJsModule('module.exports = 1;', 'a.mjs').moduleKind, 'esm');
    assert.equal(analyzeJsModule('const x = 1;', 'a.js', 'module').moduleKind, 'esm');
    assert.equal(analyzeJsModule('const x = 1;', 'a.js').moduleKind, 'cjs');
  });
});

describe('findJsFunction', () => {
  const info = analyzeJsModule(CJS, 'src/cart.js');

  it('matches V8 and Sentry spellings of a function name', () => {
    assert.equal(findJsFunction(info, 'Object.applyCoupon', undefined)?.name, 'applyCoupon');
    assert.equal(findJsFunction(info, 'async load', undefined)?.name, 'load');
    assert.equal(findJsFunction(info, 'Function.fromJson', undefined)?.qualifiedName, 'Cart.fromJson');
    assert.equal(findJsFunction(info, 'Cart.total', undefined)?.qualifiedName, 'Cart.total');
    assert.equal(findJsFunction(info, 'exports.direct', undefined)?.name, 'direct');
    assert.equal(findJsFunction(info, 'missing', 5), undefined);
  });

  it('uses the line for anonymous frames', () => {
    assert.equal(findJsFunction(info, '<anonymous>', 5)?.name, 'applyCoupon');
    assert.equal(findJsFunction(info, undefined, 4)?.name, 'subtotal');
  });

  it('splits receivers off the name', () => {
    assert.deepEqual(splitFunctionName('Object.applyCoupon'), { name: 'applyCoupon' });
    assert.deepEqual(splitFunctionName('Cart.total [as sum]'), { receiver: 'Cart', name: 'total' });
    assert.deepEqual(splitFunctionName('new Cart'), { name: 'Cart' });
  });
});
