// A missing `await`: inside an async function, a call whose result is a Promise (an async function
// of this file, a callee typed to return a Promise, or a well-known promise API) used as a value.
import ts from 'typescript';
import { enclosingFunction } from './ast.ts';
import { sameNode, kindOfType } from './checker.ts';
import { candidate, src, type JsContext } from './context.ts';
import type { RawCandidate } from '../types.ts';

/** Promise-returning calls the single-file checker cannot see (DOM/undici globals, conventions). */
const KNOWN_ASYNC = /^(fetch|.*\.(json|text|arrayBuffer|blob)|.*Async)$/;

function isAsync(fn: ts.Node | undefined): boolean {
  return !!fn && !!ts.getModifiers(fn as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/** Already handled as a promise: awaited, returned, chained, or collected by Promise.all & co. */
function handled(call: ts.CallExpression): boolean {
  const p = call.parent;
  if (ts.isAwaitExpression(p) || ts.isReturnStatement(p) || ts.isArrowFunction(p) || ts.isVoidExpression(p)) return true;
  if (ts.isPropertyAccessExpression(p) && /^(then|catch|finally)$/.test(p.name.text)) return true;
  if (ts.isArrayLiteralExpression(p) || (ts.isCallExpression(p) && /^Promise\.\w+$/.test(p.expression.getText()))) return true;
  return false;
}

function returnsPromise(ctx: JsContext, call: ts.CallExpression): boolean {
  if (KNOWN_ASYNC.test(src(ctx, call.expression))) return true;
  try {
    const types = ctx.types();
    const same = sameNode(types, call, ts.isCallExpression);
    return !!same && kindOfType(types.checker, types.checker.getTypeAtLocation(same)) === 'promise';
  } catch {
    return false;
  }
}

export function missingAwait(ctx: JsContext): RawCandidate[] {
  const out: RawCandidate[] = [];
  for (const n of ctx.nodes) {
    if (!ts.isCallExpression(n) || handled(n) || !isAsync(enclosingFunction(n))) continue;
    if (!returnsPromise(ctx, n)) continue;
    const p = n.parent;
    // `load().items` must become `(await load()).items`, not `await load().items`.
    const member = (ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p) || ts.isCallExpression(p)) && p.expression === n;
    const start = n.getStart(ctx.sf);
    const edits = member
      ? [{ start, end: start, text: '(await ' }, { start: n.end, end: n.end, text: ')' }]
      : [{ start, end: start, text: 'await ' }];
    out.push(candidate(ctx, 'missing-await', `await ${src(ctx, n)}`, edits, n));
  }
  return out;
}
