// Clamp to a documented range: when the function's JSDoc or a nearby comment states a range
// ("a percentage between 0 and 100", "@param level in [0, 10]"), clamp the parameter on entry or
// the value computed on the ranked line (a return, an assignment, a declaration).
import ts from 'typescript';
import { documentedRanges, type DocumentedRange } from '../doc-hints.ts';
import { candidate, functionAt, insertAtFunctionStart, replaceNode, src, type JsContext } from './context.ts';
import { functionDoc } from './implied-value.ts';
import type { RawCandidate } from '../types.ts';

const clampText = (value: string, r: DocumentedRange) => `Math.min(Math.max(${value}, ${r.lo}), ${r.hi})`;

/** Comments on the ranked line and the line above it. */
function nearbyComments(ctx: JsContext): string {
  const lines = ctx.text.split('\n');
  return [lines[ctx.line - 2] ?? '', lines[ctx.line - 1] ?? '']
    .map((l) => /\/\/(.*)$|\/\*(.*?)\*\//.exec(l))
    .map((m) => (m ? (m[1] ?? m[2] ?? '') : ''))
    .join('\n');
}

/** Values computed on the line: return expressions, assignment right sides, initializers. */
function computedValues(ctx: JsContext): ts.Expression[] {
  const out: ts.Expression[] = [];
  for (const n of ctx.nodes) {
    if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
    else if (ts.isVariableDeclaration(n) && n.initializer && !ts.isFunctionLike(n.initializer)) out.push(n.initializer);
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) out.push(n.right);
  }
  // Already clamped values are left alone.
  return out.filter((e) => !/^Math\.(min|max)\(/.test(e.getText(ctx.sf)));
}

export function clamp(ctx: JsContext): RawCandidate[] {
  const fn = functionAt(ctx);
  const doc = (fn ? functionDoc(ctx, fn) : '') + '\n' + nearbyComments(ctx);
  const ranges = documentedRanges(doc);
  if (ranges.length === 0) return [];
  const out: RawCandidate[] = [];
  const params = new Set(fn?.parameters.filter((p) => ts.isIdentifier(p.name)).map((p) => (p.name as ts.Identifier).text));
  for (const r of ranges) {
    if (r.param !== undefined) {
      if (!fn || !params.has(r.param)) continue;
      const edit = insertAtFunctionStart(ctx, fn, `${r.param} = ${clampText(r.param, r)};`);
      if (edit) out.push(candidate(ctx, 'clamp', `clamp ${r.param} to the documented ${r.lo}..${r.hi}`, [edit], fn));
      continue;
    }
    for (const value of computedValues(ctx)) {
      const text = src(ctx, value);
      out.push(candidate(ctx, 'clamp', `clamp ${text} to the documented ${r.lo}..${r.hi}`, [replaceNode(ctx, value, clampText(text, r))], value));
    }
  }
  return out;
}
