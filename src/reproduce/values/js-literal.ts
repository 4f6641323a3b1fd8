// JsValue → JavaScript source. Every character that could end a string literal or a line is
// escaped, so production text can never become code.
import type { JsValue } from './locals.ts';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f', '\v': '\\v' };

export type Quote = "'" | '"';

/** A string literal in the given quote. Control characters, U+2028/2029 and lone surrogates are
 * written as \u escapes. */
export function jsString(s: string, quote: Quote = "'"): string {
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0) as number;
    if (ch === quote) out += `\\${ch}`;
    else if (ESCAPES[ch]) out += ESCAPES[ch];
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029 || (code >= 0xd800 && code <= 0xdfff)) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + quote;
}

export function jsLiteral(value: JsValue, indent = '', quote: Quote = "'"): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isFinite(value) ? (Object.is(value, -0) ? '-0' : String(value)) : String(value);
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return jsString(value, quote);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const flat = `[${value.map((v) => jsLiteral(v, inner, quote)).join(', ')}]`;
    if (flat.length <= 80 && !flat.includes('\n')) return flat;
    return `[\n${value.map((v) => `${inner}${jsLiteral(v, inner, quote)},`).join('\n')}\n${indent}]`;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return '{}';
  // A literal `__proto__` key (quoted or not) sets the prototype; the computed form is an own key.
  const key = (k: string) => (k === '__proto__' ? `[${jsString(k, quote)}]` : IDENTIFIER.test(k) ? k : jsString(k, quote));
  const prop = (k: string) => `${key(k)}: ${jsLiteral(value[k], inner, quote)}`;
  const flat = `{ ${keys.map(prop).join(', ')} }`;
  if (flat.length <= 80 && !flat.includes('\n')) return flat;
  return `{\n${keys.map((k) => `${inner}${prop(k)},`).join('\n')}\n${indent}}`;
}
