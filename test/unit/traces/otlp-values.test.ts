import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anyValue, enumValue, int64, nanos, normalizeId, SPAN_KIND_NAMES } from '../../../src/traces/otlp/values.ts';

const strict = { base64: false };

test('ids: hex is case-insensitive and comes out lower-case', () => {
  assert.deepEqual(normalizeId('5B8EFFF798038103D269B633813FC60C', 16, 'traceId', strict), {
    ok: true,
    hex: '5b8efff798038103d269b633813fc60c',
  });
  assert.deepEqual(normalizeId(Buffer.from('eee19b7ec3c1b174', 'hex'), 8, 'spanId', strict), { ok: true, hex: 'eee19b7ec3c1b174' });
});

test('ids: base64 of the right length is detected and rejected, or accepted when allowed', () => {
  const base64Trace = Buffer.from('5b8efff798038103d269b633813fc60c', 'hex').toString('base64');
  assert.equal(base64Trace.length, 24);
  const rejected = normalizeId(base64Trace, 16, 'traceId', strict);
  assert.equal(rejected.ok, false);
  assert.match((rejected as { reason: string }).reason, /looks base64-encoded/);
  assert.deepEqual(normalizeId(base64Trace, 16, 'traceId', { base64: true }), { ok: true, hex: '5b8efff798038103d269b633813fc60c' });
  const base64Span = 'AAAAAAAAEjQ=';
  assert.match((normalizeId(base64Span, 8, 'spanId', strict) as { reason: string }).reason, /base64/);
  assert.deepEqual(normalizeId(base64Span, 8, 'spanId', { base64: true }), { ok: true, hex: '0000000000001234' });
});

test('ids: wrong lengths are rejected with a reason; empty and all-zero read as absent', () => {
  assert.match((normalizeId('abc', 16, 'traceId', strict) as { reason: string }).reason, /not 32 hex/);
  assert.match((normalizeId(Buffer.alloc(4, 1), 8, 'spanId', strict) as { reason: string }).reason, /4 bytes, expected 8/);
  assert.deepEqual(normalizeId('', 8, 'parentSpanId', strict), { ok: true, hex: undefined });
  assert.deepEqual(normalizeId(Buffer.alloc(0), 8, 'parentSpanId', strict), { ok: true, hex: undefined });
  assert.deepEqual(normalizeId('0'.repeat(16), 8, 'parentSpanId', strict), { ok: true, hex: undefined });
});

test('nanos: strings, numbers and Longs become exact decimal strings', () => {
  assert.equal(nanos('1544712660300000000'), '1544712660300000000');
  assert.equal(nanos('007'), '7');
  assert.equal(nanos(1678691748703599900), '1678691748703599872', 'a JSON number past 2^53 already lost precision');
  assert.equal(nanos({ low: -1314954176, high: 417998655, unsigned: true, toString: () => '1795290555977000000', toNumber: () => 0 }), '1795290555977000000');
  assert.equal(nanos('-1'), undefined);
  assert.equal(nanos('12e3'), undefined);
  assert.equal(nanos(undefined), undefined);
});

test('int64: exact numbers stay numbers, larger ones stay strings', () => {
  assert.equal(int64('10'), 10);
  assert.equal(int64(10), 10);
  assert.equal(int64('18446744073709551615'), '18446744073709551615');
  assert.equal(int64('x'), undefined);
});

test('enums: integers, numeric strings and legacy names; unknown falls back', () => {
  assert.equal(enumValue(2, SPAN_KIND_NAMES, 5), 2);
  assert.equal(enumValue('3', SPAN_KIND_NAMES, 5), 3);
  assert.equal(enumValue('SPAN_KIND_CONSUMER', SPAN_KIND_NAMES, 5), 5);
  assert.equal(enumValue(9, SPAN_KIND_NAMES, 5), 0);
  assert.equal(enumValue('SPAN_KIND_WHATEVER', SPAN_KIND_NAMES, 5), 0);
});

test('AnyValue: every kind, nested, and bytes as base64', () => {
  assert.equal(anyValue({ stringValue: '' }), '');
  assert.equal(anyValue({ boolValue: false }), false);
  assert.equal(anyValue({ intValue: '10' }), 10);
  assert.equal(anyValue({ doubleValue: 637.704 }), 637.704);
  assert.deepEqual(anyValue({ arrayValue: { values: [{ stringValue: 'many' }, { intValue: 2 }] } }), ['many', 2]);
  assert.deepEqual(anyValue({ kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }] } }), { k: 'v' });
  assert.equal(anyValue({ bytesValue: Buffer.from('hi') }), 'aGk=');
  assert.equal(anyValue({}), null);
  const tricky = anyValue({ kvlistValue: { values: [{ key: '__proto__', value: { stringValue: 'x' } }] } }) as object;
  assert.equal(Object.getPrototypeOf(tricky), Object.prototype, 'a "__proto__" key does not replace the prototype');
});
