// Comparison and boolean operator swaps on the ranked line: `==` ↔ `!=`, `===` ↔ `!==`,
// `&&` ↔ `||`, a reversed comparison (`<` ↔ `>`, `<=` ↔ `>=`) or its negation (`<` → `>=`),
// a negated or un-negated condition, and a flipped boolean literal.
import ts from 'typescript';
import { candidate, replaceNode, src, type JsContext } from './context.ts';
import type { RawCandidate } from '../types.ts';

const K = ts.SyntaxKind;

/** Each operator's alternatives (the boundary template does `<` ↔ `<=`). */
const SWAPS: Partial<Record<ts.SyntaxKind, string[]>> = {
  [K.EqualsEqualsToken]: ['!='],
  [K.ExclamationEqualsToken]: ['=='],
  [K.EqualsEqualsEqualsToken]: ['!=='],
  [K.ExclamationEqualsEqualsToken]: ['==='],
  [K.AmpersandAmpersandToken]: ['||'],
  [K.BarBarToken]: ['&&'],
  [K.LessThanToken]: ['>', '>='],
  [K.GreaterThanToken]: ['<', '<='],
  [K.LessThanEqualsToken]: ['>=', '>'],
  [K.GreaterThanEqualsToken]: ['<=', '<'],
};

/** Conditions worth negating: of if/while/do/for/ternaries. */
function conditions(ctx: JsContext): ts.Expression[] {
  const out: ts.Expression[] = [];
  for (const n of ctx.nodes) {
    if (ts.isIfStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n)) out.push(n.expression);
    else if (ts.isForStatement(n) && n.condition && !(ts.isBinaryExpression(n.condition) && isLoopBound(n.condition))) out.push(n.condition);
    else if (ts.isConditionalExpression(n)) out.push(n.condition);
  }
  return out;
}

/** Relational operators: reversed or negated they flip an ordering. */
const RELATIONAL = new Set<ts.SyntaxKind>([K.LessThanToken, K.GreaterThanToken, K.LessThanEqualsToken, K.GreaterThanEqualsToken]);

/**
 * The bound of a counting loop (`for (…; i < n; …)`): reversed or negated, the loop runs zero times
 * or never ends, which a weak test cannot tell from a fix (`j < n` → `j > n` in a primality loop
 * makes every number prime and passes `isPrime(30)`). Its boundary (`<` → `<=`) stays off-by-one's.
 */
function isLoopBound(n: ts.BinaryExpression): boolean {
  return ts.isForStatement(n.parent) && n.parent.condition === n && RELATIONAL.has(n.operatorToken.kind);
}

export function operatorSwap(ctx: JsContext): RawCandidate[] {
  const out: RawCandidate[] = [];
  for (const n of ctx.nodes) {
    if (!ts.isBinaryExpression(n) || isLoopBound(n)) continue;
    const tok = n.operatorToken;
    for (const to of SWAPS[tok.kind] ?? []) {
      const edit = { start: tok.getStart(ctx.sf), end: tok.end, text: to };
      out.push(candidate(ctx, 'operator-swap', `${tok.getText(ctx.sf)} → ${to} in ${src(ctx, n)}`, [edit], n));
    }
  }
  for (const c of conditions(ctx)) {
    const text = src(ctx, c);
    if (ts.isPrefixUnaryExpression(c) && c.operator === K.ExclamationToken) {
      const inner = ts.isParenthesizedExpression(c.operand) ? src(ctx, c.operand.expression) : src(ctx, c.operand);
      out.push(candidate(ctx, 'operator-swap', `drop the negation of ${text}`, [replaceNode(ctx, c, inner)], c));
    } else {
      const simple = ts.isIdentifier(c) || ts.isCallExpression(c) || ts.isPropertyAccessExpression(c) || ts.isParenthesizedExpression(c);
      out.push(candidate(ctx, 'operator-swap', `negate ${text}`, [replaceNode(ctx, c, simple ? `!${text}` : `!(${text})`)], c));
    }
  }
  for (const n of ctx.nodes) {
    if (n.kind === K.TrueKeyword || n.kind === K.FalseKeyword) {
      const to = n.kind === K.TrueKeyword ? 'false' : 'true';
      out.push(candidate(ctx, 'operator-swap', `${src(ctx, n)} → ${to}`, [replaceNode(ctx, n, to)], n));
    }
  }
  return out;
}
