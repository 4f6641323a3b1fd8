// Replace a variable with another in scope of the same type (`total / count` → `total / items`
// when both are numbers). Types come from the checker over the single file: declared types in
// TS, inferred ones in JS; untyped (`any`) variables only stand in for other untyped ones.
import ts from 'typescript';
import { candidate, type JsContext } from './context.ts';
import { sameNode, type FileTypes } from './checker.ts';
import type { RawCandidate } from '../types.ts';

/** Per reference, at most this many stand-ins (nearest declarations first). */
const PER_REFERENCE = 6;

const VARIABLE = ts.SymbolFlags.Variable | ts.SymbolFlags.Property;

/** Identifiers on the line that read or write a local variable or parameter. */
function references(ctx: JsContext): ts.Identifier[] {
  return ctx.nodes.filter((n): n is ts.Identifier => {
    if (!ts.isIdentifier(n)) return false;
    const p = n.parent;
    if ((ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n)) return false;
    if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p)) && p.name === n) return false;
    if (ts.isFunctionLike(p) || ts.isClassLike(p) || ts.isImportSpecifier(p) || ts.isImportClause(p)) return false;
    if (ts.isCallExpression(p) && p.expression === n) return false; // a function, not a value
    if (ts.isShorthandPropertyAssignment(p) || ts.isJsxAttribute(p) || ts.isTypeReferenceNode(p)) return false;
    return n.text !== 'undefined';
  });
}

function declaredInThisFile(types: FileTypes, s: ts.Symbol): ts.Declaration | undefined {
  return s.declarations?.find((d) => d.getSourceFile() === types.sourceFile);
}

function isValueDeclaration(d: ts.Declaration): boolean {
  return ts.isVariableDeclaration(d) || ts.isParameter(d) || ts.isBindingElement(d);
}

export function variableReplace(ctx: JsContext): RawCandidate[] {
  const refs = references(ctx);
  if (refs.length === 0) return [];
  let types: FileTypes;
  try {
    types = ctx.types();
  } catch {
    return [];
  }
  const { checker } = types;
  const out: RawCandidate[] = [];
  for (const ref of refs) {
    const id = sameNode(types, ref, ts.isIdentifier);
    if (!id) continue;
    const symbol = checker.getSymbolAtLocation(id);
    const decl = symbol && declaredInThisFile(types, symbol);
    if (!symbol || !decl || !isValueDeclaration(decl)) continue;
    const type = checker.typeToString(checker.getBaseTypeOfLiteralType(checker.getTypeAtLocation(id)));
    const pos = id.getStart(types.sourceFile);
    const others = checker
      .getSymbolsInScope(id, VARIABLE)
      .filter((s) => s !== symbol && s.name !== symbol.name)
      .map((s) => ({ s, d: declaredInThisFile(types, s) }))
      .filter((x): x is { s: ts.Symbol; d: ts.Declaration } => !!x.d && isValueDeclaration(x.d))
      // Declared before the reference (a later `let` is in its temporal dead zone) or a parameter.
      .filter((x) => ts.isParameter(x.d) || x.d.end <= pos)
      .filter((x) => checker.typeToString(checker.getBaseTypeOfLiteralType(checker.getTypeOfSymbolAtLocation(x.s, id))) === type)
      .sort((a, b) => pos - a.d.end - (pos - b.d.end) || (a.s.name < b.s.name ? -1 : a.s.name > b.s.name ? 1 : 0))
      .slice(0, PER_REFERENCE);
    for (const { s } of others) {
      const start = ref.getStart(ctx.sf);
      out.push(candidate(ctx, 'variable-replace', `${ref.text} → ${s.name} (both ${type})`, [{ start, end: ref.end, text: s.name }], ref));
    }
  }
  return out;
}
