// Suppression facts for JS/TS: the crash site's function before and after the patch, compared
// through the TypeScript AST (calls by callee, new swallowing handlers, exits, always-true guards).
import ts from 'typescript';
import { isFunctionLike, parse, type FunctionLike } from '../templates/js/ast.ts';
import { alwaysTrue } from './js-tautology.ts';
import type { CrashSite, SuppressionFacts, SwallowingTry } from './types.ts';

const norm = (text: string) => text.replace(/\s+/g, '').replace(/\?\./g, '.').replace(/!(?=[.[(])/g, '').replace(/;$/, '');

function nameOf(fn: FunctionLike): string {
  const own = fn.name && ts.isIdentifier(fn.name) ? fn.name.text : fn.name?.getText();
  if (own) return own;
  if (ts.isConstructorDeclaration(fn)) return 'constructor';
  const p = fn.parent;
  if ((ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) && p.name) return p.name.getText();
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) return p.left.getText();
  return '<anonymous>';
}

/** `Class.method`-style path, with `#n` for the n-th function of that path (anonymous callbacks). */
function functionPaths(sf: ts.SourceFile): Map<string, FunctionLike> {
  const out = new Map<string, FunctionLike>();
  const count = new Map<string, number>();
  const visit = (n: ts.Node, prefix: string): void => {
    let next = prefix;
    if (isFunctionLike(n) || ts.isClassLike(n)) {
      const own = isFunctionLike(n) ? nameOf(n) : ((n as ts.ClassLikeDeclaration).name?.text ?? '<class>');
      next = prefix ? `${prefix}.${own}` : own;
      if (isFunctionLike(n)) {
        const k = (count.get(next) ?? 0) + 1;
        count.set(next, k);
        out.set(`${next}#${k}`, n);
      }
    }
    n.forEachChild((c) => visit(c, next));
  };
  visit(sf, '');
  return out;
}

/** The innermost function around the crash line (preferring one named like the frame). */
function crashPath(paths: Map<string, FunctionLike>, sf: ts.SourceFile, site: CrashSite): string | undefined {
  const pos = sf.getPositionOfLineAndCharacter(Math.max(0, site.line - 1), 0);
  const lineEnd = site.line < sf.getLineStarts().length ? sf.getPositionOfLineAndCharacter(site.line, 0) : sf.text.length;
  const around = [...paths].filter(([, fn]) => fn.getStart(sf) < lineEnd && fn.end > pos);
  around.sort((a, b) => b[1].getStart(sf) - a[1].getStart(sf));
  const wanted = site.function?.split('.').pop();
  return (around.find(([p]) => wanted && p.replace(/#\d+$/, '').split('.').pop() === wanted) ?? around[0])?.[0];
}

function calls(scope: ts.Node): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) out.push(n);
    n.forEachChild(visit);
  };
  visit(scope);
  return out;
}

function countCallees(scope: ts.Node): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of calls(scope)) {
    const k = norm(c.expression.getText());
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

const LOGGING = /^(console|logger|log|this\.logger|this\.log)\.\w+$|\.(log|warn|error|info|debug|trace)$/;

/** What a handler body does when it does nothing useful, or undefined when it handles the error. */
export function swallowKind(statements: readonly ts.Statement[]): string | undefined {
  if (statements.length === 0) return 'an empty catch';
  let returns = false;
  let logs = false;
  for (const s of statements) {
    if (ts.isEmptyStatement(s)) continue;
    if (ts.isReturnStatement(s)) returns = true;
    else if (ts.isExpressionStatement(s) && ts.isCallExpression(s.expression) && LOGGING.test(norm(s.expression.expression.getText()))) logs = true;
    else return undefined;
  }
  return logs && returns ? 'only logs and returns' : logs ? 'only logs' : 'only returns';
}

function contains(node: ts.Node, crashCalls: ReadonlySet<string>, crashText: string): boolean {
  if (crashText && norm(node.getText()).includes(crashText)) return true;
  return calls(node).some((c) => crashCalls.has(norm(c.expression.getText())));
}

/** try/catch and `.catch(() => …)` in `scope` that wrap the crash site and swallow. */
function swallowingHandlers(scope: ts.Node, sf: ts.SourceFile, crashCalls: ReadonlySet<string>, crashText: string): SwallowingTry[] {
  const out: SwallowingTry[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isTryStatement(n) && n.catchClause && contains(n.tryBlock, crashCalls, crashText)) {
      const kind = swallowKind(n.catchClause.block.statements);
      if (kind) out.push({ line: sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1, handler: kind });
    }
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'catch' && contains(n.expression.expression, crashCalls, crashText)) {
      const h = n.arguments[0];
      if (h && (ts.isArrowFunction(h) || ts.isFunctionExpression(h))) {
        const kind = ts.isBlock(h.body) ? swallowKind(h.body.statements) : 'only returns';
        if (kind) out.push({ line: sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1, handler: `.catch that ${kind.replace(/^an empty catch$/, 'is empty')}` });
      }
    }
    n.forEachChild(visit);
  };
  visit(scope);
  return out;
}

function bodyStatements(scope: ts.Node): readonly ts.Statement[] {
  if (ts.isSourceFile(scope)) return scope.statements;
  const body = (scope as FunctionLike).body;
  return body && ts.isBlock(body) ? body.statements : [];
}

function firstExit(statements: readonly ts.Statement[]): number {
  return statements.findIndex((s) => ts.isReturnStatement(s) || ts.isThrowStatement(s));
}

/** `if (c) return/throw` guards whose condition is always true. */
function alwaysTrueGuards(scope: ts.Node, sf: ts.SourceFile): Array<{ line: number; condition: string }> {
  const out: Array<{ line: number; condition: string }> = [];
  const exits = (s: ts.Statement): boolean =>
    ts.isReturnStatement(s) || ts.isThrowStatement(s) || (ts.isBlock(s) && s.statements.length > 0 && exits(s.statements[s.statements.length - 1]!));
  const visit = (n: ts.Node): void => {
    if (n !== scope && isFunctionLike(n)) return;
    if (ts.isIfStatement(n) && exits(n.thenStatement) && alwaysTrue(n.expression)) {
      out.push({ line: sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1, condition: n.expression.getText(sf) });
    }
    n.forEachChild(visit);
  };
  visit(scope);
  return out;
}

export function jsSuppressionFacts(before: string, after: string, site: CrashSite): SuppressionFacts {
  const a = parse(site.file, before);
  const b = parse(site.file, after);
  const pathsA = functionPaths(a);
  const pathsB = functionPaths(b);
  const path = crashPath(pathsA, a, site);
  const scopeA: ts.Node = path ? pathsA.get(path)! : a;
  const scopeB: ts.Node | undefined = path ? pathsB.get(path) : b;
  const lineStart = a.getPositionOfLineAndCharacter(Math.max(0, site.line - 1), 0);
  const onLine = calls(scopeA).filter((c) => a.getLineAndCharacterOfPosition(c.getStart(a)).line + 1 === site.line);
  const crashCalls = [...new Set(onLine.map((c) => norm(c.expression.getText())))];
  const lineEnd = a.text.indexOf('\n', lineStart);
  // The crash line's code (without its declaration keyword), to find it again inside a new try.
  const raw = a.text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd).trim();
  const stripped = norm(raw.replace(/^(return|const|let|var|await)\s+/, '')).replace(/[{}]/g, '').slice(0, 40);
  const crashText = stripped.length >= 4 ? stripped : '';
  const swallowedBefore = swallowingHandlers(scopeA, a, new Set(crashCalls), crashText).length;
  const swallowing = scopeB ? swallowingHandlers(scopeB, b, new Set(crashCalls), crashText) : [];
  const guardsBefore = new Set(alwaysTrueGuards(scopeA, a).map((g) => norm(g.condition)));
  return {
    found: { before: true, after: !!scopeB },
    functionName: path?.replace(/#1$/, '') ?? '<module>',
    crashCalls,
    calls: { before: countCallees(scopeA), after: scopeB ? countCallees(scopeB) : {} },
    swallowing: swallowing.length > swallowedBefore ? swallowing : [],
    firstExit: { before: firstExit(bodyStatements(scopeA)), after: scopeB ? firstExit(bodyStatements(scopeB)) : -1 },
    statements: { before: bodyStatements(scopeA).length, after: scopeB ? bodyStatements(scopeB).length : 0 },
    alwaysTrueGuards: scopeB ? alwaysTrueGuards(scopeB, b).filter((g) => !guardsBefore.has(norm(g.condition))) : [],
  };
}
