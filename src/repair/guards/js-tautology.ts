// Conditions that hold for every input: what makes a guard "return early on every input". Only
// syntactic certainties count (literals, `x || !x`, `a < b || a >= b`, `xs.length >= 0`), so a
// genuine guard is never mistaken for one; a condition that is merely always true in practice
// (on a variable that happens never to be null) is beyond a static check.
import ts from 'typescript';

const K = ts.SyntaxKind;

function strip(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  return e;
}

const norm = (e: ts.Node) => e.getText().replace(/\s+/g, '').replace(/\?\./g, '.');

/** The truthiness of a constant expression, or undefined when it is not constant. */
export function constantTruth(e: ts.Expression): boolean | undefined {
  e = strip(e);
  if (e.kind === K.TrueKeyword) return true;
  if (e.kind === K.FalseKeyword || e.kind === K.NullKeyword) return false;
  if (ts.isIdentifier(e) && (e.text === 'undefined' || e.text === 'NaN')) return false;
  if (ts.isNumericLiteral(e)) return Number(e.text) !== 0;
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text !== '';
  if (ts.isArrayLiteralExpression(e) || ts.isObjectLiteralExpression(e) || ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return true;
  if (ts.isPrefixUnaryExpression(e) && e.operator === K.ExclamationToken) {
    const inner = constantTruth(e.operand);
    return inner === undefined ? undefined : !inner;
  }
  if (ts.isVoidExpression(e)) return false;
  if (ts.isBinaryExpression(e)) {
    const l = constantTruth(e.left);
    const r = constantTruth(e.right);
    if (e.operatorToken.kind === K.BarBarToken) return l === true || r === true ? true : l === false && r === false ? false : undefined;
    if (e.operatorToken.kind === K.AmpersandAmpersandToken) return l === false || r === false ? false : l && r ? true : undefined;
  }
  return undefined;
}

/** `a OP b`'s complement as (op, flipped operands?), for `a < b || a >= b`. */
const COMPLEMENT: Partial<Record<ts.SyntaxKind, ts.SyntaxKind>> = {
  [K.LessThanToken]: K.GreaterThanEqualsToken,
  [K.GreaterThanEqualsToken]: K.LessThanToken,
  [K.GreaterThanToken]: K.LessThanEqualsToken,
  [K.LessThanEqualsToken]: K.GreaterThanToken,
  [K.EqualsEqualsToken]: K.ExclamationEqualsToken,
  [K.ExclamationEqualsToken]: K.EqualsEqualsToken,
  [K.EqualsEqualsEqualsToken]: K.ExclamationEqualsEqualsToken,
  [K.ExclamationEqualsEqualsToken]: K.EqualsEqualsEqualsToken,
};

function complementary(a: ts.Expression, b: ts.Expression): boolean {
  a = strip(a);
  b = strip(b);
  if (ts.isPrefixUnaryExpression(a) && a.operator === K.ExclamationToken && norm(strip(a.operand)) === norm(b)) return true;
  if (ts.isPrefixUnaryExpression(b) && b.operator === K.ExclamationToken && norm(strip(b.operand)) === norm(a)) return true;
  if (ts.isBinaryExpression(a) && ts.isBinaryExpression(b) && COMPLEMENT[a.operatorToken.kind] === b.operatorToken.kind) {
    return norm(a.left) === norm(b.left) && norm(a.right) === norm(b.right);
  }
  return false;
}

function disjuncts(e: ts.Expression): ts.Expression[] {
  e = strip(e);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === K.BarBarToken) return [...disjuncts(e.left), ...disjuncts(e.right)];
  return [e];
}

/** True when `cond` is true for every input (as far as syntax alone can tell). */
export function alwaysTrue(cond: ts.Expression): boolean {
  if (constantTruth(cond) === true) return true;
  const parts = disjuncts(cond);
  for (const p of parts) {
    if (constantTruth(p) === true) return true;
    if (ts.isBinaryExpression(p)) {
      const op = p.operatorToken.kind;
      // `x == x` (NaN aside), `xs.length >= 0`, `xs.length > -1`.
      if ([K.EqualsEqualsToken, K.EqualsEqualsEqualsToken, K.LessThanEqualsToken, K.GreaterThanEqualsToken].includes(op) && norm(p.left) === norm(p.right)) {
        return true;
      }
      const lengthOf = /\.length$/.test(norm(p.left));
      const right = norm(p.right);
      if (lengthOf && ((op === K.GreaterThanEqualsToken && right === '0') || (op === K.GreaterThanToken && right === '-1'))) return true;
    }
  }
  for (let i = 0; i < parts.length; i++) for (let j = i + 1; j < parts.length; j++) if (complementary(parts[i]!, parts[j]!)) return true;
  return false;
}
