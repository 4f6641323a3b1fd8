// The JS/TS template set: every template at one ranked line of one file.
import type ts from 'typescript';
import type { RawCandidate } from '../types.ts';
import { parse } from './ast.ts';
import { lazyTypes } from './checker.ts';
import { clamp } from './clamp.ts';
import { makeContext, type JsTemplate } from './context.ts';
import { emptyGuards } from './empty-guards.ts';
import { arithmeticSwap, dropOperand, swapOperands, wrapExpression } from './expressions.ts';
import { insertFamilies, insertGuard } from './insert-families.ts';
import { insertStatement } from './insert-statement.ts';
import { missingAwait } from './missing-await.ts';
import { nullGuard } from './null-guard.ts';
import { offByOne } from './off-by-one.ts';
import { operatorSwap } from './operators.ts';
import { parseFallback } from './parse-fallback.ts';
import { variableReplace } from './variable-replace.ts';
import { expressionReplace, flipBooleans, literalChange, siblingCall } from './vocabulary.ts';

/** In the order their candidates are preferred when location and size tie. */
export const JS_TEMPLATES: readonly JsTemplate[] = [
  nullGuard,
  emptyGuards,
  parseFallback,
  missingAwait,
  clamp,
  operatorSwap,
  offByOne,
  variableReplace,
  wrapExpression,
  swapOperands,
  arithmeticSwap,
  siblingCall,
  flipBooleans,
  literalChange,
  dropOperand,
  insertStatement,
  insertFamilies,
  expressionReplace,
  insertGuard,
];

export const JS_FILE = /\.(?:[cm]?js|jsx|[cm]?ts|tsx)$/i;

/** A parsed file, reused across the ranked lines that fall in it. */
export interface JsFile {
  file: string;
  text: string;
  sf: ts.SourceFile;
  types: ReturnType<typeof lazyTypes>;
}

export function openJsFile(file: string, text: string): JsFile {
  return { file, text, sf: parse(file, text), types: lazyTypes(file, text) };
}

export function jsCandidatesAt(f: JsFile, line: number): RawCandidate[] {
  if (line < 1 || line > f.sf.getLineStarts().length) return [];
  const ctx = makeContext(f.file, f.text, f.sf, line, f.types);
  return JS_TEMPLATES.flatMap((t) => t(ctx));
}
