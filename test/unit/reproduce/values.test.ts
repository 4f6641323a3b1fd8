import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fillCuts } from '../../../src/reproduce/values/fill-cuts.ts';
import { jsLiteral, jsString } from '../../../src/reproduce/values/js-literal.ts';
import { jsFromLocal, jsonOrText, pythonFromLocal } from '../../../src/reproduce/values/locals.ts';
import { pythonRepr } from '../../../src/reproduce/values/python-render.ts';
import { pythonFromJs } from '../../../src/reproduce/values/locals.ts';

describe('Node locals', () => {
  it("reads the SDK's placeholders: <undefined>, <null>, and the assembler's [undefined]", () => {
    assert.deepEqual(jsFromLocal({ a: '<undefined>', b: '<null>', c: '[undefined]', d: [1, '2', null] }), {
      ok: true,
      value: { a: undefined, b: null, c: undefined, d: [1, '2', null] },
      truncated: false,
    });
  });

  it('refuses objects the SDK could only describe, and depth summaries', () => {
    const cart = jsFromLocal('<Cart>', 'cart');
    assert.deepEqual(cart, { ok: false, reason: 'cart is an object the SDK could only describe (<Cart>)' });
    assert.equal(jsFromLocal({ x: '[depth>3: object with 2 keys]' }, 'o').ok, false);
  });

  it('keeps pseudonyms as the strings they were, and marks cut text and lists', () => {
    assert.deepEqual(jsFromLocal('<jwt:3f2a9c1b>'), { ok: true, value: '<jwt:3f2a9c1b>', truncated: false });
    assert.deepEqual(jsFromLocal(['a', 'b', '…[+40 items]']), { ok: true, value: ['a', 'b'], truncated: true });
    assert.deepEqual(jsFromLocal({ a: 1, '…': '+3 keys' }), { ok: true, value: { a: 1 }, truncated: true });
    assert.deepEqual(jsFromLocal('abcdef…[+300 chars]'), { ok: true, value: 'abcdef', truncated: true });
  });

  it('parses JSON-looking text (span attributes) and leaves other text alone', () => {
    assert.deepEqual(jsonOrText('{"id": 7}'), { id: 7 });
    assert.deepEqual(jsonOrText('[1,2]'), [1, 2]);
    assert.equal(jsonOrText('42'), 42);
    assert.equal(jsonOrText('{not json'), '{not json');
    assert.equal(jsonOrText('SPRING24'), 'SPRING24');
  });
});

describe('Python locals', () => {
  it('parses repr leaves inside the JSON structure Sentry sends', () => {
    const r = pythonFromLocal({ sku: "'A-1'", qty: '2', price: '9.5', tags: ["'x'", 'None'], ok: 'True' });
    assert.ok(r.ok);
    assert.equal(pythonRepr(r.value), "{'sku': 'A-1', 'qty': 2, 'price': 9.5, 'tags': ['x', None], 'ok': True}");
  });

  it('says which part cannot be rebuilt', () => {
    assert.deepEqual(pythonFromLocal({ line: '<app.models.Line object at 0x7f00>' }, 'order'), {
      ok: false,
      reason: 'order["line"]: an object repr (<app.models.Line object at 0x7f00>) cannot be rebuilt',
    });
    assert.match((pythonFromLocal("'abc…[+500 chars]", 's') as { reason: string }).reason, /s was truncated/);
  });

  it('turns request JSON into Python values', () => {
    assert.equal(pythonRepr(pythonFromJs({ id: 'o-1', n: 2, x: 2.5, ok: false, none: null })), "{'id': 'o-1', 'n': 2, 'x': 2.5, 'ok': False, 'none': None}");
  });
});

describe('fillCuts', () => {
  const body = { id: 'ord-8841', lines: [{ sku: 'A-1', price: 9.5, qty: 2 }, { sku: 'L-9', unit_price: 4.25, qty: 3 }] };
  const py = { toLocal: (v: string | number | boolean | null) => pythonRepr(pythonFromJs(v)), absentMeansCut: false };
  const node = { toLocal: (v: string | number | boolean | null) => v, absentMeansCut: true };

  it('fills depth-cut parts of a Python local from the agreeing request object', () => {
    const local = { id: "'ord-8841'", lines: ['[depth>3: object with 3 keys]', '[depth>3: object with 3 keys]'] };
    const { value, filled } = fillCuts(local, body, py);
    assert.ok(filled);
    assert.deepEqual(value, { id: "'ord-8841'", lines: [{ sku: "'A-1'", price: '9.5', qty: '2' }, { sku: "'L-9'", unit_price: '4.25', qty: '3' }] });
  });

  it('fills keys the Node SDK dropped (nested objects) from the agreeing request object', () => {
    const { value, filled } = fillCuts({ couponCode: 'SPRING24' }, { items: [{ sku: 'A' }], couponCode: 'SPRING24' }, node);
    assert.ok(filled);
    assert.deepEqual(value, { couponCode: 'SPRING24', items: [{ sku: 'A' }] });
  });

  // The Node SDK unrolls one level: an array local of objects arrives as nulls, one per item.
  const invoice = { id: 'INV-2207', lines: [{ description: 'Consulting', quantity: 4 }, { description: 'Travel', quantity: 1 }], payments: [{ date: '2026-05-02', amount: 600 }, { date: '2026-05-03', amount: 60 }] };

  it("fills a Node array local of nulls from the body's array of that length", () => {
    assert.deepEqual(fillCuts([null], { id: 'x', payments: [{ amount: 600 }] }, node), { value: [{ amount: 600 }], filled: true });
    // Nested under an object local too; the real nulls and scalars of the body must line up.
    assert.deepEqual(fillCuts({ id: 'INV-2207', payments: [null, null] }, invoice, node).value, { id: 'INV-2207', payments: invoice.payments, lines: invoice.lines });
    assert.deepEqual(fillCuts([null, 3], { xs: [{ a: 1 }, 3] }, node).value, [{ a: 1 }, 3]);
  });

  it('takes the array under the field named like the local when several have its shape', () => {
    assert.deepEqual(fillCuts([null, null], invoice, node, 'payments'), { value: invoice.payments, filled: true });
    assert.deepEqual(fillCuts([null, null], invoice, node, 'lines'), { value: invoice.lines, filled: true });
  });

  it('leaves an array of nulls alone when only its length agrees and no name decides', () => {
    assert.deepEqual(fillCuts([null, null], invoice, node, 'items'), { value: [null, null], filled: false });
    assert.deepEqual(fillCuts([null, null], invoice, node), { value: [null, null], filled: false });
    // The same for Python's lists of depth cuts.
    const cut = ['[depth>3: object with 2 keys]', '[depth>3: object with 2 keys]'];
    assert.equal(fillCuts(cut, invoice, py, 'entries').filled, false);
    assert.equal(fillCuts(cut, invoice, py, 'payments').filled, true);
    // Shapes must agree: other lengths, scalar items, items that were null in production.
    assert.equal(fillCuts([null, null, null], invoice, node, 'payments').filled, false);
    assert.equal(fillCuts([null, null], { payments: ['a', 'b'] }, node, 'payments').filled, false);
    assert.equal(fillCuts([null, null], { payments: [null, null] }, node, 'payments').filled, false);
  });

  it('fills a list the assembler cut at 20 items when the body has the same number', () => {
    const items = Array.from({ length: 25 }, (_, i) => ({ sku: `S-${i}` }));
    const local = [...Array.from({ length: 20 }, () => null), '…[+5 items]'];
    assert.deepEqual(fillCuts(local, { items }, node, 'items'), { value: items, filled: true });
    assert.equal(fillCuts(local, { items: items.slice(1) }, node, 'items').filled, false);
  });

  it('leaves a local alone when no object of the body agrees with it', () => {
    assert.deepEqual(fillCuts({ id: "'other'", lines: ['[depth>3: object with 3 keys]'] }, body, py), {
      value: { id: "'other'", lines: ['[depth>3: object with 3 keys]'] },
      filled: false,
    });
    assert.equal(fillCuts({ couponCode: 'WINTER' }, { items: [], couponCode: 'SPRING24' }, node).filled, false);
    assert.equal(fillCuts('scalar', body, node).filled, false);
  });
});

describe('jsLiteral', () => {
  it('writes values that evaluate back to themselves, with the repository quote', () => {
    const value = { a: 'it\'s "x"\n\u2028', 'b-c': [1, -2.5, null, true], d: undefined, ['__proto__']: { polluted: true } };
    const src = jsLiteral(value as never);
    const back = new Function(`return (${src});`)() as Record<string, unknown>;
    assert.deepEqual(back, value);
    assert.equal(Object.getPrototypeOf(back), Object.prototype);
    assert.equal(jsString('say "hi"', '"'), '"say \\"hi\\""');
    assert.equal(jsString("it's", "'"), "'it\\'s'");
  });
});
