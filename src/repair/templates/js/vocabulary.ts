// The wider vocabulary families (issue 18): a literal → another literal of the function (or its
// reciprocal/double/half, `' '` ↔ `''`, `[]` ↔ `[[]]`), a called method → its sibling
// (`push`/`unshift`, `startsWith`/`endsWith`, `Math.floor`/`Math.ceil`), every boolean a function
// returns (or assigns to one variable) flipped together, and a variable → an expression the
// function already computes (`mean` → `numbers.length`).
import ts from 'typescript';
import { candidate, functionAt, replaceNode, src, type JsContext } from './context.ts';
import type { RawCandidate } from '../types.ts';

const K = ts.SyntaxKind;

/** Methods and functions taking the same arguments that differ in one decision. */
const SIBLINGS: Record<string, string[]> = {
  push: ['unshift'], unshift: ['push'], pop: ['shift'], shift: ['pop'],
  startsWith: ['endsWith'], endsWith: ['startsWith'],
  indexOf: ['lastIndexOf'], lastIndexOf: ['indexOf'], find: ['findLast'], findIndex: ['findLastIndex'],
  toLowerCase: ['toUpperCase'], toUpperCase: ['toLowerCase'],
  floor: ['ceil', 'round'], ceil: ['floor', 'round'], round: ['floor', 'ceil'], trunc: ['floor'],
  min: ['max'], max: ['min'], some: ['every'], every: ['some'],
  trimStart: ['trimEnd', 'trim'], trimEnd: ['trimStart', 'trim'], trim: ['trimStart', 'trimEnd'],
  padStart: ['padEnd'], padEnd: ['padStart'], slice: ['substring'], substring: ['slice'],
  filter: ['find'], reduce: ['reduceRight'], reduceRight: ['reduce'],
};

/** Pure functions whose calls may stand in for a variable. */
const PURE_CALLS = /^(?:Math\.\w+|Number|String|parseInt|parseFloat)$/;

interface Literals { numbers: Set<number>; strings: Set<string> }

function literalsOf(fn: ts.Node | undefined): Literals {
  const out: Literals = { numbers: new Set(), strings: new Set() };
  const visit = (n: ts.Node): void => {
    if (ts.isNumericLiteral(n)) out.numbers.add(Number(n.text));
    else if (ts.isStringLiteral(n) && n.text.length <= 3 && !ts.isImportDeclaration(n.parent)) out.strings.add(n.text);
    n.forEachChild(visit);
  };
  if (fn) visit(fn);
  return out;
}

const isFloatText = (t: string) => /[.eE]/.test(t);

function numberText(v: number, float: boolean): string {
  const t = String(v);
  return float && Number.isInteger(v) ? `${t}.0` : t;
}

/** An element of an array literal of more than three elements: data, not logic. */
const inTable = (n: ts.Node) => ts.isArrayLiteralExpression(n.parent) && n.parent.elements.length > 3;

/** At most `limit` options, nearest to `v` first. */
const nearest = (options: Iterable<number>, v: number, limit: number) =>
  [...options].filter((o) => o !== v && Number.isFinite(o)).sort((a, b) => Math.abs(a - v) - Math.abs(b - v) || a - b).slice(0, limit);

/** The outermost function around the location: a nested helper shares its vocabulary (`j = 2`). */
function outermostFunction(ctx: JsContext): ts.Node | undefined {
  let outer: ts.Node | undefined = functionAt(ctx);
  for (let n = outer?.parent; n; n = n.parent) if (ts.isFunctionLike(n)) outer = n;
  return outer;
}

export function literalChange(ctx: JsContext): RawCandidate[] {
  const out: RawCandidate[] = [];
  const lits = literalsOf(outermostFunction(ctx));
  for (const n of ctx.nodes) {
    if (inTable(n)) continue;
    if (ts.isNumericLiteral(n)) {
      const v = Number(n.text);
      const float = isFloatText(n.text);
      const options = float && v !== 0 ? new Set([1 / v, v * 2, v / 2, ...lits.numbers]) : new Set([...lits.numbers].filter((o) => Math.abs(o - v) > 1));
      for (const o of nearest(options, v, float ? 4 : 3)) {
        const text = numberText(o, float);
        out.push(candidate(ctx, 'literal-change', `${n.text} → ${text}`, [replaceNode(ctx, n, text)], n));
      }
    } else if (ts.isStringLiteral(n) && !ts.isImportDeclaration(n.parent) && !ts.isExternalModuleReference(n.parent)) {
      const quote = src(ctx, n)[0] ?? "'";
      const options = new Set([...(n.text === ' ' ? [''] : n.text === '' ? [' '] : []), ...lits.strings]);
      for (const o of [...options].filter((o) => o !== n.text && !o.includes(quote) && !o.includes('\\')).sort().slice(0, 3)) {
        out.push(candidate(ctx, 'literal-change', `${src(ctx, n)} → ${quote}${o}${quote}`, [replaceNode(ctx, n, `${quote}${o}${quote}`)], n));
      }
    } else if (ts.isArrayLiteralExpression(n)) {
      if (n.elements.length === 0) out.push(candidate(ctx, 'literal-change', '[] → [[]]', [replaceNode(ctx, n, '[[]]')], n));
      const only = n.elements[0];
      if (n.elements.length === 1 && only && ts.isArrayLiteralExpression(only) && only.elements.length === 0) {
        out.push(candidate(ctx, 'literal-change', '[[]] → []', [replaceNode(ctx, n, '[]')], n));
      }
    }
  }
  return out;
}

export function siblingCall(ctx: JsContext): RawCandidate[] {
  const out: RawCandidate[] = [];
  for (const n of ctx.nodes) {
    if (!ts.isCallExpression(n)) continue;
    const callee = n.expression;
    const name = ts.isPropertyAccessExpression(callee) ? callee.name : ts.isIdentifier(callee) ? callee : undefined;
    if (!name || !ts.isIdentifier(name)) continue;
    for (const to of SIBLINGS[name.text] ?? []) {
      out.push(candidate(ctx, 'sibling-call', `${name.text} → ${to} in ${src(ctx, n)}`, [replaceNode(ctx, name, to)], n));
    }
  }
  return out;
}

/** Groups of boolean literals that encode one decision: a function's returns, one variable's assignments. */
function booleanGroups(fn: ts.Node): Map<string, ts.Node[]> {
  const groups = new Map<string, ts.Node[]>();
  const add = (key: string, n: ts.Node) => groups.set(key, [...(groups.get(key) ?? []), n]);
  const isBool = (n: ts.Node | undefined): n is ts.Node => !!n && (n.kind === K.TrueKeyword || n.kind === K.FalseKeyword);
  const visit = (n: ts.Node): void => {
    if (n !== fn && ts.isFunctionLike(n)) return; // a nested function's returns are another decision
    if (ts.isReturnStatement(n) && isBool(n.expression)) add('the returned booleans', n.expression);
    else if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && isBool(n.initializer)) add(`the booleans assigned to ${n.name.text}`, n.initializer);
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind === K.EqualsToken && ts.isIdentifier(n.left) && isBool(n.right)) {
      add(`the booleans assigned to ${n.left.text}`, n.right);
    }
    n.forEachChild(visit);
  };
  fn.forEachChild(visit);
  return groups;
}

export function flipBooleans(ctx: JsContext): RawCandidate[] {
  const fn = functionAt(ctx);
  if (!fn) return [];
  const onLine = new Set(ctx.nodes);
  const out: RawCandidate[] = [];
  for (const [what, lits] of [...booleanGroups(fn)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (lits.length < 2 || !lits.some((l) => onLine.has(l))) continue;
    const edits = lits.map((l) => replaceNode(ctx, l, l.kind === K.TrueKeyword ? 'false' : 'true'));
    out.push(candidate(ctx, 'flip-booleans', `flip ${what}`, edits));
  }
  return out;
}

/** Property reads (`xs.length`) and pure calls (`Math.max(a, b)`) of the function, off the ranked line. */
function expressionsOf(ctx: JsContext, fn: ts.Node): string[] {
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    const off = ctx.sf.getLineAndCharacterOfPosition(n.getStart(ctx.sf)).line + 1 !== ctx.line;
    const p = n.parent;
    const standalone = !(ts.isCallExpression(p) && p.expression === n) && !ts.isPropertyAccessExpression(p) && !(ts.isBinaryExpression(p) && p.left === n && p.operatorToken.kind === K.EqualsToken);
    const pure = ts.isCallExpression(n) ? n.arguments.length > 0 && PURE_CALLS.test(src(ctx, n.expression)) : ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && n.expression.text !== 'Math';
    if (off && standalone && pure) {
      const text = src(ctx, n);
      if (text.length <= 30 && !text.includes('\n') && !out.includes(text)) out.push(text);
    }
    n.forEachChild(visit);
  };
  fn.forEachChild(visit);
  return out;
}

export function expressionReplace(ctx: JsContext): RawCandidate[] {
  const fn = functionAt(ctx);
  if (!fn) return [];
  const exprs = expressionsOf(ctx, fn);
  const out: RawCandidate[] = [];
  for (const n of ctx.nodes) {
    if (!ts.isIdentifier(n)) continue;
    const p = n.parent;
    if (ts.isPropertyAccessExpression(p) || (ts.isCallExpression(p) && p.expression === n)) continue;
    if (ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionLike(p) || ts.isBindingElement(p)) continue;
    if (ts.isBinaryExpression(p) && p.left === n && p.operatorToken.kind >= K.FirstAssignment && p.operatorToken.kind <= K.LastAssignment) continue;
    if (ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) continue;
    for (const e of exprs.filter((e) => !new RegExp(`(?<![\\w$])${n.text.replace(/\$/g, '\\$')}(?![\\w$])`).test(e)).slice(0, 4)) {
      out.push(candidate(ctx, 'expression-replace', `${n.text} → ${e}`, [replaceNode(ctx, n, e)], n));
    }
  }
  return out;
}
