// TypeScript-compiler-API helpers shared by the JS/TS templates: parsing, finding the nodes at a
// ranked line, and the enclosing function/statement a guard is inserted into.
import ts from 'typescript';

export type FunctionLike =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration
  | ts.ConstructorDeclaration;

export function scriptKind(file: string): ts.ScriptKind {
  if (/\.tsx$/i.test(file)) return ts.ScriptKind.TSX;
  if (/\.(ts|mts|cts)$/i.test(file)) return ts.ScriptKind.TS;
  if (/\.jsx$/i.test(file)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

export function parse(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
}

/** True when the parser reported a syntax error (a template must never produce one). */
export function hasSyntaxErrors(file: string, text: string): boolean {
  const sf = parse(file, text) as ts.SourceFile & { parseDiagnostics?: readonly ts.Diagnostic[] };
  return (sf.parseDiagnostics?.length ?? 0) > 0;
}

/** 1-based line of a node's first token. */
export function lineOf(sf: ts.SourceFile, node: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

/** Every node whose first token is on `line`, outermost first (document order). */
export function nodesOnLine(sf: ts.SourceFile, line: number): ts.Node[] {
  const out: ts.Node[] = [];
  const lineStart = sf.getPositionOfLineAndCharacter(line - 1, 0);
  const lineEnd = line < sf.getLineStarts().length ? sf.getPositionOfLineAndCharacter(line, 0) : sf.text.length;
  const visit = (node: ts.Node): void => {
    if (node.end < lineStart || node.getStart(sf) >= lineEnd) return;
    const start = node.getStart(sf);
    if (start >= lineStart && start < lineEnd) out.push(node);
    node.forEachChild(visit);
  };
  sf.forEachChild(visit);
  return out;
}

export function isFunctionLike(node: ts.Node): node is FunctionLike {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) ||
    ts.isConstructorDeclaration(node)
  );
}

export function enclosingFunction(node: ts.Node): FunctionLike | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (isFunctionLike(n)) return n;
  return undefined;
}

/** The innermost function whose body spans `line` (used when nothing starts on the line). */
export function functionAtLine(sf: ts.SourceFile, line: number): FunctionLike | undefined {
  const pos = sf.getPositionOfLineAndCharacter(Math.max(0, line - 1), 0);
  let found: FunctionLike | undefined;
  const visit = (node: ts.Node): void => {
    if (pos < node.getFullStart() || pos > node.end) return;
    if (isFunctionLike(node) && node.body) found = node;
    node.forEachChild(visit);
  };
  sf.forEachChild(visit);
  return found;
}

/**
 * The statement a new statement can be inserted before: the nearest ancestor (or self) whose
 * parent is a block, the file, or a case clause. Stops at function boundaries.
 */
export function insertionStatement(node: ts.Node): ts.Statement | undefined {
  for (let n: ts.Node | undefined = node; n && !isFunctionLike(n); n = n.parent) {
    const p = n.parent;
    if (p && (ts.isBlock(p) || ts.isSourceFile(p) || ts.isCaseClause(p) || ts.isDefaultClause(p)) && ts.isStatement(n as ts.Node)) {
      return n as ts.Statement;
    }
  }
  return undefined;
}

/** An expression safe to evaluate twice: identifiers, `this`, property chains, literal indexes. */
export function isSimpleReference(expr: ts.Expression): boolean {
  if (ts.isIdentifier(expr) || expr.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (ts.isParenthesizedExpression(expr)) return isSimpleReference(expr.expression);
  if (ts.isPropertyAccessExpression(expr)) return isSimpleReference(expr.expression);
  if (ts.isElementAccessExpression(expr)) {
    const arg = expr.argumentExpression;
    return isSimpleReference(expr.expression) && (ts.isLiteralExpression(arg) || ts.isIdentifier(arg));
  }
  return false;
}

/** Globals and namespaces that are never null at runtime: guarding them is noise. */
const NEVER_NULL = new Set([
  'Math', 'JSON', 'console', 'Object', 'Array', 'Number', 'String', 'Boolean', 'Date', 'Promise',
  'process', 'globalThis', 'window', 'document', 'Reflect', 'Symbol', 'BigInt', 'Intl', 'Buffer',
  'Map', 'Set', 'RegExp', 'Error', 'module', 'exports', 'require', 'undefined', 'NaN', 'Infinity',
]);

export function isNeverNull(expr: ts.Expression): boolean {
  if (expr.kind === ts.SyntaxKind.ThisKeyword || expr.kind === ts.SyntaxKind.SuperKeyword) return true;
  if (ts.isIdentifier(expr)) return NEVER_NULL.has(expr.text);
  return ts.isLiteralExpression(expr) || ts.isArrayLiteralExpression(expr) || ts.isObjectLiteralExpression(expr);
}

/** Text of a node as written. */
export function textOf(sf: ts.SourceFile, node: ts.Node): string {
  return sf.text.slice(node.getStart(sf), node.end);
}

/** True when wrapping `node` in a conditional needs parentheses to keep precedence. */
export function needsParens(node: ts.Node): boolean {
  const p = node.parent;
  if (!p) return false;
  if (ts.isParenthesizedExpression(p) || ts.isReturnStatement(p) || ts.isExpressionStatement(p)) return false;
  if (ts.isVariableDeclaration(p) && p.initializer === node) return false;
  if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(node as ts.Expression)) return false;
  if (ts.isArrayLiteralExpression(p) || ts.isPropertyAssignment(p) || ts.isTemplateSpan(p)) return false;
  if (ts.isBinaryExpression(p) && p.right === node && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) return false;
  return true;
}

/** `text` wrapped in parentheses when it replaces `node` in an expression context that needs them. */
export function wrapFor(node: ts.Node, text: string): string {
  return needsParens(node) ? `(${text})` : text;
}
