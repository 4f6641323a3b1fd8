// Insert-statement families beyond `break` (issue 18), built only from the function's own names,
// literals and conditions (the Python twins are in python/tf_inserts.py):
//
// - loop update: a `while` whose condition reads a name its body never assigns loops forever or
//   not at all; `v -= 1` at the end of the body, or `v = v op e` after the statement that computes
//   `v op e` (`number = number % num[i]` after `let div = (number - number % num[i]) / num[i]`);
// - counter reset: a name initialised with a literal before a loop and bumped (`x += …`, `x++`)
//   in one branch of an `if` inside it is set back to that literal in the other branch (an
//   `else` added when there is none);
// - accumulator return: a function that builds a value (`let acc = []` … `acc.push(x)`) and falls
//   off its end without returning anything returns it;
// - guard: `if (<cond>) continue;` (in a `for` loop) or `if (<cond>) return <implied>;` before the
//   ranked statement, with a condition of the function's own `if` statements.
import ts from 'typescript';
import type { RawCandidate } from '../types.ts';
import { enclosingFunction, type FunctionLike } from './ast.ts';
import { candidate, functionAt, insertAfterStatement, insertBeforeStatement, returnOf, src, type JsContext } from './context.ts';
import { impliedValues, ownReturns } from './implied-value.ts';

const SHRINKING: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.MinusToken]: '-',
  [ts.SyntaxKind.PercentToken]: '%',
  [ts.SyntaxKind.SlashToken]: '/',
  [ts.SyntaxKind.GreaterThanGreaterThanToken]: '>>',
};
const UPDATES = new Set([ts.SyntaxKind.PlusEqualsToken, ts.SyntaxKind.MinusEqualsToken, ts.SyntaxKind.AsteriskEqualsToken]);

function walk(n: ts.Node, visit: (n: ts.Node) => void): void {
  visit(n);
  n.forEachChild((c) => walk(c, visit));
}

/** Names assigned anywhere under `n` (`x = …`, `x += …`, `x++`, declarations). */
function assigned(n: ts.Node): Set<string> {
  const out = new Set<string>();
  walk(n, (x) => {
    if (ts.isBinaryExpression(x) && x.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && x.operatorToken.kind <= ts.SyntaxKind.LastAssignment && ts.isIdentifier(x.left)) out.add(x.left.text);
    else if ((ts.isPrefixUnaryExpression(x) || ts.isPostfixUnaryExpression(x)) && ts.isIdentifier(x.operand) && (x.operator === ts.SyntaxKind.PlusPlusToken || x.operator === ts.SyntaxKind.MinusMinusToken)) out.add(x.operand.text);
    else if (ts.isVariableDeclaration(x) && ts.isIdentifier(x.name)) out.add(x.name.text);
  });
  return out;
}

function enclosing<T extends ts.Node>(n: ts.Node, test: (p: ts.Node) => p is T): T | undefined {
  for (let p = n.parent; p && !ts.isFunctionLike(p); p = p.parent) if (test(p)) return p;
  return undefined;
}

const statementsOf = (s: ts.Statement): readonly ts.Statement[] => (ts.isBlock(s) ? s.statements : [s]);

function loopUpdate(ctx: JsContext): RawCandidate[] {
  const out: RawCandidate[] = [];
  const loops = new Set<ts.WhileStatement>();
  for (const n of ctx.nodes) {
    const w = ts.isWhileStatement(n) ? n : enclosing(n, ts.isWhileStatement);
    if (w && ts.isBlock(w.statement)) loops.add(w);
  }
  for (const w of loops) {
    const body = statementsOf(w.statement);
    const last = body[body.length - 1];
    if (!last) continue;
    const inBody = assigned(w.statement);
    const names = new Set<string>();
    walk(w.expression, (x) => ts.isIdentifier(x) && !inBody.has(x.text) && names.add(x.text));
    for (const v of [...names].sort()) {
      out.push(candidate(ctx, 'insert-statement', `${v} -= 1 at the end of the loop on ${v}`, [insertAfterStatement(ctx, last, `${v} -= 1`)], w));
      const seen = new Set<string>();
      for (const stmt of body) {
        walk(stmt, (b) => {
          if (!ts.isBinaryExpression(b) || !ts.isIdentifier(b.left) || b.left.text !== v) return;
          const op = SHRINKING[b.operatorToken.kind];
          if (!op) return;
          const code = `${v} = ${v} ${op} ${src(ctx, b.right)}`;
          if (seen.has(code)) return;
          seen.add(code);
          out.push(candidate(ctx, 'insert-statement', `${code} after ${src(ctx, stmt).split('\n')[0]}`, [insertAfterStatement(ctx, stmt, code)], b));
        });
      }
    }
  }
  return out;
}

/** Names given a literal (number, string, empty array) in `fn` before `pos`: name → literal text. */
function literalInits(ctx: JsContext, fn: FunctionLike, pos: number): Map<string, string> {
  const out = new Map<string, string>();
  if (fn.body) {
    walk(fn.body, (x) => {
      if (!ts.isVariableDeclaration(x) || !ts.isIdentifier(x.name) || !x.initializer || x.end > pos || out.has(x.name.text)) return;
      const i = x.initializer;
      if (ts.isNumericLiteral(i) || ts.isStringLiteral(i) || (ts.isArrayLiteralExpression(i) && i.elements.length === 0)) out.set(x.name.text, src(ctx, i));
    });
  }
  return out;
}

function bumpedIn(stmts: readonly ts.Statement[]): Set<string> {
  const out = new Set<string>();
  for (const s of stmts) {
    if (!ts.isExpressionStatement(s)) continue;
    const e = s.expression;
    if (ts.isBinaryExpression(e) && UPDATES.has(e.operatorToken.kind) && ts.isIdentifier(e.left)) out.add(e.left.text);
    if ((ts.isPostfixUnaryExpression(e) || ts.isPrefixUnaryExpression(e)) && ts.isIdentifier(e.operand)) out.add(e.operand.text);
  }
  return out;
}

function counterReset(ctx: JsContext): RawCandidate[] {
  const out: RawCandidate[] = [];
  for (const n of ctx.nodes) {
    if (!ts.isIfStatement(n) || (ts.isIfStatement(n.parent) && n.parent.elseStatement === n)) continue;
    const loop = enclosing(n, (p): p is ts.IterationStatement => ts.isIterationStatement(p, false));
    const fn = enclosingFunction(n);
    if (!loop || !fn) continue;
    const inits = literalInits(ctx, fn, loop.getStart(ctx.sf));
    for (const v of [...bumpedIn(statementsOf(n.thenStatement))].filter((x) => inits.has(x)).sort()) {
      const code = `${v} = ${inits.get(v)}`;
      if (!n.elseStatement) {
        if (!ts.isBlock(n.thenStatement)) continue;
        out.push(candidate(ctx, 'insert-statement', `else { ${code} }`, [{ start: n.thenStatement.end, end: n.thenStatement.end, text: ` else {\n${' '.repeat(0)}${code}\n}`.replace(/\n/g, ' ').replace(/ {2,}/g, ' ') }], n));
      } else if (ts.isBlock(n.elseStatement) && !assigned(n.elseStatement).has(v)) {
        const last = n.elseStatement.statements[n.elseStatement.statements.length - 1];
        if (last) out.push(candidate(ctx, 'insert-statement', `${code} in the else branch`, [insertAfterStatement(ctx, last, code)], n));
      }
    }
  }
  return out;
}

function accumulatorReturn(ctx: JsContext): RawCandidate[] {
  const fn = functionAt(ctx);
  if (!fn?.body || !ts.isBlock(fn.body)) return [];
  const body = fn.body.statements;
  const last = body[body.length - 1];
  if (!last || ts.isReturnStatement(last) || ts.isThrowStatement(last) || ownReturns(fn).some((r) => r.expression)) return [];
  const topLevel = new Set(body.filter(ts.isVariableStatement).flatMap((s) => s.declarationList.declarations.map((d) => (ts.isIdentifier(d.name) ? d.name.text : ''))));
  const inits = literalInits(ctx, fn, fn.end);
  const updated = new Set<string>();
  walk(fn.body, (x) => {
    if (ts.isBinaryExpression(x) && UPDATES.has(x.operatorToken.kind) && ts.isIdentifier(x.left)) updated.add(x.left.text);
    if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && ts.isIdentifier(x.expression.expression) && /^(push|unshift|add|set)$/.test(x.expression.name.text)) updated.add(x.expression.expression.text);
  });
  const onLine = new Set(ctx.nodes.filter(ts.isIdentifier).map((i) => i.text));
  return [...updated]
    .filter((v) => topLevel.has(v) && inits.has(v) && onLine.has(v))
    .sort()
    .map((v) => candidate(ctx, 'insert-statement', `return ${v} at the end of the function`, [insertAfterStatement(ctx, last, `return ${v};`)], last));
}

function guard(ctx: JsContext, limit = 2): RawCandidate[] {
  const stmt = ctx.nodes.find((n): n is ts.Statement => ts.isStatement(n) && !ts.isBlock(n) && !ts.isFunctionDeclaration(n));
  const fn = functionAt(ctx);
  if (!stmt || !fn?.body || !ts.isBlock(fn.body) || !stmt.parent || !ts.isBlock(stmt.parent)) return [];
  const declaredBefore = new Set(fn.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])));
  const at = stmt.getStart(ctx.sf);
  // In scope at the statement: declared before it in a block (or loop header) that contains it.
  const scopeOf = (d: ts.Node) => {
    let p = d.parent;
    while (p && !ts.isBlock(p) && !ts.isIterationStatement(p, false) && !ts.isFunctionLike(p)) p = p.parent;
    return p;
  };
  walk(fn.body, (x) => {
    if (!ts.isVariableDeclaration(x) || !ts.isIdentifier(x.name) || x.end > at) return;
    const scope = scopeOf(x);
    if (scope && scope.getStart(ctx.sf) <= at && at < scope.end) declaredBefore.add(x.name.text);
  });
  const enclosingConditions = new Set<string>();
  for (let p: ts.Node | undefined = stmt.parent; p && p !== fn; p = p.parent) if (ts.isIfStatement(p)) enclosingConditions.add(src(ctx, p.expression));
  const conditions: string[] = [];
  walk(fn.body, (x) => {
    if (!ts.isIfStatement(x) || x === stmt || enclosingConditions.has(src(ctx, x.expression))) return;
    const text = src(ctx, x.expression);
    const names: string[] = [];
    walk(x.expression, (i) => ts.isIdentifier(i) && !(ts.isPropertyAccessExpression(i.parent) && i.parent.name === i) && names.push(i.text));
    if (!text.includes('\n') && text.length <= 60 && !conditions.includes(text) && names.every((nm) => declaredBefore.has(nm) || nm in globalThis)) conditions.push(text);
  });
  const inFor = enclosing(stmt, (p): p is ts.ForStatement | ts.ForOfStatement | ts.ForInStatement => ts.isForStatement(p) || ts.isForOfStatement(p) || ts.isForInStatement(p));
  const returnsValue = !!fn.type || ownReturns(fn).some((r) => r.expression);
  const values = returnsValue ? impliedValues(ctx, fn).slice(0, 1) : ['undefined'];
  const out: RawCandidate[] = [];
  for (const cond of conditions.slice(0, limit)) {
    const forms = [...(inFor ? ['continue;'] : []), ...values.map(returnOf)];
    for (const form of forms) {
      const edit = insertBeforeStatement(ctx, stmt, `if (${cond}) ${form}`);
      if (edit) out.push(candidate(ctx, 'insert-guard', `if (${cond}) ${form} before line ${ctx.line}`, [edit], stmt));
    }
  }
  return out;
}

/** The statement families beyond `break`, in the order their candidates are preferred. */
export const insertFamilies = (ctx: JsContext): RawCandidate[] => [...loopUpdate(ctx), ...counterReset(ctx), ...accumulatorReturn(ctx)];
export const insertGuard = (ctx: JsContext): RawCandidate[] => guard(ctx);
