import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorTypeOf, expectedActualOf, makeFailure } from '../../../src/runners/failure.ts';

describe('failure details from framework text', () => {
  it('reads expected and actual from the usual messages', () => {
    assert.deepEqual(expectedActualOf('Expected values to be strictly equal:\n\n6 !== 5\n'), { actual: '6', expected: '5' });
    assert.deepEqual(expectedActualOf('expect(received).toBe(expected)\n\nExpected: 5\nReceived: 6'), { actual: '6', expected: '5' });
    assert.deepEqual(expectedActualOf('AssertionError: expected 6 to be 5 // Object.is equality'), { actual: '6', expected: '5' });
    assert.deepEqual(expectedActualOf('expected [ 1 ] to deeply equal [ 2 ]'), { actual: '[ 1 ]', expected: '[ 2 ]' });
    assert.deepEqual(expectedActualOf("AssertionError: assert 6.0 == 5\n +  where 6.0 = discount(10, 'HALF')"), { actual: '6.0', expected: '5' });
    assert.deepEqual(expectedActualOf('AssertionError: 6.0 != 5'), { actual: '6.0', expected: '5' });
    assert.deepEqual(expectedActualOf('  generatedMessage: true,\n    actual: { a: 1 },\n    expected: { a: 2 },\n'), { actual: '{ a: 1 }', expected: '{ a: 2 }' });
    assert.deepEqual(expectedActualOf('TypeError: x is not a function'), {});
  });

  it('names the error class', () => {
    assert.equal(errorTypeOf('TypeError: boom\n    at x'), 'TypeError');
    assert.equal(errorTypeOf('AssertionError [ERR_ASSERTION]: Expected'), 'AssertionError');
    assert.equal(errorTypeOf('E       ZeroDivisionError: division by zero'), 'ZeroDivisionError');
    assert.equal(errorTypeOf('something else'), undefined);
  });

  it('prefers structured values and caps sizes', () => {
    const f = makeFailure({ message: 'Expected: 5\nReceived: 6', expected: { a: [1] }, actual: 'x'.repeat(20_000) });
    assert.equal(f.expected, '{"a":[1]}');
    assert.ok((f.actual?.length ?? 0) <= 8192);
    assert.equal(makeFailure({ message: '', stack: 'Error: from the stack\n  at y' }).message, 'Error: from the stack');
  });
});
