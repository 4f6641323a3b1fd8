// Where a value can be searched in a JS/TS file: at a ranked line, the condition of an `if`,
// `while` or `?:`, a returned expression, an assigned or initialized value. Each site carries the
// names in scope before it (what the probe records and synthesis may use) and the function's
// numeric literals.
import ts from 'typescript';
import { enclosingFunction, nodesOnLine, parse, type FunctionLike } from '../templates/js/ast.ts';
import type { ProbeSite } from './types.ts';

/** An expression the probe may wrap in a closure without changing what it means. */
function wrappable(expr: ts.Expression): boolean {
  let ok = true;
  const visit = (n: ts.Node): void => {
    if (ts.isAwaitExpression(n) || ts.isYieldExpression(n) || (ts.isIdentifier(n) && n.text === 'arguments')) ok = false;
    if (ok && !ts.isFunctionLike(n)) n.forEachChild(visit);
  };
  visit(expr);
  return ok && !ts.isFunctionLike(expr) && !ts.isObjectLiteralExpression(expr) && !ts.isArrayLiteralExpression(expr);
}

function bindingNames(name: ts.BindingName, out: string[]): void {
  if (ts.isIdentifier(name)) out.push(name.text);
  else for (const e of name.elements) if (!ts.isOmittedExpression(e)) bindingNames(e.name, out);
}

/** Parameters and variables declared before `at` in blocks that enclose it, inside `fn`. */
function namesInScope(fn: FunctionLike, at: ts.Node, sf: ts.SourceFile): string[] {
  const names: string[] = [];
  for (const p of fn.parameters) bindingNames(p.name, names);
  const ancestors = new Set<ts.Node>();
  for (let n: ts.Node | undefined = at; n && n !== fn; n = n.parent) ancestors.add(n);
  const visit = (n: ts.Node): void => {
    if (n.getStart(sf) >= at.getStart(sf)) return;
    if (ts.isVariableDeclaration(n) && n.end <= at.getStart(sf)) {
      const list = n.parent;
      const holder = list.parent;
      // A loop's own variable is in scope in its body; a block's, after it in that block.
      const scope = ts.isForStatement(holder) || ts.isForOfStatement(holder) || ts.isForInStatement(holder) ? holder : holder.parent;
      if (ancestors.has(scope) || scope === fn.body || (list.flags & ts.NodeFlags.BlockScoped) === 0) bindingNames(n.name, names);
    }
    if (!ts.isFunctionLike(n) || n === fn) n.forEachChild(visit);
  };
  fn.forEachChild(visit);
  return [...new Set(names)];
}

function numericLiterals(fn: ts.Node): number[] {
  const out: number[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isNumericLiteral(n)) {
      const v = Number(n.text);
      out.push(ts.isPrefixUnaryExpression(n.parent) && n.parent.operator === ts.SyntaxKind.MinusToken ? -v : v);
    }
    n.forEachChild(visit);
  };
  visit(fn);
  return [...new Set(out)].filter(Number.isFinite).slice(0, 12);
}

/** The sites at `line`, outermost first. */
export function jsSites(file: string, text: string, line: number): ProbeSite[] {
  const sf = parse(file, text);
  if (line < 1 || line > sf.getLineStarts().length) return [];
  const found: Array<{ expr: ts.Expression; kind: ProbeSite['kind'] }> = [];
  for (const n of nodesOnLine(sf, line)) {
    if ((ts.isIfStatement(n) || ts.isWhileStatement(n)) && n.expression) found.push({ expr: n.expression, kind: 'condition' });
    else if (ts.isConditionalExpression(n)) found.push({ expr: n.condition, kind: 'condition' });
    else if (ts.isReturnStatement(n) && n.expression) found.push({ expr: n.expression, kind: 'value' });
    else if (ts.isVariableDeclaration(n) && n.initializer) found.push({ expr: n.initializer, kind: 'value' });
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      found.push({ expr: n.right, kind: 'value' });
    }
  }
  const sites: ProbeSite[] = [];
  for (const { expr, kind } of found) {
    const fn = enclosingFunction(expr);
    if (!fn || !wrappable(expr)) continue;
    sites.push({
      file,
      line,
      start: expr.getStart(sf),
      end: expr.end,
      kind,
      text: text.slice(expr.getStart(sf), expr.end),
      names: namesInScope(fn, expr, sf),
      constants: numericLiterals(fn),
    });
  }
  return sites;
}
