// PyValue → Python text. `pythonRepr` follows CPython's repr rules exactly (quote choice, escapes,
// str.isprintable, the shortest round-tripping float with its switch to exponent notation), so the
// property tests can check the parser against it and a sample against a real interpreter.
// `pythonSource` is what a synthesized test contains: the repr, except that floats repr cannot
// spell as literals (inf, nan) become `float('inf')`.
import type { PyValue } from './python-value.ts';

/** CPython's non-printable categories (Py_UNICODE_ISPRINTABLE): Other and Separator, except space. */
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

export function reprStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`;
    else if (cp < 0x7f) out += ch;
    else if (ch !== ' ' && NON_PRINTABLE.test(ch)) out += cp <= 0xff ? `\\x${hex(cp, 2)}` : cp <= 0xffff ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
    else out += ch;
  }
  return out + quote;
}

export function reprBytes(bytes: readonly number[]): string {
  const hasSingle = bytes.includes(0x27);
  const quote = hasSingle && !bytes.includes(0x22) ? '"' : "'";
  let out = `b${quote}`;
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (b < 0x20 || b >= 0x7f) out += `\\x${hex(b, 2)}`;
    else out += ch;
  }
  return out + quote;
}

/** repr(float): the shortest digits that round-trip (what JS's toExponential() gives), in fixed
 * notation when the decimal point position is in (-4, 16], else `d.ddde±XX`. */
export function reprFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa, exp] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const decpt = Number(exp) + 1;
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
    if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
    return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }
  const e = decpt - 1;
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

function render(value: PyValue, floatText: (x: number) => string): string {
  const r = (v: PyValue) => render(v, floatText);
  switch (value.t) {
    case 'none':
      return 'None';
    case 'bool':
      return value.v ? 'True' : 'False';
    case 'int':
      return value.v.toString();
    case 'float':
      return floatText(value.v);
    case 'str':
      return reprStr(value.v);
    case 'bytes':
      return reprBytes(value.v);
    case 'list':
      return `[${value.items.map(r).join(', ')}]`;
    case 'tuple':
      return value.items.length === 1 ? `(${r(value.items[0] as PyValue)},)` : `(${value.items.map(r).join(', ')})`;
    case 'set':
      return value.items.length === 0 ? 'set()' : `{${value.items.map(r).join(', ')}}`;
    case 'dict':
      return `{${value.entries.map(([k, v]) => `${r(k)}: ${r(v)}`).join(', ')}}`;
    case 'call':
      return `${value.callee}(${[...value.args.map(r), ...value.kwargs.map(([k, v]) => `${k}=${r(v)}`)].join(', ')})`;
    case 'const':
      return value.name;
  }
}

export function pythonRepr(value: PyValue): string {
  return render(value, reprFloat);
}

/** Python source that evaluates to `value` (see importsOf for the imports it may need). */
export function pythonSource(value: PyValue): string {
  return render(value, (x) => (Number.isFinite(x) ? reprFloat(x) : `float('${reprFloat(x)}')`));
}
