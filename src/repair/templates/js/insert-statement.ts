// A missing statement (issue 18): a `break` that makes the first match end the loop
// (`if (t[i] != t[j]) { ok = false }` + `break`), inserted as the last statement of an `if` inside
// a loop whose branch does not already leave it.
import ts from 'typescript';
import { eol, indentAt } from '../edits.ts';
import { candidate, src, type JsContext } from './context.ts';
import type { RawCandidate } from '../types.ts';

const EXITS = new Set<ts.SyntaxKind>([ts.SyntaxKind.BreakStatement, ts.SyntaxKind.ReturnStatement, ts.SyntaxKind.ContinueStatement, ts.SyntaxKind.ThrowStatement]);

function inLoop(n: ts.Node): boolean {
  for (let p = n.parent; p && !ts.isFunctionLike(p); p = p.parent) {
    if (ts.isIterationStatement(p, false)) return true;
    if (ts.isSwitchStatement(p)) return false; // `break` would leave the switch, not the loop
  }
  return false;
}

export function insertStatement(ctx: JsContext): RawCandidate[] {
  const out: RawCandidate[] = [];
  for (const n of ctx.nodes) {
    if (!ts.isIfStatement(n) || !inLoop(n)) continue;
    const then = n.thenStatement;
    const stmts = ts.isBlock(then) ? [...then.statements] : [then];
    const last = stmts[stmts.length - 1];
    if (!last || stmts.some((s) => EXITS.has(s.kind))) continue;
    const description = `break after ${src(ctx, last).split('\n')[0]}`;
    if (!ts.isBlock(then)) {
      out.push(candidate(ctx, 'insert-statement', description, [{ start: then.getStart(ctx.sf), end: then.end, text: `{ ${src(ctx, then)} break; }` }], n));
      continue;
    }
    const sameLine = ctx.sf.getLineAndCharacterOfPosition(last.getStart(ctx.sf)).line === ctx.sf.getLineAndCharacterOfPosition(then.getStart(ctx.sf)).line;
    const text = sameLine ? ` break;` : `${eol(ctx.text)}${indentAt(ctx.text, last.getStart(ctx.sf))}break;`;
    out.push(candidate(ctx, 'insert-statement', description, [{ start: last.end, end: last.end, text }], n));
  }
  return out;
}
