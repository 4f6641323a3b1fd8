// What a synthesized JS/TS test needs to know about a module: its functions (name, lines,
// parameters, async) and how each can be imported (ESM named/default, CommonJS named/whole).
// Read with the TypeScript compiler's parser, which handles JS and TS alike and runs nothing.
import ts from 'typescript';

export interface JsParam {
  /** The binding name; absent for a destructuring pattern. */
  name?: string;
  rest: boolean;
  /** Has a default or `?`: may be left out. */
  optional: boolean;
  /** `{ a, b: c }` → keys a (bound to a) and b (bound to c); `[x, y]` → names. */
  pattern?: { kind: 'object'; keys: { key: string; name: string }[] } | { kind: 'array'; names: (string | undefined)[] };
  /** The declared type as written (TypeScript annotation or JSDoc `@param {T}`), for the input search. */
  type?: string;
  /** The default value's source text, for the input search's type. */
  defaultText?: string;
}

export type JsExport =
  | { kind: 'esm-named'; name: string }
  | { kind: 'esm-default' }
  | { kind: 'cjs-named'; name: string }
  /** `module.exports = f`: the module is the function (or class). */
  | { kind: 'cjs-default' };

export interface JsFunction {
  name: string;
  /** `Class.method` for methods; equals name otherwise. */
  qualifiedName: string;
  startLine: number;
  endLine: number;
  params: JsParam[];
  async: boolean;
  kind: 'function' | 'method' | 'static-method';
  className?: string;
  /** How the function (or, for a static method, its class) is imported; absent when it is not exported. */
  export?: JsExport;
  /** Defined inside another function: never importable. */
  nested: boolean;
}

export interface JsModuleInfo {
  moduleKind: 'esm' | 'cjs';
  functions: JsFunction[];
}

function scriptKind(fileName: string): ts.ScriptKind {
  if (/\.tsx$/.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/.test(fileName)) return ts.ScriptKind.TS;
  if (/\.jsx$/.test(fileName)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

function params(node: ts.SignatureDeclaration): JsParam[] {
  const out: JsParam[] = [];
  for (const p of node.parameters) {
    if (ts.isIdentifier(p.name) && p.name.text === 'this') continue; // TS `this` parameter
    const declared = p.type?.getText() ?? ts.getJSDocType(p)?.getText();
    const base = {
      rest: p.dotDotDotToken !== undefined,
      optional: p.initializer !== undefined || p.questionToken !== undefined,
      ...(declared ? { type: declared.slice(0, 200) } : {}),
      ...(p.initializer ? { defaultText: p.initializer.getText().slice(0, 200) } : {}),
    };
    if (ts.isIdentifier(p.name)) out.push({ ...base, name: p.name.text });
    else if (ts.isObjectBindingPattern(p.name)) {
      const keys = p.name.elements.flatMap((e) => {
        if (!ts.isIdentifier(e.name)) return [];
        const key = e.propertyName && (ts.isIdentifier(e.propertyName) || ts.isStringLiteral(e.propertyName)) ? e.propertyName.text : e.name.text;
        return [{ key, name: e.name.text }];
      });
      out.push({ ...base, pattern: { kind: 'object', keys } });
    } else {
      const names = p.name.elements.map((e) => (ts.isBindingElement(e) && ts.isIdentifier(e.name) ? e.name.text : undefined));
      out.push({ ...base, pattern: { kind: 'array', names } });
    }
  }
  return out;
}

const hasModifier = (node: ts.Node, kind: ts.SyntaxKind) => (ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []).some((m) => m.kind === kind) : false);

/** `module.exports`, `exports`, `module.exports.x`, `exports.x` → the exported name ('' for the whole). */
function cjsTarget(expr: ts.Expression): string | undefined {
  const text = expr.getText();
  if (text === 'module.exports') return '';
  const m = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(text) ?? /^(?:module\.)?exports\[['"]([^'"]+)['"]\]$/.exec(text);
  return m?.[1];
}

function isFunctionLike(node: ts.Node | undefined): node is ts.FunctionExpression | ts.ArrowFunction {
  return node !== undefined && (ts.isFunctionExpression(node) || ts.isArrowFunction(node));
}

export function analyzeJsModule(source: string, fileName: string, packageType?: 'module' | 'commonjs'): JsModuleInfo {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, scriptKind(fileName));
  const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const functions: JsFunction[] = [];
  /** local name → export form (ESM export lists, CommonJS assignments of identifiers). */
  const exportsByLocal = new Map<string, JsExport>();
  let esm = false;
  let cjs = false;
  let depth = 0;

  const add = (node: ts.SignatureDeclaration, name: string, extra: Partial<JsFunction> = {}) => {
    functions.push({
      name,
      qualifiedName: extra.className ? `${extra.className}.${name}` : name,
      startLine: lineOf(node.getStart(sf)),
      endLine: lineOf(node.getEnd()),
      params: params(node),
      async: hasModifier(node, ts.SyntaxKind.AsyncKeyword),
      kind: 'function',
      nested: depth > 0,
      ...extra,
    });
  };

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isExportAssignment(node)) esm = true;
    if (hasModifier(node, ts.SyntaxKind.ExportKeyword)) esm = true;
    const exported = depth === 0 && hasModifier(node, ts.SyntaxKind.ExportKeyword);
    const isDefault = hasModifier(node, ts.SyntaxKind.DefaultKeyword);

    if (ts.isFunctionDeclaration(node) && node.body) {
      const name = node.name?.text ?? 'default';
      add(node, name, exported ? { export: isDefault ? { kind: 'esm-default' } : { kind: 'esm-named', name } } : {});
    } else if (ts.isVariableStatement(node)) {
      for (const d of node.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && isFunctionLike(d.initializer)) {
          add(d.initializer, d.name.text, exported ? { export: { kind: 'esm-named', name: d.name.text } } : {});
        } else if (ts.isIdentifier(d.name) && exported) {
          exportsByLocal.set(d.name.text, { kind: 'esm-named', name: d.name.text });
        }
      }
      // Functions inside an initializer (a function's body, an object literal) are not importable by name.
      for (const d of node.declarationList.declarations) if (d.initializer) visitChildren(isFunctionLike(d.initializer) ? d.initializer.body : d.initializer);
      return;
    } else if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      const className = node.name?.text ?? 'default';
      if (ts.isClassDeclaration(node) && exported) exportsByLocal.set(className, isDefault ? { kind: 'esm-default' } : { kind: 'esm-named', name: className });
      for (const m of node.members) {
        if ((ts.isMethodDeclaration(m) || ts.isConstructorDeclaration(m)) && m.body) {
          const name = ts.isConstructorDeclaration(m) ? 'constructor' : m.name.getText(sf);
          const isStatic = hasModifier(m, ts.SyntaxKind.StaticKeyword);
          add(m, name, { className, kind: isStatic ? 'static-method' : 'method' });
          depth++;
          ts.forEachChild(m.body, visit);
          depth--;
        }
      }
      return;
    } else if (ts.isExportDeclaration(node) && node.exportClause && ts.isNamedExports(node.exportClause) && !node.moduleSpecifier) {
      for (const e of node.exportClause.elements) {
        const local = (e.propertyName ?? e.name).getText(sf);
        exportsByLocal.set(local, e.name.getText(sf) === 'default' ? { kind: 'esm-default' } : { kind: 'esm-named', name: e.name.getText(sf) });
      }
    } else if (ts.isExportAssignment(node) && !node.isExportEquals && ts.isIdentifier(node.expression)) {
      exportsByLocal.set(node.expression.text, { kind: 'esm-default' });
    } else if (depth === 0 && ts.isExpressionStatement(node) && ts.isBinaryExpression(node.expression) && node.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const target = cjsTarget(node.expression.left);
      const right = node.expression.right;
      if (target !== undefined) {
        cjs = true;
        cjsAssignment(target, right);
        return;
      }
    }
    if (ts.isFunctionLike(node)) {
      depth++;
      ts.forEachChild(node, visit);
      depth--;
      return;
    }
    ts.forEachChild(node, visit);
  };

  const visitChildren = (node: ts.Node) => {
    depth++;
    ts.forEachChild(node, visit);
    depth--;
  };

  const cjsAssignment = (target: string, right: ts.Expression) => {
    const form: JsExport = target === '' ? { kind: 'cjs-default' } : { kind: 'cjs-named', name: target };
    if (isFunctionLike(right)) {
      add(right, target || (ts.isFunctionExpression(right) && right.name ? right.name.text : 'default'), { export: form });
      visitChildren(right.body);
    } else if (ts.isIdentifier(right)) {
      exportsByLocal.set(right.text, form);
    } else if (target === '' && ts.isObjectLiteralExpression(right)) {
      for (const p of right.properties) {
        if (ts.isShorthandPropertyAssignment(p)) exportsByLocal.set(p.name.text, { kind: 'cjs-named', name: p.name.text });
        else if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.initializer)) exportsByLocal.set(p.initializer.text, { kind: 'cjs-named', name: p.name.getText(sf) });
        else if (ts.isPropertyAssignment(p) && isFunctionLike(p.initializer)) add(p.initializer, p.name.getText(sf), { export: { kind: 'cjs-named', name: p.name.getText(sf) } });
        else if (ts.isMethodDeclaration(p) && p.body) add(p, p.name.getText(sf), { export: { kind: 'cjs-named', name: p.name.getText(sf) } });
      }
    } else if (ts.isClassExpression(right)) {
      visit(right);
      exportsByLocal.set(right.name?.text ?? 'default', form);
    } else {
      visitChildren(right);
    }
  };

  ts.forEachChild(sf, visit);
  for (const f of functions) {
    if (f.export || f.nested) continue;
    const owner = f.kind === 'function' ? f.name : f.className;
    const form = owner ? exportsByLocal.get(owner) : undefined;
    // For methods this is the class's export: whether a method is callable is the caller's call.
    if (form) f.export = form;
  }
  // Node's own order: the extension, then the syntax, then package.json's "type".
  const byExtension = /\.m[jt]s$/.test(fileName) ? 'esm' : /\.c[jt]s$/.test(fileName) ? 'cjs' : undefined;
  const moduleKind = byExtension ?? (esm ? 'esm' : cjs ? 'cjs' : packageType === 'module' ? 'esm' : 'cjs');
  return { moduleKind, functions };
}

/** The frame's function name as V8 and Sentry print it → [class or receiver, function]. */
export function splitFunctionName(raw: string | undefined): { receiver?: string; name: string } {
  const cleaned = (raw ?? '').replace(/^(async|new)\s+/, '').replace(/\s\[as [^\]]+\]$/, '').trim();
  const parts = cleaned.split('.');
  const name = parts.at(-1) ?? '';
  const receiver = parts.length > 1 ? parts.at(-2) : undefined;
  return { ...(receiver && !['Object', 'exports', 'module', 'Module'].includes(receiver) ? { receiver } : {}), name };
}

/** The function a production frame ran: by name (the one containing the line when several share
 * it), else, for anonymous frames, the innermost function containing the line. */
export function findJsFunction(info: JsModuleInfo, frameFunction: string | undefined, line: number | undefined): JsFunction | undefined {
  const { receiver, name } = splitFunctionName(frameFunction);
  const contains = (f: JsFunction) => line !== undefined && f.startLine <= line && line <= f.endLine;
  const innermost = (list: JsFunction[]) => [...list].sort((a, b) => a.endLine - a.startLine - (b.endLine - b.startLine))[0];
  if (name && name !== '<anonymous>') {
    let named = info.functions.filter((f) => f.name === name);
    if (receiver && named.some((f) => f.className === receiver)) named = named.filter((f) => f.className === receiver);
    return innermost(named.filter(contains)) ?? named[0];
  }
  return innermost(info.functions.filter(contains));
}
