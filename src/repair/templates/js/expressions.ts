// The wider expression families (issue 18): wrap a difference in `Math.abs` (or a quotient in
// `Math.floor`), swap the operands of a non-commutative operator, two call arguments or a pair's
// elements, swap an arithmetic or compound-assignment operator, and drop an operand (excess logic).
import ts from 'typescript';
import { candidate, replaceNode, src, type JsContext } from './context.ts';
import type { RawCandidate } from '../types.ts';

const K = ts.SyntaxKind;

const ARITHMETIC: Partial<Record<ts.SyntaxKind, string[]>> = {
  [K.PlusToken]: ['-'],
  [K.MinusToken]: ['+'],
  [K.AsteriskToken]: ['/', '**'],
  [K.SlashToken]: ['*'],
  [K.PercentToken]: ['/'],
  [K.AsteriskAsteriskToken]: ['*'],
  [K.CaretToken]: ['&', '|'],
  [K.AmpersandToken]: ['|', '^'],
  [K.BarToken]: ['&', '^'],
  [K.LessThanLessThanToken]: ['>>'],
  [K.GreaterThanGreaterThanToken]: ['<<'],
};

const COMPOUND: Partial<Record<ts.SyntaxKind, string>> = {
  [K.PlusEqualsToken]: '+', [K.MinusEqualsToken]: '-', [K.AsteriskEqualsToken]: '*', [K.SlashEqualsToken]: '/',
  [K.PercentEqualsToken]: '%', [K.AsteriskAsteriskEqualsToken]: '**', [K.CaretEqualsToken]: '^',
  [K.AmpersandEqualsToken]: '&', [K.BarEqualsToken]: '|', [K.LessThanLessThanEqualsToken]: '<<',
  [K.GreaterThanGreaterThanEqualsToken]: '>>',
};

const NON_COMMUTATIVE = new Set<ts.SyntaxKind>([K.MinusToken, K.SlashToken, K.PercentToken, K.AsteriskAsteriskToken]);

const isArithmetic = (n: ts.Node): n is ts.BinaryExpression => ts.isBinaryExpression(n) && n.operatorToken.kind in ARITHMETIC;

/** An operand's text, parenthesized when it is itself an operation (moving it could regroup it). */
function operand(ctx: JsContext, n: ts.Expression): string {
  const text = src(ctx, n);
  return ts.isBinaryExpression(n) || ts.isConditionalExpression(n) || ts.isPrefixUnaryExpression(n) || ts.isArrowFunction(n) ? `(${text})` : text;
}

export function wrapExpression(ctx: JsContext): RawCandidate[] {
  const out: RawCandidate[] = [];
  for (const n of ctx.nodes.filter(isArithmetic)) {
    const callee = ts.isCallExpression(n.parent) ? src(ctx, n.parent.expression) : '';
    if (callee === 'Math.abs' || callee === 'Math.floor') continue;
    const kind = n.operatorToken.kind;
    const fn = kind === K.MinusToken ? 'Math.abs' : kind === K.SlashToken ? 'Math.floor' : undefined;
    // Two insertions, not a replacement of the expression: the patch's size is what it adds
    // (`Math.abs(` and `)`), so a wrap is not outranked by a same-size variable swap.
    if (fn) out.push(candidate(ctx, 'wrap', `${fn}(${src(ctx, n)})`, [{ start: n.getStart(ctx.sf), end: n.getStart(ctx.sf), text: `${fn}(` }, { start: n.end, end: n.end, text: ')' }], n));
  }
  return out;
}

export function swapOperands(ctx: JsContext): RawCandidate[] {
  const out: RawCandidate[] = [];
  for (const n of ctx.nodes) {
    if (ts.isBinaryExpression(n) && NON_COMMUTATIVE.has(n.operatorToken.kind)) {
      const text = `${operand(ctx, n.right)} ${n.operatorToken.getText(ctx.sf)} ${operand(ctx, n.left)}`;
      out.push(candidate(ctx, 'swap-operands', `${src(ctx, n)} → ${text}`, [replaceNode(ctx, n, text)], n));
    } else if (ts.isCallExpression(n) && n.arguments.length === 2 && !n.arguments.some(ts.isSpreadElement)) {
      const [a, b] = n.arguments as unknown as [ts.Expression, ts.Expression];
      if (src(ctx, a) === src(ctx, b) || ts.isFunctionLike(a) || ts.isFunctionLike(b)) continue;
      out.push(candidate(ctx, 'swap-operands', `swap the arguments of ${src(ctx, n.expression)}`, [replaceNode(ctx, a, src(ctx, b)), replaceNode(ctx, b, src(ctx, a))], n));
    } else if (ts.isArrayLiteralExpression(n) && n.elements.length === 2 && !n.elements.some(ts.isSpreadElement)) {
      const [a, b] = n.elements as unknown as [ts.Expression, ts.Expression];
      if (src(ctx, a) === src(ctx, b)) continue;
      if (ts.isBinaryExpression(n.parent) && n.parent.left === n) continue; // a destructuring target
      out.push(candidate(ctx, 'swap-operands', `swap the elements of ${src(ctx, n)}`, [replaceNode(ctx, a, src(ctx, b)), replaceNode(ctx, b, src(ctx, a))], n));
    }
  }
  return out;
}

export function arithmeticSwap(ctx: JsContext): RawCandidate[] {
  const out: RawCandidate[] = [];
  for (const n of ctx.nodes) {
    if (!ts.isBinaryExpression(n)) continue;
    const tok = n.operatorToken;
    const base = COMPOUND[tok.kind];
    const options = base !== undefined ? [...(ARITHMETIC[compoundBase(base)] ?? []).map((o) => `${o}=`), '='] : (ARITHMETIC[tok.kind] ?? []);
    for (const to of options) {
      const edit = { start: tok.getStart(ctx.sf), end: tok.end, text: to };
      out.push(candidate(ctx, 'arithmetic-swap', `${tok.getText(ctx.sf)} → ${to} in ${src(ctx, n)}`, [edit], n));
    }
  }
  return out;
}

function compoundBase(op: string): ts.SyntaxKind {
  const byText: Record<string, ts.SyntaxKind> = {
    '+': K.PlusToken, '-': K.MinusToken, '*': K.AsteriskToken, '/': K.SlashToken, '%': K.PercentToken,
    '**': K.AsteriskAsteriskToken, '^': K.CaretToken, '&': K.AmpersandToken, '|': K.BarToken,
    '<<': K.LessThanLessThanToken, '>>': K.GreaterThanGreaterThanToken,
  };
  return byText[op] ?? K.Unknown;
}

/** Operators of one precedence level: `(a + b) - c` reads as `a + b - c`. */
const LEVEL: Partial<Record<ts.SyntaxKind, number>> = {
  [K.PlusToken]: 1, [K.MinusToken]: 1, [K.AsteriskToken]: 2, [K.SlashToken]: 2, [K.PercentToken]: 2,
};

/** The kept left operand of a left-nested operation at its parent's level needs no parentheses. */
function keepsGrouping(n: ts.BinaryExpression, keep: ts.Expression): boolean {
  const p = n.parent;
  if (!ts.isBinaryExpression(p) || p.left !== n || keep !== n.left || !ts.isBinaryExpression(keep)) return false;
  const level = LEVEL[p.operatorToken.kind];
  return level !== undefined && LEVEL[keep.operatorToken.kind] === level;
}

export function dropOperand(ctx: JsContext): RawCandidate[] {
  const out: RawCandidate[] = [];
  for (const n of ctx.nodes.filter(isArithmetic)) {
    const nested = ts.isBinaryExpression(n.parent) || ts.isPrefixUnaryExpression(n.parent);
    for (const [keep, which] of [[n.left, 'right'], [n.right, 'left']] as const) {
      const text = nested && !keepsGrouping(n, keep) ? operand(ctx, keep) : src(ctx, keep);
      out.push(candidate(ctx, 'drop-operand', `drop the ${which} operand of ${src(ctx, n)}`, [replaceNode(ctx, n, text)], n));
    }
  }
  return out;
}
