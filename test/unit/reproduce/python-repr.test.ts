// The Python repr parser: examples of what Sentry sends, a property test (the repr of any
// generated value, written by pythonRepr following CPython's rules, parses back to the value), and
// a sample of those reprs checked against a real python3's repr().
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parsePythonRepr } from '../../../src/reproduce/values/python-repr.ts';
import { pythonRepr, pythonSource, reprFloat } from '../../../src/reproduce/values/python-render.ts';
import type { PyValue } from '../../../src/reproduce/values/python-value.ts';

const str = (v: string): PyValue => ({ t: 'str', v });
const int = (v: number | bigint): PyValue => ({ t: 'int', v: BigInt(v) });
const float = (v: number): PyValue => ({ t: 'float', v });

function ok(text: string): PyValue {
  const r = parsePythonRepr(text);
  assert.ok(r.ok, `${text}: ${r.ok ? '' : r.reason}`);
  return r.value;
}

function reason(text: string): string {
  const r = parsePythonRepr(text);
  assert.ok(!r.ok, `${text} should not parse`);
  return r.reason;
}

describe('parsePythonRepr', () => {
  it('parses the literals Sentry sends as locals', () => {
    assert.deepEqual(ok("'EUR'"), str('EUR'));
    assert.deepEqual(ok('"it\'s"'), str("it's"));
    assert.deepEqual(ok("'a\\nb\\t\\x00\\u20ac\\U0001f600\\\\'"), str('a\nb\t\x00€😀\\'));
    assert.deepEqual(ok('42'), int(42));
    assert.deepEqual(ok('-7'), int(-7));
    assert.deepEqual(ok('123456789012345678901234567890'), int(123456789012345678901234567890n));
    assert.deepEqual(ok('9.5'), float(9.5));
    assert.deepEqual(ok('1e+16'), float(1e16));
    assert.deepEqual(ok('-inf'), float(-Infinity));
    assert.deepEqual(ok('nan'), float(NaN));
    assert.deepEqual(ok('None'), { t: 'none' });
    assert.deepEqual(ok('True'), { t: 'bool', v: true });
    assert.deepEqual(ok("b'\\x00ab\\''"), { t: 'bytes', v: [0, 97, 98, 39] });
  });

  it('parses containers, nested, with the tuple and set special cases', () => {
    assert.deepEqual(ok("{'sku': 'A-1', 'qty': 2, 'tags': ['x', ('y',)], 'n': None}"), {
      t: 'dict',
      entries: [
        [str('sku'), str('A-1')],
        [str('qty'), int(2)],
        [str('tags'), { t: 'list', items: [str('x'), { t: 'tuple', items: [str('y')] }] }],
        [str('n'), { t: 'none' }],
      ],
    });
    assert.deepEqual(ok('()'), { t: 'tuple', items: [] });
    assert.deepEqual(ok('(1)'), int(1));
    assert.deepEqual(ok('(1, 2)'), { t: 'tuple', items: [int(1), int(2)] });
    assert.deepEqual(ok('{1, 2}'), { t: 'set', items: [int(1), int(2)] });
    assert.deepEqual(ok('set()'), { t: 'set', items: [] });
    assert.deepEqual(ok('{}'), { t: 'dict', entries: [] });
    assert.deepEqual(ok('[[[]]]'), { t: 'list', items: [{ t: 'list', items: [{ t: 'list', items: [] }] }] });
  });

  it('parses the whitelisted standard-library constructors', () => {
    assert.deepEqual(ok("Decimal('19.99')"), { t: 'call', callee: 'Decimal', args: [str('19.99')], kwargs: [] });
    assert.deepEqual(ok('datetime.datetime(2025, 7, 1, 12, 3, tzinfo=datetime.timezone.utc)'), {
      t: 'call',
      callee: 'datetime.datetime',
      args: [int(2025), int(7), int(1), int(12), int(3)],
      kwargs: [['tzinfo', { t: 'const', name: 'datetime.timezone.utc' }]],
    });
    assert.deepEqual(ok("UUID('12345678-1234-5678-1234-567812345678')").t, 'call');
  });

  it('rejects what a test cannot rebuild, saying why', () => {
    assert.match(reason('<app.models.Order object at 0x7f3a2c1b9d10>'), /object repr/);
    assert.match(reason("{'a': <Line object at 0x1>}"), /object repr/);
    assert.match(reason('[1, 2, [...]]'), /recursion or truncation marker/);
    assert.match(reason("'a long string that Sentry cut..."), /unterminated string/);
    assert.match(reason("os.system('rm -rf /')"), /cannot be rebuilt/);
    assert.match(reason("__import__('os')"), /cannot be rebuilt/);
    assert.match(reason('open'), /the name open cannot be rebuilt/);
    assert.match(reason('(1+2j)'), /complex|expected/);
    assert.match(reason("[1, 2"), /truncated/);
    assert.match(reason("'a' + 'b'"), /unexpected text/);
    assert.match(reason('['.repeat(5000)), /nested too deeply/);
  });
});

describe('pythonRepr', () => {
  it("follows CPython's float repr: shortest digits, exponent outside 1e-4 .. 1e16", () => {
    const cases: [number, string][] = [
      [0.1, '0.1'], [1, '1.0'], [-0, '-0.0'], [1e16, '1e+16'], [1e15, '1000000000000000.0'], [0.0001, '0.0001'],
      [0.00001, '1e-05'], [1.5e-7, '1.5e-07'], [123456789012345680, '1.2345678901234568e+17'], [1e300, '1e+300'],
      [5e-324, '5e-324'], [Infinity, 'inf'], [NaN, 'nan'], [2.5, '2.5'], [100, '100.0'],
    ];
    for (const [x, text] of cases) assert.equal(reprFloat(x), text, String(x));
  });

  it("chooses quotes and escapes like CPython's str and bytes repr", () => {
    assert.equal(pythonRepr(str("it's")), '"it\'s"');
    assert.equal(pythonRepr(str('say "hi" it\'s')), "'say \"hi\" it\\'s'");
    assert.equal(pythonRepr(str('\x7f\xa0\xad\u2028é😀\ud800')), "'\\x7f\\xa0\\xad\\u2028é😀\\ud800'");
    assert.equal(pythonRepr({ t: 'bytes', v: [0, 39, 200, 92] }), "b\"\\x00'\\xc8\\\\\"");
    assert.equal(pythonRepr({ t: 'tuple', items: [int(1)] }), '(1,)');
    assert.equal(pythonRepr({ t: 'set', items: [] }), 'set()');
  });

  it('writes source that evaluates to the value (inf and nan as float calls)', () => {
    assert.equal(pythonSource({ t: 'list', items: [float(Infinity), float(NaN), float(-Infinity)] }), "[float('inf'), float('nan'), float('-inf')]");
  });
});

// ---------------------------------------------------------------------------------------------
// Property test and the check against python3.

const anyChar = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  // Lone surrogates and every BMP unit.
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 8 }).map((codes) => String.fromCharCode(...codes)),
);

function pyValue(strings: fc.Arbitrary<string>, withSets: boolean): fc.Arbitrary<PyValue> {
  const { value } = fc.letrec<{ value: PyValue; leaf: PyValue }>((tie) => ({
    leaf: fc.oneof(
      fc.constant<PyValue>({ t: 'none' }),
      fc.boolean().map((v): PyValue => ({ t: 'bool', v })),
      fc.bigInt({ min: -(2n ** 90n), max: 2n ** 90n }).map((v): PyValue => ({ t: 'int', v })),
      fc.double().map((v): PyValue => ({ t: 'float', v })),
      strings.map((v): PyValue => ({ t: 'str', v })),
      fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 8 }).map((v): PyValue => ({ t: 'bytes', v })),
      fc.constantFrom('0', '19.99', '-1.5E+3').map((v): PyValue => ({ t: 'call', callee: 'Decimal', args: [{ t: 'str', v }], kwargs: [] })),
      fc.tuple(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })).map(
        ([y, m, d]): PyValue => ({ t: 'call', callee: 'datetime.date', args: [int(y), int(m), int(d)], kwargs: [] }),
      ),
    ),
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      tie('leaf'),
      fc.array(tie('value'), { maxLength: 4 }).map((items): PyValue => ({ t: 'list', items })),
      fc.array(tie('value'), { maxLength: 4 }).map((items): PyValue => ({ t: 'tuple', items })),
      ...(withSets ? [fc.array(tie('leaf'), { maxLength: 4 }).map((items): PyValue => ({ t: 'set', items }))] : []),
      // Distinct str keys: Python would merge equal keys (and 1 == True == 1.0).
      fc.uniqueArray(fc.tuple(strings, tie('value')), { maxLength: 4, selector: ([k]) => k }).map((entries): PyValue => ({ t: 'dict', entries: entries.map(([k, v]) => [str(k), v]) })),
    ),
  }));
  return value;
}

describe('repr round trip (property)', () => {
  it('parses the repr of any value back to that value', () => {
    fc.assert(
      fc.property(pyValue(anyChar, true), (value) => {
        const text = pythonRepr(value);
        const parsed = parsePythonRepr(text);
        assert.ok(parsed.ok, `${text}: ${parsed.ok ? '' : parsed.reason}`);
        assert.deepStrictEqual(parsed.value, value);
      }),
      { numRuns: 2000 },
    );
  });
});

/** The value as data python can build it from (JSON carries no tuples, bytes, big ints or floats exactly). */
function tagged(v: PyValue): unknown {
  switch (v.t) {
    case 'int':
      return { t: 'int', v: v.v.toString() };
    case 'float':
      return { t: 'float', v: String(v.v) };
    case 'list':
    case 'tuple':
    case 'set':
      return { t: v.t, items: v.items.map(tagged) };
    case 'dict':
      return { t: 'dict', entries: v.entries.map(([k, x]) => [tagged(k), tagged(x)]) };
    case 'call':
      return { t: 'call', callee: v.callee, args: v.args.map(tagged) };
    default:
      return v;
  }
}

const BUILD = `
import datetime, decimal, json, sys
def build(v):
    t = v["t"]
    if t == "none": return None
    if t in ("bool", "str"): return v["v"]
    if t == "int": return int(v["v"])
    if t == "float": return float(v["v"])
    if t == "bytes": return bytes(v["v"])
    if t == "list": return [build(x) for x in v["items"]]
    if t == "tuple": return tuple(build(x) for x in v["items"])
    if t == "dict": return {build(k): build(x) for k, x in v["entries"]}
    if t == "call":
        f = {"Decimal": decimal.Decimal, "datetime.date": datetime.date}[v["callee"]]
        return f(*[build(a) for a in v["args"]])
    raise ValueError(t)
print(json.dumps([repr(build(v)) for v in json.load(sys.stdin)]))
`;

function hasPython(): boolean {
  try {
    execFileSync('python3', ['-c', 'pass'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('repr against python3', { skip: hasPython() ? false : 'python3 is not installed' }, () => {
  it("writes exactly what python3's repr() writes for a sample of values", () => {
    // Characters whose Unicode category is the same in every Python 3 and ICU version in use:
    // no unassigned code points, no lone surrogates (JSON cannot carry them to python).
    const safeChars = fc.string({
      unit: fc.constantFrom(...'aZ09 \'"\\\n\r\t\x00\x1f\x7f\x80\x9f\xa0\xad\xe9\xff\u0100\u0394\u200b\u2028\u2029\u3000\u4e2d\ue000\ufeff\ufffd'.split(''), '😀', '𝄞'),
      maxLength: 10,
    });
    const sample = fc.sample(pyValue(safeChars, false), { numRuns: 300, seed: 4242 });
    const expected = JSON.parse(execFileSync('python3', ['-c', BUILD], { input: JSON.stringify(sample.map(tagged)), encoding: 'utf8' })) as string[];
    sample.forEach((value, i) => assert.equal(pythonRepr(value), expected[i], JSON.stringify(tagged(value))));
  });
});
