// Empty inputs: a zero divisor (`x / n` → `n === 0 ? 0 : x / n`, or an early return), the first
// or last element of an empty array (`arr[0]` → guard on `arr.length === 0`), and `reduce`
// without an initial value (which throws on an empty array) given the reducer's identity.
import ts from 'typescript';
import { isSimpleReference, wrapFor } from './ast.ts';
import { candidate, functionAt, insertBeforeStatement, replaceNode, returnOf, src, type JsContext } from './context.ts';
import { impliedValues } from './implied-value.ts';
import type { RawCandidate } from '../types.ts';

function unparen(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

function earlyReturns(ctx: JsContext, at: ts.Node, condition: string, why: string, template: 'zero-divisor' | 'empty-collection'): RawCandidate[] {
  const fn = functionAt(ctx);
  if (!fn) return [];
  return impliedValues(ctx, fn)
    .slice(0, 2)
    .flatMap((value) => {
      const edit = insertBeforeStatement(ctx, at, `if (${condition}) ${returnOf(value)}`);
      return edit ? [candidate(ctx, template, `return ${value} early when ${why}`, [edit], at)] : [];
    });
}

function zeroDivisors(ctx: JsContext): RawCandidate[] {
  const out: RawCandidate[] = [];
  for (const n of ctx.nodes) {
    if (!ts.isBinaryExpression(n)) continue;
    const op = n.operatorToken.kind;
    if (op !== ts.SyntaxKind.SlashToken && op !== ts.SyntaxKind.PercentToken) continue;
    const divisor = unparen(n.right);
    if (ts.isNumericLiteral(divisor) || !isSimpleReference(divisor)) continue;
    const d = src(ctx, divisor);
    const inline = `${d} === 0 ? 0 : ${src(ctx, n)}`;
    out.push(candidate(ctx, 'zero-divisor', `yield 0 instead of dividing by ${d} when it is 0`, [replaceNode(ctx, n, wrapFor(n, inline))], n));
    out.push(...earlyReturns(ctx, n, `${d} === 0`, `${d} is 0`, 'zero-divisor'));
  }
  return out;
}

/** `arr[0]`, `arr[arr.length - 1]`, `arr.at(-1)`: reads that are undefined on an empty array. */
function endElementReads(ctx: JsContext): ts.Expression[] {
  const out: ts.Expression[] = [];
  for (const n of ctx.nodes) {
    if (ts.isElementAccessExpression(n) && isSimpleReference(n.expression)) {
      const arg = src(ctx, n.argumentExpression).replace(/\s+/g, '');
      const arr = src(ctx, n.expression);
      if (arg === '0' || arg === `${arr}.length-1`) out.push(n.expression);
    }
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'at') {
      if (isSimpleReference(n.expression.expression)) out.push(n.expression.expression);
    }
  }
  return out;
}

function emptyCollections(ctx: JsContext): RawCandidate[] {
  const seen = new Set<string>();
  const out: RawCandidate[] = [];
  for (const arr of endElementReads(ctx)) {
    const name = src(ctx, arr);
    if (seen.has(name)) continue;
    seen.add(name);
    out.push(...earlyReturns(ctx, arr, `${name}.length === 0`, `${name} is empty`, 'empty-collection'));
  }
  return out;
}

/** The identity element of a reducer, read off its body: `a + b` → 0, `a * b` → 1, … */
function reducerIdentity(ctx: JsContext, fn: ts.Expression): string {
  const body = src(ctx, fn);
  if (/Math\.max\s*\(/.test(body)) return '-Infinity';
  if (/Math\.min\s*\(/.test(body)) return 'Infinity';
  if (/\.\.\.\s*\w+\s*,|\.concat\s*\(|\.push\s*\(/.test(body) && !/\{\s*\.\.\./.test(body)) return '[]';
  if (/\{\s*\.\.\.|\[\s*\w+\s*\]\s*=/.test(body)) return '{}';
  if (/\*(?!\*)/.test(body) && !/\+/.test(body)) return '1';
  if (/&&/.test(body)) return 'true';
  if (/\|\|/.test(body)) return 'false';
  if (/['"`]/.test(body)) return "''";
  return '0';
}

function reduceInitial(ctx: JsContext): RawCandidate[] {
  const out: RawCandidate[] = [];
  for (const n of ctx.nodes) {
    if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression)) continue;
    const method = n.expression.name.text;
    if ((method !== 'reduce' && method !== 'reduceRight') || n.arguments.length !== 1) continue;
    const reducer = n.arguments[0]!;
    const init = reducerIdentity(ctx, reducer);
    const at = reducer.end;
    out.push(candidate(ctx, 'reduce-initial', `give ${method} the initial value ${init}`, [{ start: at, end: at, text: `, ${init}` }], n));
  }
  return out;
}

export function emptyGuards(ctx: JsContext): RawCandidate[] {
  return [...zeroDivisors(ctx), ...emptyCollections(ctx), ...reduceInitial(ctx)];
}
