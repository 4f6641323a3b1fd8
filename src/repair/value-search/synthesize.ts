// Expression synthesis from angelic values (the second half of Angelix/SemFix-style repair): given
// the recorded evaluations of one expression, each a set of in-scope values and the value the
// expression must produce there, enumerate expressions over those values, the function's own
// constants and the usual operators, bottom-up by size, and keep the ones that produce the wanted
// value on every evaluation. Pure: the language only decides semantics (Python's `//` and `%`) and
// how an expression is printed.

export type Value = number | boolean;
export type SynthLanguage = 'js' | 'python';

/** One recorded evaluation: in-scope values (by their source text: `n`, `xs.length`, `len(xs)`)
 * and the value the site must produce there for the tests to pass. */
export interface Example {
  env: Readonly<Record<string, unknown>>;
  out: Value;
}

export interface SynthesisInput {
  examples: readonly Example[];
  /** Numeric literals of the enclosing function (0 and 1 are always added). */
  constants: readonly number[];
  language: SynthLanguage;
  /** The site's text as written: leaves it names are tried first, and it is never a result. */
  original: string;
  /** Largest expression, in nodes. @defaultValue 7 */
  maxSize?: number;
  /** Results wanted. @defaultValue 5 */
  limit?: number;
  /** Expressions kept per size level (the search's memory bound). @defaultValue 4000 */
  levelCap?: number;
  /** Time the enumeration may take. @defaultValue 5 s */
  timeMs?: number;
}

interface Expr {
  text: string;
  size: number;
  kind: 'num' | 'bool';
  /** Precedence of the outermost operator (higher binds tighter; 20 = atom). */
  prec: number;
  values: Value[];
  /** The outermost operator (`-`, `neg`, ...), for the redundant forms left out. */
  op?: string;
}

const ATOM = 20;

type NumOp = { name: string; prec: number; js: string; py: string; fn: (a: number, b: number, lang: SynthLanguage) => number; call?: boolean };
type CmpOp = { name: string; js: string; py: string; fn: (a: number, b: number) => boolean };

const NUM_OPS: readonly NumOp[] = [
  { name: '+', prec: 11, js: '+', py: '+', fn: (a, b) => a + b },
  { name: '-', prec: 11, js: '-', py: '-', fn: (a, b) => a - b },
  { name: '*', prec: 12, js: '*', py: '*', fn: (a, b) => a * b },
  { name: '/', prec: 12, js: '/', py: '/', fn: (a, b) => a / b },
  { name: '//', prec: 12, js: 'Math.floor', py: '//', fn: (a, b) => Math.floor(a / b) },
  { name: '%', prec: 12, js: '%', py: '%', fn: (a, b, lang) => (lang === 'python' ? a - b * Math.floor(a / b) : a % b) },
  { name: 'min', prec: ATOM, js: 'Math.min', py: 'min', fn: (a, b) => Math.min(a, b), call: true },
  { name: 'max', prec: ATOM, js: 'Math.max', py: 'max', fn: (a, b) => Math.max(a, b), call: true },
];

const CMP_OPS: readonly CmpOp[] = [
  { name: '<', js: '<', py: '<', fn: (a, b) => a < b },
  { name: '<=', js: '<=', py: '<=', fn: (a, b) => a <= b },
  { name: '>', js: '>', py: '>', fn: (a, b) => a > b },
  { name: '>=', js: '>=', py: '>=', fn: (a, b) => a >= b },
  { name: '==', js: '===', py: '==', fn: (a, b) => a === b },
  { name: '!=', js: '!==', py: '!=', fn: (a, b) => a !== b },
];

const CMP_PREC = 9;
const AND_PREC = { js: 5, python: 4 };
const OR_PREC = { js: 4, python: 3 };
const NOT_PREC = { js: 15, python: 5 };

function same(a: Value, b: Value): boolean {
  if (typeof a !== typeof b) return false;
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b;
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

const paren = (e: Expr, min: number) => (e.prec < min ? `(${e.text})` : e.text);

/** Leaves: every name recorded with one kind in all examples, then the constants. */
function leaves(input: SynthesisInput): Expr[] {
  const { examples } = input;
  const names = Object.keys(examples[0]?.env ?? {});
  const out: Expr[] = [];
  for (const name of names) {
    const values = examples.map((e) => e.env[name]);
    const kind = values.every((v) => typeof v === 'number' && Number.isFinite(v)) ? 'num' : values.every((v) => typeof v === 'boolean') ? 'bool' : undefined;
    if (!kind) continue;
    out.push({ text: name, size: 1, kind, prec: ATOM, values: values as Value[] });
  }
  // Names the original expression uses come first: among equal-sized results, the ones closest to
  // what the author wrote are found (and kept) first.
  const mentioned = (text: string) => new RegExp(`(^|[^\\w.$])${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w$])`).test(input.original);
  out.sort((a, b) => Number(mentioned(b.text)) - Number(mentioned(a.text)));
  const constants = [...new Set([...input.constants.filter((c) => Number.isFinite(c)), 0, 1])];
  constants.sort((a, b) => Number(mentioned(String(b))) - Number(mentioned(String(a))));
  for (const c of constants) {
    const text = c < 0 ? `(${c})` : String(c);
    out.push({ text, size: 1, kind: 'num', prec: c < 0 ? ATOM : ATOM, values: examples.map(() => c) });
  }
  return out;
}

function numBinary(op: NumOp, a: Expr, b: Expr, lang: SynthLanguage): Expr | undefined {
  // `a + -b`, `-a + b`, `a - -b` say what `a - b`, `b - a`, `a + b` say.
  if ((op.name === '+' || op.name === '-') && (a.op === 'neg' || b.op === 'neg')) return undefined;
  // Identities: `a + 0`, `0 - a`, `a * 1`, `a / 1`.
  if ((op.name === '+' || op.name === '-') && (a.text === '0' || b.text === '0')) return undefined;
  if ((op.name === '*' && (a.text === '1' || b.text === '1')) || ((op.name === '/' || op.name === '//') && b.text === '1')) return undefined;
  const values: number[] = [];
  for (let i = 0; i < a.values.length; i++) {
    const x = a.values[i] as number;
    const y = b.values[i] as number;
    if ((op.name === '/' || op.name === '//' || op.name === '%') && y === 0) return undefined;
    const v = op.fn(x, y, lang);
    if (!Number.isFinite(v)) return undefined;
    values.push(v);
  }
  let text: string;
  if (op.call) text = `${lang === 'js' ? op.js : op.py}(${a.text}, ${b.text})`;
  else if (op.name === '//' && lang === 'js') text = `Math.floor(${paren(a, 12)} / ${paren(b, 13)})`;
  else text = `${paren(a, op.prec)} ${lang === 'js' ? op.js : op.py} ${paren(b, op.prec + 1)}`;
  return { text, size: 1 + a.size + b.size, kind: 'num', prec: op.name === '//' && lang === 'js' ? ATOM : op.prec, values, op: op.name };
}

function compare(op: CmpOp, a: Expr, b: Expr, lang: SynthLanguage): Expr {
  const values = a.values.map((x, i) => op.fn(x as number, b.values[i] as number));
  return { text: `${paren(a, CMP_PREC + 1)} ${lang === 'js' ? op.js : op.py} ${paren(b, CMP_PREC + 1)}`, size: 1 + a.size + b.size, kind: 'bool', prec: CMP_PREC, values };
}

function logical(and: boolean, a: Expr, b: Expr, lang: SynthLanguage): Expr {
  const prec = (and ? AND_PREC : OR_PREC)[lang];
  const token = lang === 'js' ? (and ? '&&' : '||') : and ? 'and' : 'or';
  const values = a.values.map((x, i) => (and ? (x as boolean) && (b.values[i] as boolean) : (x as boolean) || (b.values[i] as boolean)));
  return { text: `${paren(a, prec)} ${token} ${paren(b, prec + 1)}`, size: 1 + a.size + b.size, kind: 'bool', prec, values };
}

function unary(name: 'neg' | 'abs' | 'not', a: Expr, lang: SynthLanguage): Expr {
  if (name === 'not') {
    const prec = NOT_PREC[lang];
    return { text: lang === 'js' ? `!${paren(a, prec)}` : `not ${paren(a, prec)}`, size: 1 + a.size, kind: 'bool', prec, values: a.values.map((v) => !v), op: 'not' };
  }
  if (name === 'abs') return { text: `${lang === 'js' ? 'Math.abs' : 'abs'}(${a.text})`, size: 1 + a.size, kind: 'num', prec: ATOM, values: a.values.map((v) => Math.abs(v as number)), op: 'abs' };
  return { text: `-${paren(a, 14)}`, size: 1 + a.size, kind: 'num', prec: 14, values: a.values.map((v) => -(v as number)), op: 'neg' };
}

const normalize = (text: string) => text.replace(/\s+/g, '').replace(/^\((.*)\)$/, '$1');

/**
 * Expressions that produce every example's value, smallest first (at equal size, those built from
 * the names the original uses first). Empty when the examples disagree with each other or nothing
 * up to `maxSize` fits.
 */
export function synthesize(input: SynthesisInput): string[] {
  const { examples, language: lang } = input;
  if (examples.length === 0) return [];
  const maxSize = input.maxSize ?? 7;
  const limit = input.limit ?? 5;
  const cap = input.levelCap ?? 4000;
  const deadline = performance.now() + (input.timeMs ?? 5000);
  const wantKind = typeof examples[0]!.out === 'boolean' ? 'bool' : 'num';
  if (examples.some((e) => (typeof e.out === 'boolean' ? 'bool' : 'num') !== wantKind)) return [];
  const wanted = examples.map((e) => e.out);
  const original = normalize(input.original);
  const results: Array<{ text: string; size: number }> = [];
  // Observational equivalence: one expression per distinct value vector (the first, smallest).
  const seen = new Set<string>();
  const bySize: Expr[][] = [[]];
  const consider = (e: Expr | undefined, level: Expr[]): void => {
    if (!e) return;
    // A result is kept even when an equivalent one was found (the tie-break below chooses among
    // them); it is never a building block: anything larger built on it is larger still.
    if (e.kind === wantKind && e.values.every((v, i) => same(v, wanted[i]!))) {
      if (normalize(e.text) !== original && results.length < 500) results.push({ text: e.text, size: e.size });
      return;
    }
    // A full level still yields results (above), it only keeps no more building blocks.
    if (level.length >= cap) return;
    const key = `${e.kind}:${e.values.join(',')}`;
    if (seen.has(key)) return;
    seen.add(key);
    level.push(e);
  };
  const first: Expr[] = [];
  for (const leaf of leaves(input)) consider(leaf, first);
  bySize.push(first);
  for (let size = 2; size <= maxSize && results.length < limit; size++) {
    const level: Expr[] = [];
    // Unary: one node over an expression of size - 1.
    for (const a of bySize[size - 1] ?? []) {
      if (a.kind === 'bool') {
        if (a.op !== 'not') consider(unary('not', a, lang), level);
      }
      else {
        if (a.op !== 'abs' && a.op !== 'neg') consider(unary('abs', a, lang), level);
        // `-(a - b)` is `b - a`; `--a` is `a`.
        if (a.op !== '-' && a.op !== 'neg' && a.text !== '0') consider(unary('neg', a, lang), level);
      }
    }
    // Binary: sizes i + j = size - 1.
    for (let i = 1; i < size - 1; i++) {
      const j = size - 1 - i;
      for (const a of bySize[i] ?? []) {
        for (const b of bySize[j] ?? []) {
          if (performance.now() > deadline) break;
          if (a.kind === 'num' && b.kind === 'num') {
            for (const op of NUM_OPS) consider(numBinary(op, a, b, lang), level);
            // A comparison of two constants is a constant: not worth a node.
            if (!(/^[\d.()-]+$/.test(a.text) && /^[\d.()-]+$/.test(b.text))) for (const op of CMP_OPS) consider(compare(op, a, b, lang), level);
          } else if (a.kind === 'bool' && b.kind === 'bool') {
            consider(logical(true, a, b, lang), level);
            consider(logical(false, a, b, lang), level);
          }
        }
      }
    }
    bySize.push(level);
  }
  // At equal size, the expression that keeps more of what the author wrote (names, operators,
  // literals) first: `n <= limit` for `n <= 3`, not `n < limit`, when the tests allow both.
  const tokens = tokensOf(input.original);
  const kept = (text: string) => tokensOf(text).filter((t) => tokens.includes(t)).length;
  return results
    .map((r, order) => ({ ...r, order, kept: kept(r.text) }))
    .sort((a, b) => a.size - b.size || b.kept - a.kept || a.order - b.order)
    .slice(0, limit)
    .map((r) => r.text);
}

function tokensOf(text: string): string[] {
  return text.match(/[A-Za-z_$][\w$.]*|\d+(?:\.\d+)?|[<>=!]=*|&&|\|\||\/\/|[-+*/%]/g) ?? [];
}
