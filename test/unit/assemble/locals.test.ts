// Frame locals: strings ≤ 256 chars, ≤ 20 keys per object, ≤ 20 array items, depth ≤ 3, every
// cut marked in place and the frame flagged; redaction before any cut.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CAPS } from '../../../schemas/bundle.ts';
import { frameLocals } from '../../../src/assemble/locals.ts';
import { Redactor } from '../../../src/assemble/redactor.ts';
import { capText } from '../../../src/assemble/text.ts';
import { assemble, KEY, pythonAlert } from './helpers.ts';

const redactor = () => new Redactor({ key: KEY }, 'inc_locals');

test('small locals pass unchanged and are not flagged', () => {
  const vars = { a: 1, b: 'x', c: [1, 2], d: { e: null, f: true } };
  assert.deepEqual(frameLocals(vars, redactor()), { locals: vars, truncated: false });
});

test('strings, keys, arrays, depth: cut and marked', () => {
  const many = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`k${String(i).padStart(2, '0')}`, i]));
  const { locals, truncated } = frameLocals(
    {
      long: 'y'.repeat(1000),
      list: Array.from({ length: 50 }, (_, i) => i),
      many,
      deep: { one: { two: { three: { four: 4 } }, list: [[1]] } },
      [`name_${'n'.repeat(200)}`]: 1,
      gone: undefined,
    },
    redactor(),
  );
  assert.equal(truncated, true);
  const long = locals.long as string;
  assert.equal(long.length, CAPS.localString);
  assert.match(long, /^y+…\[\+\d+ chars\]$/);
  const list = locals.list as unknown[];
  assert.equal(list.length, 21);
  assert.equal(list[20], '…[+30 items]');
  const kept = locals.many as Record<string, unknown>;
  assert.equal(Object.keys(kept).length, 21);
  assert.equal(kept['…'], '+5 keys');
  assert.deepEqual(locals.deep, { one: { two: '[depth>3: object with 1 keys]', list: '[depth>3: array of 1 items]' } });
  const longKey = Object.keys(locals).find((k) => k.startsWith('name_'));
  assert.ok(longKey && longKey.length <= CAPS.localKey);
  assert.equal(locals.gone, '[undefined]');
});

test('more than 20 locals: Python dunder names go first', () => {
  const vars: Record<string, unknown> = {};
  for (let i = 0; i < 10; i++) vars[`__dunder${i}__`] = 'x';
  for (let i = 0; i < 15; i++) vars[`v${i}`] = i;
  const { locals } = frameLocals(vars, redactor());
  const keys = Object.keys(locals);
  assert.equal(keys.filter((k) => k.startsWith('v')).length, 15);
  assert.equal(keys.filter((k) => k.startsWith('__')).length, 5);
});

test('a secret at the end of a long string is redacted before the cut (no partial leak)', () => {
  const secret = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
  const text = `${'a'.repeat(240)}${secret}`;
  const { locals } = frameLocals({ text }, redactor());
  const out = locals.text as string;
  assert.ok(!out.includes('ghp_16C7'), out);
  assert.ok(out.length <= CAPS.localString);
});

test('capText keeps the cap, marks the cut and never splits a surrogate pair', () => {
  for (const max of [16, 20, 64, 256]) {
    const out = capText('😀'.repeat(200), max);
    assert.ok(out.length <= max);
    assert.ok(!/[\uD800-\uDBFF]…/.test(out), 'no lone high surrogate before the marker');
    assert.match(out, /…\[\+\d+ chars\]$/);
  }
  assert.equal(capText('short', 10), 'short');
});

test('in a bundle the frame says its locals were cut', async () => {
  const alert = pythonAlert({ exceptions: [], frames: [{ file: 'a.py', function: 'f', inApp: true, vars: { big: 'z'.repeat(500) } }] });
  const { bundle } = await assemble({ alerts: [alert] });
  assert.equal(bundle.exception.frames[0]?.localsTruncated, true);
});
