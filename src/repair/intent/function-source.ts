// The function a patch changes, as the repository wrote it before the patch: its doc comment or
// docstring, its parameters, its declared return type and the expressions its return statements
// return. JS/TS through the TypeScript parser; Python by its indentation (the docstring and the
// return lines are all the contract needs, and the host needs no interpreter for them).
import ts from 'typescript';

export interface FunctionSource {
  name: string;
  language: 'js' | 'python';
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  doc: string;
  params: string[];
  /** `number`, `float`, `Optional[str]`…, as written (TS annotation, JSDoc @returns, Python `->`). */
  declaredReturn?: string;
  /** Source text of each returned expression (`''` for a bare return), in order. */
  returns: { line: number; expr: string }[];
}

const lineOf = (sf: ts.SourceFile, pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1;

function jsDoc(text: string, node: ts.Node): string {
  let holder: ts.Node = node;
  while (holder.parent && (ts.isVariableDeclaration(holder.parent) || ts.isVariableDeclarationList(holder.parent) || ts.isVariableStatement(holder.parent) || ts.isPropertyAssignment(holder.parent) || ts.isExportAssignment(holder.parent))) holder = holder.parent;
  return (ts.getLeadingCommentRanges(text, holder.getFullStart()) ?? []).map((r) => text.slice(r.pos, r.end)).join('\n');
}

export function jsFunctionAt(text: string, fileName: string, line: number): FunctionSource | undefined {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, /\.[cm]?tsx?$/.test(fileName) ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  let best: ts.FunctionLikeDeclaration | undefined;
  const visit = (n: ts.Node) => {
    if ((ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n)) && n.body) {
      if (lineOf(sf, n.getStart()) <= line && line <= lineOf(sf, n.getEnd())) best = n;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const fn = best;
  if (!fn) return undefined;
  const returns: FunctionSource['returns'] = [];
  const walk = (n: ts.Node) => {
    if (n !== fn && ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n)) returns.push({ line: lineOf(sf, n.getStart()), expr: n.expression?.getText() ?? '' });
    ts.forEachChild(n, walk);
  };
  if (fn.body && !ts.isBlock(fn.body)) returns.push({ line: lineOf(sf, fn.body.getStart()), expr: fn.body.getText() });
  else if (fn.body) walk(fn.body);
  const declared = fn.type?.getText() ?? ts.getJSDocReturnType(fn)?.getText();
  const name = fn.name && ts.isIdentifier(fn.name) ? fn.name.text : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : '(anonymous)';
  return {
    name,
    language: 'js',
    startLine: lineOf(sf, fn.getStart()),
    endLine: lineOf(sf, fn.getEnd()),
    doc: jsDoc(text, fn),
    params: fn.parameters.map((p) => p.name.getText()),
    ...(declared ? { declaredReturn: declared } : {}),
    returns,
  };
}

const indent = (s: string) => /^[ \t]*/.exec(s)?.[0].length ?? 0;

export function pyFunctionAt(text: string, line: number): FunctionSource | undefined {
  const lines = text.split('\n');
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) {
    const m = /^([ \t]*)(?:async[ \t]+)?def[ \t]+(\w+)[ \t]*\(/.exec(lines[i] as string);
    if (!m) continue;
    const base = (m[1] as string).length;
    // The signature may span lines: it ends at the first line ending in `:`.
    let sigEnd = i;
    while (sigEnd < lines.length - 1 && !/:[ \t]*(#.*)?$/.test(lines[sigEnd] as string)) sigEnd++;
    let end = sigEnd;
    for (let j = sigEnd + 1; j < lines.length; j++) {
      const l = lines[j] as string;
      if (l.trim() === '') continue;
      if (indent(l) <= base) break;
      end = j;
    }
    if (end + 1 < line) return undefined; // the line is after this function: module level
    const signature = lines.slice(i, sigEnd + 1).join('\n');
    const paramText = /\(([\s\S]*)\)/.exec(signature)?.[1] ?? '';
    const params = paramText.split(',').map((p) => p.trim().split(/[:=]/)[0]?.replace(/^\*+/, '').trim() ?? '').filter((p) => p && p !== 'self' && p !== 'cls');
    const declared = /->\s*([^:]+?)\s*:[ \t]*(#.*)?$/.exec(signature)?.[1];
    const body = lines.slice(sigEnd + 1, end + 1).join('\n');
    const doc = /^\s*[rRuU]?("""|''')([\s\S]*?)\1/.exec(body)?.[2] ?? '';
    const returns: FunctionSource['returns'] = [];
    for (let j = sigEnd + 1; j <= end; j++) {
      const r = /^[ \t]*return\b[ \t]*(.*?)[ \t]*(#.*)?$/.exec(lines[j] as string);
      if (r) returns.push({ line: j + 1, expr: r[1] ?? '' });
    }
    return { name: m[2] as string, language: 'python', startLine: i + 1, endLine: end + 1, doc, params, ...(declared ? { declaredReturn: declared.trim() } : {}), returns };
  }
  return undefined;
}

export function functionAt(text: string, fileName: string, line: number): FunctionSource | undefined {
  return fileName.endsWith('.py') ? pyFunctionAt(text, line) : jsFunctionAt(text, fileName, line);
}
