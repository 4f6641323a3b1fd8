// A selection signal (select.ts): the names a patch leaves computed but never read. When the
// original function reads a name (a loop variable, a local it computed) and the patched function
// no longer does, the patch threw away something the author wrote for a reason: `distance = elem -
// elem2` → `distance = elem - idx` passes a weak test and leaves `elem2` bound but unread, where
// `abs(elem - elem2)` keeps every name in use. Among validated candidates that agree equally with
// the contract, one that orphans no name is the likelier fix; nothing is rejected for it.
import ts from 'typescript';
import { unifiedDiff } from './templates/unified-diff.ts';

const SOURCE = /\.(py|[cm]?[jt]sx?)$/;
const KEYWORDS = new Set(
  ('and as assert async await break case catch class const continue def default del delete do elif else except export extends false ' +
    'finally for from function global if import in instanceof is lambda let new nonlocal none not null of or pass raise return self ' +
    'super switch this throw true try typeof undefined var void while with yield True False None').split(' '),
);

/** The code's identifiers and how often each occurs, strings and comments left out. */
function identifierCounts(code: string, language: 'js' | 'python'): Map<string, number> {
  const stripped =
    language === 'python'
      ? code.replace(/("""|''')[\s\S]*?\1|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|#[^\n]*/g, ' ')
      : code.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|`(?:\\.|[^`\\])*`|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g, ' ');
  const counts = new Map<string, number>();
  for (const m of stripped.matchAll(/(?<![\w$.])[A-Za-z_$][\w$]*/g)) {
    if (!KEYWORDS.has(m[0])) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
  }
  return counts;
}

function firstChangedLine(file: string, before: string, after: string): number | undefined {
  const h = /^@@ -(\d+)(?:,(\d+))? \+(\d+)/m.exec(unifiedDiff(file, before, after, 0));
  return h ? Math.max(1, Number(h[1]) + (h[2] === '0' ? 1 : 0)) : undefined;
}

/** The outermost function around `line` (1-based), as source text: names are bound in outer
 * scopes too, so a callback's body alone would miss them. */
function outermostFunction(text: string, file: string, line: number): string | undefined {
  if (file.endsWith('.py')) {
    const lines = text.split('\n');
    const indent = (l: string) => l.length - l.trimStart().length;
    for (let k = 0; k < line; k++) {
      const l = lines[k] ?? '';
      if (!/^\s*(async\s+)?def\s/.test(l)) continue;
      let end = k + 1;
      while (end < lines.length && ((lines[end] ?? '').trim() === '' || indent(lines[end] ?? '') > indent(l))) end++;
      if (end >= line) return lines.slice(k, end).join('\n');
      k = end - 1;
    }
    return undefined;
  }
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, /\.[cm]?tsx?$/.test(file) ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1;
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isFunctionLike(n) && lineOf(n.getStart(sf)) <= line && line <= lineOf(n.getEnd())) {
      found = n;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found ? text.slice(found.getStart(sf), found.getEnd()) : undefined;
}

/**
 * Names that the changed function reads in the original (they occur at least twice: bound and
 * read) and that occur at most once in the patched function (bound, never read), per file.
 */
export function orphanedNames(files: ReadonlyMap<string, string>, originals: ReadonlyMap<string, string | undefined>): string[] {
  const out: string[] = [];
  for (const [file, after] of files) {
    const before = originals.get(file);
    if (before === undefined || !SOURCE.test(file)) continue;
    const line = firstChangedLine(file, before, after);
    const fnBefore = line ? outermostFunction(before, file, line) : undefined;
    const fnAfter = line ? outermostFunction(after, file, line) : undefined;
    if (!fnBefore || !fnAfter) continue;
    const language = file.endsWith('.py') ? 'python' : 'js';
    const was = identifierCounts(fnBefore, language);
    const now = identifierCounts(fnAfter, language);
    for (const [name, n] of was) if (n >= 2 && (now.get(name) ?? 0) <= 1) out.push(name);
  }
  return out;
}
