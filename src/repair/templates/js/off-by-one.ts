// Boundary and off-by-one changes on the ranked line: `<` ↔ `<=` and `>` ↔ `>=`; dropping a
// `± 1` adjustment; adding `+ 1`/`- 1` to a bound (a comparison operand, an index, a slice or
// substring argument); and moving an integer literal by one (`i = 1` → `i = 0`, `-2` → `-1`).
import ts from 'typescript';
import { wrapFor } from './ast.ts';
import { candidate, replaceNode, src, type JsContext } from './context.ts';
import type { Edit, RawCandidate } from '../types.ts';

const INCLUSIVE: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.LessThanToken]: '<=',
  [ts.SyntaxKind.LessThanEqualsToken]: '<',
  [ts.SyntaxKind.GreaterThanToken]: '>=',
  [ts.SyntaxKind.GreaterThanEqualsToken]: '>',
};

const BOUND_METHODS = new Set(['slice', 'substring', 'substr', 'splice', 'at', 'charAt', 'charCodeAt', 'padStart', 'padEnd', 'repeat']);

function isRelational(n: ts.Node): n is ts.BinaryExpression {
  return ts.isBinaryExpression(n) && INCLUSIVE[n.operatorToken.kind] !== undefined;
}

function isOne(e: ts.Expression): boolean {
  return ts.isNumericLiteral(e) && e.text === '1';
}

/** Expressions used as bounds: comparison operands, indexes, and bound arguments of string/array methods. */
function bounds(ctx: JsContext): ts.Expression[] {
  const out: ts.Expression[] = [];
  for (const n of ctx.nodes) {
    if (isRelational(n)) out.push(n.left, n.right);
    else if (ts.isElementAccessExpression(n)) out.push(n.argumentExpression);
    else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && BOUND_METHODS.has(n.expression.name.text)) {
      out.push(...n.arguments);
    }
  }
  // Literals move by one on their own (below); a `± 1` already there is dropped instead.
  return out.filter((e) => !isLiteralInt(e) && !(ts.isBinaryExpression(e) && isAdjustment(e)) && !ts.isStringLiteral(e));
}

function isAdjustment(e: ts.BinaryExpression): boolean {
  const op = e.operatorToken.kind;
  return (op === ts.SyntaxKind.PlusToken || op === ts.SyntaxKind.MinusToken) && isOne(e.right);
}

function isLiteralInt(e: ts.Expression): boolean {
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken) return isLiteralInt(e.operand);
  return ts.isNumericLiteral(e) && /^\d+$/.test(e.text) && Number(e.text) < 2 ** 31;
}

/** Integer literals on the line, with a leading minus folded in; not object keys or enum-like tables. */
function integerLiterals(ctx: JsContext): ts.Expression[] {
  return ctx.nodes.filter((n): n is ts.Expression => {
    if (!ts.isNumericLiteral(n) || !/^\d+$/.test(n.text)) return false;
    const p = n.parent;
    if (ts.isPropertyAssignment(p) && p.name === n) return false;
    if (ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.MinusToken) return false; // taken as -n below
    return true;
  }).concat(
    ctx.nodes.filter(
      (n): n is ts.PrefixUnaryExpression =>
        ts.isPrefixUnaryExpression(n) && n.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(n.operand) && /^\d+$/.test(n.operand.text),
    ),
  );
}

function intValue(ctx: JsContext, e: ts.Expression): number {
  return Number(src(ctx, e).replace(/\s+/g, ''));
}

export function offByOne(ctx: JsContext): RawCandidate[] {
  const out: RawCandidate[] = [];
  const push = (description: string, edit: Edit, at: ts.Node) => out.push(candidate(ctx, 'off-by-one', description, [edit], at));
  for (const n of ctx.nodes) {
    if (isRelational(n)) {
      const to = INCLUSIVE[n.operatorToken.kind]!;
      const tok = n.operatorToken;
      push(`${tok.getText(ctx.sf)} → ${to} in ${src(ctx, n)}`, { start: tok.getStart(ctx.sf), end: tok.end, text: to }, n);
    }
    if (ts.isBinaryExpression(n) && isAdjustment(n)) {
      const left = src(ctx, n.left);
      push(`drop the ${n.operatorToken.getText(ctx.sf)} 1 in ${src(ctx, n)}`, replaceNode(ctx, n, wrapFor(n, left)), n);
    }
  }
  for (const b of bounds(ctx)) {
    const text = src(ctx, b);
    for (const delta of ['+ 1', '- 1']) {
      const inner = ts.isBinaryExpression(b) || ts.isConditionalExpression(b) ? `(${text})` : text;
      push(`${text} → ${inner} ${delta}`, replaceNode(ctx, b, wrapFor(b, `${inner} ${delta}`)), b);
    }
  }
  for (const lit of integerLiterals(ctx)) {
    const v = intValue(ctx, lit);
    const p = lit.parent;
    // `x + 1` → `x + 0` is the dropped adjustment above; only `x + 2` is new.
    const adjusts = ts.isBinaryExpression(p) && p.right === lit && isAdjustment(p);
    for (const next of adjusts ? [v + 1] : [v - 1, v + 1]) {
      if (next < 0 && v >= 0 && !ts.isElementAccessExpression(p) && !isCallArg(lit)) continue;
      push(`${v} → ${next}`, replaceNode(ctx, lit, next < 0 && needsSpace(ctx, lit) ? ` ${next}` : String(next)), lit);
    }
  }
  return out;
}

/** `.at(0)` → `.at(-1)` is a meaningful move below zero; `i = 0` → `i = -1` rarely is. */
function isCallArg(e: ts.Node): boolean {
  return ts.isCallExpression(e.parent) && e.parent.arguments.includes(e as ts.Expression);
}

/** A negative literal after a `-` would read as `--`. */
function needsSpace(ctx: JsContext, e: ts.Node): boolean {
  return ctx.text[e.getStart(ctx.sf) - 1] === '-';
}
