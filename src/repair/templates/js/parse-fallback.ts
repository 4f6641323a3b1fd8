// Failed parsing: `parseInt`/`parseFloat`/`Number` yield NaN and `new Date(s)` an Invalid Date,
// which then poison arithmetic or throw (`toISOString`). Fallback inline (`parseInt(s, 10) || 0`),
// or a NaN check right after the parsed value is stored, returning what the function implies.
import ts from 'typescript';
import { documentedDefault } from '../doc-hints.ts';
import { insertionStatement, isSimpleReference, wrapFor } from './ast.ts';
import { candidate, functionAt, insertAfterStatement, insertBeforeStatement, replaceNode, returnOf, src, type JsContext } from './context.ts';
import { functionDoc, impliedValues } from './implied-value.ts';
import type { RawCandidate } from '../types.ts';

const NUMBER_PARSERS = /^(?:Number\.)?(?:parseInt|parseFloat)$|^Number$/;

function isNumberParse(ctx: JsContext, n: ts.Node): n is ts.CallExpression {
  return ts.isCallExpression(n) && n.arguments.length >= 1 && NUMBER_PARSERS.test(src(ctx, n.expression));
}

function isDateParse(n: ts.Node): n is ts.NewExpression {
  return ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'Date' && (n.arguments?.length ?? 0) >= 1;
}

/** What an invalid parse looks like, as a condition on `value`. */
function invalid(kind: 'number' | 'date', value: string): string {
  return kind === 'number' ? `Number.isNaN(${value})` : `Number.isNaN(${value}.getTime())`;
}

/** Guards returning the implied value, after `const v = parse(…)` or before the statement at the line. */
function guards(ctx: JsContext, kind: 'number' | 'date', value: string, stmt: ts.Statement, after: boolean, at: ts.Node): RawCandidate[] {
  const fn = functionAt(ctx);
  if (!fn) return [];
  return impliedValues(ctx, fn)
    .slice(0, 2)
    .flatMap((v) => {
      const text = `if (${invalid(kind, value)}) ${returnOf(v)}`;
      const edit = after ? insertAfterStatement(ctx, stmt, text) : insertBeforeStatement(ctx, at, text);
      return edit ? [candidate(ctx, 'parse-fallback', `return ${v} when ${value} is not a valid ${kind}`, [edit], at)] : [];
    });
}

/** `parseInt(s)` → `(parseInt(s) || 0)`, or `(Number.isNaN(p) ? d : p)` for a documented default d. */
function inlineFallbacks(ctx: JsContext, call: ts.CallExpression): RawCandidate[] {
  const p = call.parent;
  if (ts.isBinaryExpression(p) && p.left === call && /^(\|\||\?\?)$/.test(p.operatorToken.getText(ctx.sf))) return [];
  const text = src(ctx, call);
  const out = [candidate(ctx, 'parse-fallback', `fall back to 0 when ${text} is NaN`, [replaceNode(ctx, call, wrapFor(call, `${text} || 0`))], call)];
  const fn = functionAt(ctx);
  const doc = fn ? documentedDefault(functionDoc(ctx, fn)) : undefined;
  if (doc && /^-?\d+(\.\d+)?$/.test(doc) && doc !== '0' && call.arguments.every((a) => isSimpleReference(a) || ts.isLiteralExpression(a))) {
    const replaced = wrapFor(call, `Number.isNaN(${text}) ? ${doc} : ${text}`);
    out.push(candidate(ctx, 'parse-fallback', `fall back to the documented ${doc} when ${text} is NaN`, [replaceNode(ctx, call, replaced)], call));
  }
  return out;
}

/** The initializer of the variable `id` refers to, when declared in this file by `const/let`. */
function initializerOf(ctx: JsContext, id: ts.Identifier): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === id.text && n.end <= id.getStart(ctx.sf) && n.initializer) {
      found = n.initializer;
    }
    n.forEachChild(visit);
  };
  const fn = functionAt(ctx);
  (fn ?? ctx.sf).forEachChild(visit);
  return found;
}

export function parseFallback(ctx: JsContext): RawCandidate[] {
  const out: RawCandidate[] = [];
  for (const n of ctx.nodes) {
    const kind = isNumberParse(ctx, n) ? 'number' : isDateParse(n) ? 'date' : undefined;
    if (!kind) continue;
    if (kind === 'number') out.push(...inlineFallbacks(ctx, n as ts.CallExpression));
    const decl = n.parent;
    const stmt = insertionStatement(n);
    if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) && stmt) {
      out.push(...guards(ctx, kind, decl.name.text, stmt, true, n));
    } else if (stmt && (kind === 'date' || (n as ts.CallExpression).arguments.every((a) => isSimpleReference(a) || ts.isLiteralExpression(a)))) {
      out.push(...guards(ctx, kind, src(ctx, n), stmt, false, n));
    }
  }
  // A value parsed earlier and used on this line (`d.toISOString()` where `const d = new Date(s)`).
  const seen = new Set<string>();
  for (const n of ctx.nodes) {
    if (!ts.isIdentifier(n) || seen.has(n.text)) continue;
    const p = n.parent;
    if (ts.isVariableDeclaration(p) && p.name === n) continue;
    const init = initializerOf(ctx, n);
    const kind = init && (isNumberParse(ctx, init) ? 'number' : isDateParse(init) ? 'date' : undefined);
    const stmt = insertionStatement(n);
    if (!kind || !stmt) continue;
    seen.add(n.text);
    out.push(...guards(ctx, kind, n.text, stmt, false, n));
  }
  return out;
}
