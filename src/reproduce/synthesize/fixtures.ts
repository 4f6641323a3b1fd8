// The values the repository's own tests pass to a function: the last tier of the input search.
// Only literal arguments count (numbers, strings, booleans, null/None, lists and dicts of them):
// they are read, never evaluated. JS/TS through the TypeScript parser; Python test source through
// the repr parser, which accepts exactly Python's literal grammar.
import ts from 'typescript';
import type { JsValue } from '../values/locals.ts';
import { parsePythonRepr } from '../values/python-repr.ts';
import type { PyValue } from '../values/python-value.ts';

const MAX_PER_PARAM = 8;

function literal(e: ts.Expression): { ok: true; value: JsValue } | { ok: false } {
  if (ts.isParenthesizedExpression(e)) return literal(e.expression);
  if (ts.isNumericLiteral(e)) return { ok: true, value: Number(e.text) };
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return { ok: true, value: e.text };
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand)) return { ok: true, value: -Number(e.operand.text) };
  if (e.kind === ts.SyntaxKind.TrueKeyword) return { ok: true, value: true };
  if (e.kind === ts.SyntaxKind.FalseKeyword) return { ok: true, value: false };
  if (e.kind === ts.SyntaxKind.NullKeyword) return { ok: true, value: null };
  if (ts.isIdentifier(e) && e.text === 'undefined') return { ok: true, value: undefined };
  if (ts.isIdentifier(e) && e.text === 'NaN') return { ok: true, value: Number.NaN };
  if (ts.isArrayLiteralExpression(e)) {
    const items: JsValue[] = [];
    for (const el of e.elements) {
      const v = literal(el);
      if (!v.ok) return v;
      items.push(v.value);
    }
    return { ok: true, value: items };
  }
  if (ts.isObjectLiteralExpression(e)) {
    const out: Record<string, JsValue> = {};
    for (const p of e.properties) {
      if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name))) return { ok: false };
      const v = literal(p.initializer);
      if (!v.ok) return v;
      out[p.name.text] = v.value;
    }
    return { ok: true, value: out };
  }
  return { ok: false };
}

/** Per parameter position: literal values the tests in `source` pass to `fnName(…)`. */
export function jsFixtureArguments(source: string, fileName: string, fnName: string): JsValue[][] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, /\.[cm]?tsx?$/.test(fileName) ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const out: JsValue[][] = [];
  const visit = (n: ts.Node) => {
    if (ts.isCallExpression(n)) {
      const callee = n.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (name === fnName) {
        n.arguments.forEach((a, i) => {
          const v = literal(a);
          const slot = (out[i] ??= []);
          if (v.ok && slot.length < MAX_PER_PARAM) slot.push(v.value);
        });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** The text of each top-level argument of the call whose `(` is at `open`, or undefined. */
function splitArguments(text: string, open: number): string[] | undefined {
  const args: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = open + 1;
  for (let i = open + 1; i < text.length && i < open + 20_000; i++) {
    const ch = text[i] as string;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) {
      if (depth === 0) {
        if (text.slice(start, i).trim()) args.push(text.slice(start, i).trim());
        return args;
      }
      depth--;
    } else if (ch === ',' && depth === 0) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  return undefined;
}

/** Per parameter name: literal values the tests in `source` pass to `fnName(…)`, positionally or by keyword. */
export function pyFixtureArguments(source: string, fnName: string, paramNames: readonly string[]): Record<string, PyValue[]> {
  const out: Record<string, PyValue[]> = {};
  const escaped = fnName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const call = new RegExp(`(?<![\\w.])(?:\\w+\\.)*${escaped}\\s*\\(`, 'g');
  for (const m of source.matchAll(call)) {
    const line = source.slice(source.lastIndexOf('\n', m.index) + 1, m.index);
    if (/^\s*(def|class)\s/.test(line) || line.includes('#')) continue;
    const args = splitArguments(source, (m.index ?? 0) + m[0].length - 1);
    if (!args) continue;
    args.forEach((arg, i) => {
      const kw = /^([A-Za-z_]\w*)\s*=(?!=)\s*([\s\S]*)$/.exec(arg);
      const name = kw ? kw[1] : paramNames[i];
      if (!name || arg.startsWith('*')) return;
      const parsed = parsePythonRepr(kw ? (kw[2] as string) : arg);
      if (!parsed.ok) return;
      const slot = (out[name] ??= []);
      if (slot.length < MAX_PER_PARAM) slot.push(parsed.value);
    });
  }
  return out;
}

/** Whole literal argument lists of the calls to `fnName(…)` in a JS/TS test (a call with any
 * non-literal argument is left out): inputs the behaviour preservation gate compares on. */
export function jsFixtureCalls(source: string, fileName: string, fnName: string): JsValue[][] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, /\.[cm]?tsx?$/.test(fileName) ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const out: JsValue[][] = [];
  const visit = (n: ts.Node) => {
    if (ts.isCallExpression(n) && out.length < 50) {
      const callee = n.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (name === fnName) {
        const args = n.arguments.map(literal);
        if (args.every((a) => a.ok)) out.push(args.map((a) => (a as { value: JsValue }).value));
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** Whole positional literal argument lists of the calls to `fnName(…)` in a Python test. */
export function pyFixtureCalls(source: string, fnName: string): PyValue[][] {
  const out: PyValue[][] = [];
  const escaped = fnName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const m of source.matchAll(new RegExp(`(?<![\\w.])(?:\\w+\\.)*${escaped}\\s*\\(`, 'g'))) {
    const line = source.slice(source.lastIndexOf('\n', m.index) + 1, m.index);
    if (/^\s*(def|class)\s/.test(line) || out.length >= 50) continue;
    const args = splitArguments(source, (m.index ?? 0) + m[0].length - 1);
    if (!args || args.some((a) => /^[A-Za-z_]\w*\s*=(?!=)/.test(a) || a.startsWith('*'))) continue;
    const parsed = args.map((a) => parsePythonRepr(a));
    if (parsed.every((p) => p.ok)) out.push(parsed.map((p) => (p as { value: PyValue }).value));
  }
  return out;
}
