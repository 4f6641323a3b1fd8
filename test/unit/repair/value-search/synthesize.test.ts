// Expression synthesis from angelic values: the smallest expression over the recorded in-scope
// values that gives the wanted value on every evaluation, printed in the site's language.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { synthesize } from '../../../../src/repair/value-search/synthesize.ts';
import { examplesOf } from '../../../../src/repair/value-search/search.ts';
import { assertionNumbers, trialsFor } from '../../../../src/repair/value-search/trials.ts';

describe('synthesize', () => {
  it('finds a boundary that needs a variable in scope, keeping the operator the author wrote', () => {
    const examples = [
      { env: { days_late: 4, daily_rate: 2, grace_days: 5 }, out: true },
      { env: { days_late: 2, daily_rate: 1, grace_days: 3 }, out: true },
      { env: { days_late: 10, daily_rate: 2, grace_days: 3 }, out: false },
    ];
    const found = synthesize({ examples, constants: [3], language: 'python', original: 'days_late <= 3' });
    assert.equal(found[0], 'days_late <= grace_days');
    // `<` fits the same evaluations: it is an alternative, after the one closer to the original.
    assert.ok(found.includes('days_late < grace_days'), found.join(' | '));
  });

  it('builds arithmetic over in-scope values, printed for JavaScript', () => {
    const examples = [
      { env: { unitPrice: 5, quantity: 10, discount: 0.1, subtotal: 50 }, out: 45 },
      { env: { unitPrice: 7, quantity: 1, discount: 0, subtotal: 7 }, out: 7 },
      { env: { unitPrice: 2, quantity: 3, discount: 0, subtotal: 6 }, out: 6 },
      { env: { unitPrice: 4, quantity: 20, discount: 0.1, subtotal: 80 }, out: 72 },
    ];
    const found = synthesize({ examples, constants: [10, 0.1, 0], language: 'js', original: 'subtotal - discount' });
    assert.ok(found.length > 0);
    for (const text of found) {
      // Every result computes the wanted values when evaluated as JavaScript.
      for (const e of examples) {
        const fn = new Function(...Object.keys(e.env), `return ${text};`) as (...a: number[]) => number;
        assert.ok(Math.abs(fn(...Object.values(e.env)) - e.out) < 1e-9, `${text} on ${JSON.stringify(e.env)}`);
      }
    }
    assert.match(found[0]!, /subtotal/);
  });

  it('uses Python semantics for // and %, and prints them the Python way', () => {
    const examples = [
      { env: { n: -7 }, out: 1 },
      { env: { n: 7 }, out: 1 },
      { env: { n: 8 }, out: 2 },
    ];
    // -7 % 3 is 2 in Python and -1 in JavaScript: only Python's `n % 3` gives 2 for -7 (it is not
    // wanted here), so no `n % 3` result; `abs(n) // 3`-like expressions fit.
    const found = synthesize({ examples, constants: [3], language: 'python', original: 'n' });
    assert.ok(found.length > 0);
    assert.ok(!found.includes('n % 3'));
    assert.ok(found.some((f) => f.includes('//') || f.includes('abs')), found.join(' | '));
    const js = synthesize({ examples: [{ env: { a: 7, b: 2 }, out: 3 }, { env: { a: 9, b: 4 }, out: 2 }], constants: [], language: 'js', original: 'a / b' });
    assert.ok(js.includes('Math.floor(a / b)'), js.join(' | '));
  });

  it('finds nothing when the evaluations want two values from the same state', () => {
    const angelic = [
      { i: 0, v: { n: 1 }, o: 1, r: 2 },
      { i: 1, v: { n: 1 }, o: 1, r: 3 },
    ];
    assert.equal(examplesOf(angelic, new Set(), []), undefined);
  });

  it('adds the passing tests\' original values only for states the failing test did not reach', () => {
    const angelic = [{ i: 0, v: { n: 4 }, o: false, r: true }];
    const passing = [
      { i: 0, v: { n: 4 }, o: false, r: false },
      { i: 1, v: { n: 2 }, o: true, r: true },
      { i: 2, v: { n: 2 }, o: true, r: true },
      { i: 3, v: { n: 10 }, o: false, r: false },
    ];
    const examples = examplesOf(angelic, new Set([JSON.stringify([['n', 4]])]), passing);
    assert.deepEqual(examples, [
      { env: { n: 4 }, out: true },
      { env: { n: 2 }, out: true },
      { env: { n: 10 }, out: false },
    ]);
  });
});

describe('trials', () => {
  it('reads the expected value of node and pytest assertion messages first', () => {
    assert.deepEqual(assertionNumbers('Expected values to be strictly equal:\n\n49.9 !== 45\n').slice(0, 2), [45, 49.9]);
    assert.equal(assertionNumbers('assert -2 == 0\n +  where -2 = late_fee(4, 2, 5)')[0], 0);
    assert.equal(assertionNumbers('The expression evaluated to a falsy value:\n\n  assert.ok(multiply(148, 412) === 16)\n')[0], 16);
  });

  it('flips conditions one evaluation at a time, and tries the expected value on a single evaluation', () => {
    const cond = trialsFor('condition', [{ i: 0, v: {}, o: false, r: false }, { i: 1, v: {}, o: true, r: true }], []);
    assert.deepEqual(cond.slice(0, 5), [{ kind: 'negate' }, { kind: 'all', value: true }, { kind: 'all', value: false }, { kind: 'flip-at', index: 0 }, { kind: 'flip-at', index: 1 }]);
    const value = trialsFor('value', [{ i: 0, v: {}, o: 49.9, r: 49.9 }], [45]);
    assert.deepEqual(value[0], { kind: 'all', value: 45 });
    assert.deepEqual(trialsFor('value', [{ i: 0, v: {}, o: null, r: null }], [45]), []);
  });
});
