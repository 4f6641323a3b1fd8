// A safe parser for Python `repr` text (what Sentry's Python SDK sends as frame locals). It never
// evaluates anything: it accepts the literal grammar repr produces (str, bytes, int, float incl.
// inf/nan, bool, None, list, tuple, set, dict, nested) and the whitelisted constructor calls of
// python-value.ts, and rejects everything else with a reason: `<Order object at 0x…>`,
// recursion markers (`[...]`), truncated text, names. The text is untrusted production data, so
// the test source is re-emitted from the parsed value, never copied from the repr.
import { PY_CALLEES, PY_CONSTANTS, type PyCallee, type PyConstant, type PyValue } from './python-value.ts';

export type ReprResult = { ok: true; value: PyValue } | { ok: false; reason: string };

const MAX_DEPTH = 100;
const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\n': '' };

class ReprError extends Error {}

class Parser {
  readonly #s: string;
  #i = 0;

  constructor(text: string) {
    this.#s = text;
  }

  parseAll(): PyValue {
    const value = this.#value(0);
    this.#ws();
    if (this.#i < this.#s.length) this.#fail(`unexpected text after the value: ${JSON.stringify(this.#s.slice(this.#i, this.#i + 20))}`);
    return value;
  }

  #fail(reason: string): never {
    throw new ReprError(reason);
  }

  #ws(): void {
    while (this.#i < this.#s.length && /\s/.test(this.#s[this.#i] as string)) this.#i++;
  }

  #peek(): string {
    return this.#s[this.#i] ?? '';
  }

  #eat(ch: string): boolean {
    this.#ws();
    if (this.#s.startsWith(ch, this.#i)) {
      this.#i += ch.length;
      return true;
    }
    return false;
  }

  #expect(ch: string): void {
    if (!this.#eat(ch)) this.#fail(this.#i >= this.#s.length ? `unexpected end (truncated?), expected "${ch}"` : `expected "${ch}" at ${this.#i}`);
  }

  #value(depth: number): PyValue {
    if (depth > MAX_DEPTH) this.#fail('nested too deeply');
    this.#ws();
    const c = this.#peek();
    if (c === '') this.#fail('unexpected end (truncated?)');
    if (c === "'" || c === '"') return { t: 'str', v: this.#string(false) as string };
    if ((c === 'b' || c === 'B') && (this.#s[this.#i + 1] === "'" || this.#s[this.#i + 1] === '"')) {
      this.#i++;
      return { t: 'bytes', v: this.#string(true) as number[] };
    }
    if (c === '[') return { t: 'list', items: this.#sequence('[', ']', depth) };
    if (c === '(') return this.#paren(depth);
    if (c === '{') return this.#brace(depth);
    if (c === '<') this.#fail(`an object repr (${this.#s.slice(this.#i, this.#i + 60)}) cannot be rebuilt`);
    if (this.#s.startsWith('...', this.#i)) this.#fail('a recursion or truncation marker (...)');
    if (/[-+.\d]/.test(c)) return this.#number();
    return this.#name(depth);
  }

  #sequence(open: string, close: string, depth: number): PyValue[] {
    this.#expect(open);
    const items: PyValue[] = [];
    while (!this.#eat(close)) {
      items.push(this.#value(depth + 1));
      if (!this.#eat(',')) {
        this.#expect(close);
        break;
      }
    }
    return items;
  }

  #paren(depth: number): PyValue {
    this.#expect('(');
    if (this.#eat(')')) return { t: 'tuple', items: [] };
    const first = this.#value(depth + 1);
    if (this.#eat(')')) return first; // a parenthesized value, not a tuple
    this.#expect(',');
    const items = [first];
    while (!this.#eat(')')) {
      items.push(this.#value(depth + 1));
      if (!this.#eat(',')) {
        this.#expect(')');
        break;
      }
    }
    return { t: 'tuple', items };
  }

  #brace(depth: number): PyValue {
    this.#expect('{');
    if (this.#eat('}')) return { t: 'dict', entries: [] };
    const first = this.#value(depth + 1);
    if (this.#eat(':')) {
      const entries: [PyValue, PyValue][] = [[first, this.#value(depth + 1)]];
      while (this.#eat(',')) {
        if (this.#eat('}')) return { t: 'dict', entries };
        const k = this.#value(depth + 1);
        this.#expect(':');
        entries.push([k, this.#value(depth + 1)]);
      }
      this.#expect('}');
      return { t: 'dict', entries };
    }
    const items = [first];
    while (this.#eat(',')) {
      if (this.#eat('}')) return { t: 'set', items };
      items.push(this.#value(depth + 1));
    }
    this.#expect('}');
    return { t: 'set', items };
  }

  #number(): PyValue {
    const rest = this.#s.slice(this.#i);
    const special = /^([-+]?)(inf|nan)\b/.exec(rest);
    if (special) {
      this.#i += special[0].length;
      const v = special[2] === 'inf' ? Infinity : NaN;
      return { t: 'float', v: special[1] === '-' ? -v : v };
    }
    const m = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/.exec(rest);
    if (!m) this.#fail(`not a number at ${this.#i}`);
    const text = m[0];
    this.#i += text.length;
    if (/^[jJ]/.test(this.#peek())) this.#fail('complex numbers are not rebuilt');
    if (/^[\w]/.test(this.#peek())) this.#fail(`unexpected text after ${text}`);
    if (/[.eE]/.test(text)) return { t: 'float', v: Number(text) };
    return { t: 'int', v: BigInt(text.replace(/^\+/, '')) };
  }

  #name(depth: number): PyValue {
    const m = /^[A-Za-z_][\w.]*/.exec(this.#s.slice(this.#i));
    if (!m) this.#fail(`unexpected character ${JSON.stringify(this.#peek())} at ${this.#i}`);
    const name = m[0];
    this.#i += name.length;
    if (name === 'None') return { t: 'none' };
    if (name === 'True') return { t: 'bool', v: true };
    if (name === 'False') return { t: 'bool', v: false };
    if (name === 'inf' || name === 'nan') return { t: 'float', v: name === 'inf' ? Infinity : NaN };
    if (name in PY_CONSTANTS) return { t: 'const', name: name as PyConstant };
    this.#ws();
    if (this.#peek() === '(') {
      if (name === 'set') {
        this.#expect('(');
        this.#expect(')');
        return { t: 'set', items: [] };
      }
      if (!(name in PY_CALLEES)) this.#fail(`a call to ${name}() cannot be rebuilt`);
      return this.#call(name as PyCallee, depth);
    }
    this.#fail(`the name ${name} cannot be rebuilt`);
  }

  #call(callee: PyCallee, depth: number): PyValue {
    this.#expect('(');
    const args: PyValue[] = [];
    const kwargs: [string, PyValue][] = [];
    while (!this.#eat(')')) {
      this.#ws();
      const kw = /^([A-Za-z_]\w*)\s*=(?!=)/.exec(this.#s.slice(this.#i));
      if (kw) {
        this.#i += kw[0].length;
        kwargs.push([kw[1] as string, this.#value(depth + 1)]);
      } else {
        if (kwargs.length) this.#fail('a positional argument after a keyword argument');
        args.push(this.#value(depth + 1));
      }
      if (!this.#eat(',')) {
        this.#expect(')');
        break;
      }
    }
    return { t: 'call', callee, args, kwargs };
  }

  /** A quoted literal after its prefix; str → string, bytes → byte values. */
  #string(bytes: boolean): string | number[] {
    const quote = this.#s[this.#i] as string;
    const triple = this.#s.startsWith(quote.repeat(3), this.#i);
    const close = triple ? quote.repeat(3) : quote;
    this.#i += close.length;
    const units: number[] = [];
    let out = '';
    const push = (code: number) => {
      if (bytes) {
        if (code > 0xff) this.#fail('a non-ASCII character in a bytes literal');
        units.push(code);
      } else {
        out += String.fromCodePoint(code);
      }
    };
    for (;;) {
      if (this.#i >= this.#s.length) this.#fail('unterminated string (truncated?)');
      if (this.#s.startsWith(close, this.#i)) {
        this.#i += close.length;
        return bytes ? units : out;
      }
      const ch = this.#s[this.#i] as string;
      if (ch === '\n' && !triple) this.#fail('a line break inside a string (truncated?)');
      if (ch !== '\\') {
        const cp = this.#s.codePointAt(this.#i) as number;
        push(cp);
        this.#i += cp > 0xffff && !bytes ? 2 : 1;
        continue;
      }
      this.#escape(bytes, push);
    }
  }

  #escape(bytes: boolean, push: (code: number) => void): void {
    const e = this.#s[this.#i + 1];
    if (e === undefined) this.#fail('unterminated string (truncated?)');
    if (e in SIMPLE_ESCAPES) {
      for (const ch of SIMPLE_ESCAPES[e] as string) push(ch.charCodeAt(0));
      this.#i += 2;
      return;
    }
    const hex = (n: number) => {
      const digits = this.#s.slice(this.#i + 2, this.#i + 2 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) this.#fail(`a bad \\${e} escape`);
      this.#i += 2 + n;
      return parseInt(digits, 16);
    };
    if (e === 'x') return push(hex(2));
    if (!bytes && e === 'u') return push(hex(4));
    if (!bytes && e === 'U') {
      const cp = hex(8);
      if (cp > 0x10ffff) this.#fail('a \\U escape beyond U+10FFFF');
      return push(cp);
    }
    const oct = /^[0-7]{1,3}/.exec(this.#s.slice(this.#i + 1));
    if (oct) {
      this.#i += 1 + oct[0].length;
      return push(parseInt(oct[0], 8));
    }
    if (!bytes && e === 'N') this.#fail('named \\N{} escapes are not supported');
    // Python keeps unknown escapes as written.
    push(0x5c);
    this.#i += 1;
  }
}

export function parsePythonRepr(text: string): ReprResult {
  try {
    return { ok: true, value: new Parser(text).parseAll() };
  } catch (err) {
    if (err instanceof ReprError) return { ok: false, reason: err.message };
    if (err instanceof RangeError) return { ok: false, reason: 'nested too deeply' };
    throw err;
  }
}
