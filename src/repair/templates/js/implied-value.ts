// The value a guard should return early: what the function's documentation names, else what its
// declared or inferred return type implies, else what its other return statements return.
import ts from 'typescript';
import { documentedDefault } from '../doc-hints.ts';
import { isFunctionLike, type FunctionLike } from './ast.ts';
import { awaited, kindOfType, sameNode, type ValueKind } from './checker.ts';
import type { JsContext } from './context.ts';

const DEFAULT_OF: Record<ValueKind, string | undefined> = {
  number: '0',
  string: "''",
  boolean: 'false',
  array: '[]',
  null: 'null',
  undefined: 'undefined',
  object: 'null',
  promise: undefined,
  unknown: undefined,
};

/** Leading comments of the function, or of the declaration that names it (`const f = () => …`). */
export function functionDoc(ctx: JsContext, fn: FunctionLike): string {
  let holder: ts.Node = fn;
  while (
    holder.parent &&
    (ts.isVariableDeclaration(holder.parent) ||
      ts.isVariableDeclarationList(holder.parent) ||
      ts.isVariableStatement(holder.parent) ||
      ts.isPropertyAssignment(holder.parent) ||
      ts.isExportAssignment(holder.parent))
  ) {
    holder = holder.parent;
  }
  const ranges = ts.getLeadingCommentRanges(ctx.text, holder.getFullStart()) ?? [];
  return ranges.map((r) => ctx.text.slice(r.pos, r.end)).join('\n');
}

const K = ts.SyntaxKind;
const BOOLEAN_OPS = new Set<ts.SyntaxKind>([
  K.LessThanToken, K.GreaterThanToken, K.LessThanEqualsToken, K.GreaterThanEqualsToken, K.EqualsEqualsToken,
  K.ExclamationEqualsToken, K.EqualsEqualsEqualsToken, K.ExclamationEqualsEqualsToken, K.InstanceOfKeyword, K.InKeyword,
]);
const NUMBER_OPS = new Set<ts.SyntaxKind>([
  K.MinusToken, K.AsteriskToken, K.SlashToken, K.PercentToken, K.AsteriskAsteriskToken, K.LessThanLessThanToken,
  K.GreaterThanGreaterThanToken, K.GreaterThanGreaterThanGreaterThanToken, K.AmpersandToken, K.BarToken, K.CaretToken,
]);

/** Syntactic kind of a returned expression; 'unknown' when it takes the checker to tell. */
export function kindOfExpression(expr: ts.Expression | undefined): ValueKind {
  if (!expr) return 'undefined';
  while (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr)) expr = expr.expression;
  if (ts.isNumericLiteral(expr) || ts.isBigIntLiteral(expr)) return 'number';
  if (ts.isPrefixUnaryExpression(expr)) {
    if (expr.operator === ts.SyntaxKind.ExclamationToken) return 'boolean';
    return kindOfExpression(expr.operand) === 'number' ? 'number' : 'unknown';
  }
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr) || ts.isTemplateExpression(expr)) return 'string';
  if (expr.kind === ts.SyntaxKind.TrueKeyword || expr.kind === ts.SyntaxKind.FalseKeyword) return 'boolean';
  if (expr.kind === ts.SyntaxKind.NullKeyword) return 'null';
  if (ts.isIdentifier(expr) && expr.text === 'undefined') return 'undefined';
  if (ts.isVoidExpression(expr)) return 'undefined';
  if (ts.isArrayLiteralExpression(expr)) return 'array';
  if (ts.isObjectLiteralExpression(expr) || ts.isNewExpression(expr)) return 'object';
  if (ts.isBinaryExpression(expr)) {
    const op = expr.operatorToken.kind;
    if (BOOLEAN_OPS.has(op)) return 'boolean';
    if (op === ts.SyntaxKind.PlusToken) {
      const l = kindOfExpression(expr.left);
      const r = kindOfExpression(expr.right);
      if (l === 'string' || r === 'string') return 'string';
      return l === 'number' && r === 'number' ? 'number' : 'unknown';
    }
    if (NUMBER_OPS.has(op)) return 'number';
  }
  if (ts.isCallExpression(expr)) {
    const callee = expr.expression.getText();
    if (/^(Number|parseInt|parseFloat|Math\.\w+)$/.test(callee)) return 'number';
    if (/^String$|\.(join|toString|toFixed|trim|toUpperCase|toLowerCase)$/.test(callee)) return 'string';
    if (/^Boolean$|\.(includes|some|every|has|startsWith|endsWith|test)$/.test(callee)) return 'boolean';
    if (/\.(map|filter|slice|concat|sort|flat|flatMap)$|^Array\.from$/.test(callee)) return 'array';
  }
  return 'unknown';
}

/** Return statements of `fn` itself (not of nested functions). */
export function ownReturns(fn: FunctionLike): ts.ReturnStatement[] {
  const out: ts.ReturnStatement[] = [];
  const visit = (n: ts.Node): void => {
    if (isFunctionLike(n) && n !== fn) return;
    if (ts.isReturnStatement(n)) out.push(n);
    n.forEachChild(visit);
  };
  if (fn.body) visit(fn.body);
  return out;
}

function isAsync(fn: FunctionLike): boolean {
  return !!ts.getModifiers(fn as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/** Kind from a written return type (TS annotation or JSDoc @returns {T}). */
function kindOfTypeText(text: string): ValueKind {
  const t = text.replace(/^Promise<(.*)>$/, '$1').trim();
  const parts = t.split('|').map((p) => p.trim());
  if (parts.includes('null')) return 'null';
  if (parts.includes('undefined') || parts.includes('void')) return 'undefined';
  if (parts.length !== 1) return 'unknown';
  if (/^(number|bigint)$/.test(t)) return 'number';
  if (t === 'string') return 'string';
  if (t === 'boolean') return 'boolean';
  if (/\[\]$|^(Readonly)?Array<|^Array$/.test(t)) return 'array';
  if (/^[A-Z]\w*$|^\{/.test(t)) return 'object';
  return 'unknown';
}

/**
 * Candidate early-return values for a guard in `fn`, best first (JavaScript source text;
 * 'undefined' means a bare `return;`). Empty when nothing implies a value.
 */
export function impliedValues(ctx: JsContext, fn: FunctionLike): string[] {
  const out: string[] = [];
  const add = (v: string | undefined) => v !== undefined && !out.includes(v) && out.push(v);
  const doc = functionDoc(ctx, fn);
  add(documentedDefault(doc));

  const written = fn.type?.getText(ctx.sf) ?? /@returns?\s*\{([^}]+)\}/.exec(doc)?.[1];
  if (written) add(DEFAULT_OF[kindOfTypeText(written)]);

  const returns = ownReturns(fn);
  const kinds = returns.map((r) => kindOfExpression(r.expression));
  if (fn.body && !ts.isBlock(fn.body)) kinds.push(kindOfExpression(fn.body));
  // A nullish return elsewhere is the strongest hint that callers handle "no value".
  if (kinds.includes('null')) add('null');
  for (const k of kinds) if (k !== 'object') add(DEFAULT_OF[k]);

  if (out.length === 0 && (kinds.some((k) => k === 'unknown' || k === 'object') || returns.length === 0)) {
    try {
      const types = ctx.types();
      const same = sameNode(types, fn, isFunctionLike);
      const sig = same && types.checker.getSignatureFromDeclaration(same);
      if (sig) {
        let ret = types.checker.getReturnTypeOfSignature(sig);
        if (isAsync(fn)) ret = awaited(types.checker, ret);
        add(DEFAULT_OF[kindOfType(types.checker, ret)]);
      }
    } catch {
      // The checker is an aid; a file it cannot handle just gets fewer hints.
    }
  }
  if (kinds.includes('object')) add('null');
  if (returns.length === 0 || returns.every((r) => !r.expression)) add('undefined');
  return out;
}
