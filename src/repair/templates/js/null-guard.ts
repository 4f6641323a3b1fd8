// Null/undefined guards at a dereference: an early return of the value the function implies
// (`if (user == null) return 0;`), or optional chaining at the dereference (`user?.address`), with
// `?? default` when the value flows into arithmetic, a string concatenation, or iteration.
import ts from 'typescript';
import { enclosingFunction, isNeverNull, isSimpleReference } from './ast.ts';
import { candidate, functionAt, insertBeforeStatement, returnOf, src, type JsContext } from './context.ts';
import { impliedValues } from './implied-value.ts';
import type { RawCandidate } from '../types.ts';

type Access = ts.PropertyAccessExpression | ts.ElementAccessExpression;

/** Dereferences on the line whose receiver could be nullish and is not already optional. */
function dereferences(ctx: JsContext): Access[] {
  return ctx.nodes.filter(
    (n): n is Access =>
      (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) &&
      !n.questionDotToken &&
      isSimpleReference(n.expression) &&
      !isNeverNull(n.expression) &&
      // `a.b.c`: the receiver `a.b` is itself a dereference on the line; both are offered.
      !(ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'prototype'),
  );
}

/** Receivers of other things that throw on null: `for (x of r)`, `...r`, `const {a} = r`. */
function otherReceivers(ctx: JsContext): ts.Expression[] {
  const out: ts.Expression[] = [];
  for (const n of ctx.nodes) {
    if (ts.isForOfStatement(n) && isSimpleReference(n.expression)) out.push(n.expression);
    if ((ts.isSpreadElement(n) || ts.isSpreadAssignment(n)) && isSimpleReference(n.expression)) out.push(n.expression);
    if (ts.isVariableDeclaration(n) && ts.isObjectBindingPattern(n.name) && n.initializer && isSimpleReference(n.initializer)) {
      out.push(n.initializer);
    }
  }
  return out.filter((e) => !isNeverNull(e));
}

/** The outermost expression of the member/call chain that starts at `access`. */
function chainTop(access: ts.Expression): ts.Expression {
  let top: ts.Expression = access;
  for (;;) {
    const p = top.parent;
    if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p) || ts.isCallExpression(p)) && p.expression === top) top = p;
    else if (ts.isNonNullExpression(p)) top = p;
    else return top;
  }
}

const ARITHMETIC = new Set([
  ts.SyntaxKind.MinusToken, ts.SyntaxKind.AsteriskToken, ts.SyntaxKind.SlashToken, ts.SyntaxKind.PercentToken,
  ts.SyntaxKind.AsteriskAsteriskToken, ts.SyntaxKind.PlusEqualsToken, ts.SyntaxKind.MinusEqualsToken,
  ts.SyntaxKind.AsteriskEqualsToken, ts.SyntaxKind.SlashEqualsToken, ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanEqualsToken,
]);

/** The default an optional chain needs where its value goes, or undefined when nullish is fine. */
function flowDefault(ctx: JsContext, top: ts.Expression, implied: string | undefined): string | undefined {
  const p = top.parent;
  if (ts.isBinaryExpression(p)) {
    const op = p.operatorToken.kind;
    if (op === ts.SyntaxKind.PlusToken || op === ts.SyntaxKind.PlusEqualsToken) {
      const other = p.left === top ? p.right : p.left;
      return ts.isStringLiteral(other) || ts.isTemplateExpression(other) || ts.isNoSubstitutionTemplateLiteral(other) ? "''" : '0';
    }
    if (ARITHMETIC.has(op)) return '0';
  }
  if (ts.isPrefixUnaryExpression(p) && (p.operator === ts.SyntaxKind.MinusToken || p.operator === ts.SyntaxKind.PlusToken)) return '0';
  if (ts.isCallExpression(p) && /^Math\.\w+$/.test(src(ctx, p.expression))) return '0';
  if (ts.isForOfStatement(p) || ts.isSpreadElement(p)) return '[]';
  if ((ts.isReturnStatement(p) || ts.isArrowFunction(p)) && implied && implied !== 'null' && implied !== 'undefined') return implied;
  return undefined;
}

/** `r.x` → `r?.x` (the token between receiver and name), plus `?? d` around the chain's top. */
function optionalChain(ctx: JsContext, access: Access, implied: string | undefined): RawCandidate {
  const recvEnd = access.expression.end;
  const edits = [];
  if (ts.isPropertyAccessExpression(access)) {
    const dot = ctx.text.indexOf('.', recvEnd);
    edits.push({ start: dot, end: dot, text: '?' });
  } else {
    const bracket = ctx.text.indexOf('[', recvEnd);
    edits.push({ start: bracket, end: bracket, text: '?.' });
  }
  const top = chainTop(access);
  const fallback = flowDefault(ctx, top, implied);
  let description = `optional chaining on ${src(ctx, access.expression)}`;
  if (fallback !== undefined) {
    // Parenthesized so `??` binds to the chain alone (it cannot mix with || or && unparenthesized).
    edits.push({ start: top.getStart(ctx.sf), end: top.getStart(ctx.sf), text: '(' });
    edits.push({ start: top.end, end: top.end, text: ` ?? ${fallback})` });
    description += ` with ?? ${fallback}`;
  }
  return candidate(ctx, 'optional-chain', description, edits, access);
}

export function nullGuard(ctx: JsContext): RawCandidate[] {
  const out: RawCandidate[] = [];
  const fn = functionAt(ctx);
  const implied = fn ? impliedValues(ctx, fn) : [];
  const seen = new Set<string>();
  const accesses = dereferences(ctx);
  const receivers = [...accesses.map((a) => a.expression), ...otherReceivers(ctx)];
  for (const recv of receivers) {
    const name = src(ctx, recv);
    if (seen.has(name)) continue;
    seen.add(name);
    // The function the guard lands in (a callback's own, not the outer one's) implies the value.
    const owner = enclosingFunction(recv);
    if (!owner) continue;
    for (const value of (owner === fn ? implied : impliedValues(ctx, owner)).slice(0, 2)) {
      const edit = insertBeforeStatement(ctx, recv, `if (${name} == null) ${returnOf(value)}`);
      if (!edit || declaredInSameStatement(recv, edit.start, ctx)) continue;
      out.push(candidate(ctx, 'null-guard', `return ${value} early when ${name} is null or undefined`, [edit], recv));
    }
  }
  for (const access of accesses) out.push(optionalChain(ctx, access, implied[0]));
  return out;
}

/** The guard would read the receiver before the statement that declares it (a TDZ error). */
function declaredInSameStatement(recv: ts.Expression, insertAt: number, ctx: JsContext): boolean {
  let root: ts.Expression = recv;
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root) || ts.isParenthesizedExpression(root)) root = root.expression;
  if (!ts.isIdentifier(root)) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && n.getStart(ctx.sf) >= insertAt && n.getStart(ctx.sf) < recv.getStart(ctx.sf)) {
      const names: string[] = [];
      const collect = (b: ts.BindingName): void => {
        if (ts.isIdentifier(b)) names.push(b.text);
        else b.elements.forEach((e) => !ts.isOmittedExpression(e) && collect(e.name));
      };
      collect(n.name);
      if (names.includes((root as ts.Identifier).text)) found = true;
    }
    n.forEachChild(visit);
  };
  ctx.sf.forEachChild(visit);
  return found;
}
