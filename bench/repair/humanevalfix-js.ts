// HumanEvalFix JavaScript rows → repository files. The buggy function is `prompt + buggy_solution`
// in solution.js (CommonJS, exporting every top-level binding). The row's tests call
// `console.assert`, which only prints in Node; they become node:test tests with `assert.ok`.
import ts from 'typescript';
import type { HumanEvalFixRow } from './humanevalfix-python.ts';

/** Top-level `const f = …` / `function f` names of the solution, exported for the tests. */
export function topLevelNames(source: string): string[] {
  const sf = ts.createSourceFile('solution.js', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const names: string[] = [];
  for (const s of sf.statements) {
    if (ts.isFunctionDeclaration(s) && s.name) names.push(s.name.text);
    if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
  }
  return [...new Set(names)];
}

export function jsSolution(row: HumanEvalFixRow): string {
  const code = `${row.prompt}${row.buggy_solution}`.replace(/\s+$/, '');
  return `${code}\n\nmodule.exports = { ${topLevelNames(code).join(', ')} };\n`;
}

/** `console.assert(x, …)` → `assert.ok(x, …)`: the same check, but one that throws. */
export function toNodeAssert(code: string): string {
  return code.replace(/\bconsole\.assert\s*\(/g, 'assert.ok(');
}

const indent = (code: string, by = '  ') =>
  code
    .split('\n')
    .map((l) => (l.trim() ? by + l : l))
    .join('\n');

/** A node:test file running `bodies` (plain statements) as one test. */
export function jsTestFile(testName: string, names: readonly string[], bodies: readonly string[]): string {
  return [
    "'use strict';",
    "const test = require('node:test');",
    "const assert = require('node:assert/strict');",
    `const { ${names.join(', ')} } = require('./solution.js');`,
    '',
    `test('${testName}', () => {`,
    ...bodies.map((b) => indent(toNodeAssert(b).trimEnd())),
    '});',
    '',
  ].join('\n');
}

export interface JsSplitCase {
  /** Statements that run the one assertion (with the setup before it) when placed in a test body. */
  source: string;
  assertion: string;
}

/**
 * One case per top-level `console.assert(…)` in the row's test function, with the statements
 * that precede it in that function (helpers, loops' setup) as its setup; then one per statement
 * holding assertions inside it.
 */
export function jsAssertionCases(row: HumanEvalFixRow): JsSplitCase[] {
  const sf = ts.createSourceFile('test.js', row.test, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  let body: readonly ts.Statement[] | undefined;
  for (const s of sf.statements) {
    if (!ts.isVariableStatement(s)) continue;
    for (const d of s.declarationList.declarations) {
      const init = d.initializer;
      if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && ts.isBlock(init.body)) body = init.body.statements;
    }
  }
  if (!body) return [];
  const cases: JsSplitCase[] = [];
  const compound: JsSplitCase[] = [];
  const setup: string[] = [];
  const wrap = (text: string) => ['const hiddenCase = () => {', ...setup.map((s) => indent(s)), indent(text), '}', 'hiddenCase()'].join('\n');
  for (const stmt of body) {
    const text = stmt.getText(sf);
    const isAssert =
      ts.isExpressionStatement(stmt) && ts.isCallExpression(stmt.expression) && stmt.expression.expression.getText(sf) === 'console.assert';
    if (isAssert) {
      cases.push({ assertion: text, source: wrap(text) });
    } else {
      // A loop holding assertions is a case too, tried only after every plain assertion.
      if (/\bconsole\.assert\s*\(/.test(text)) compound.push({ assertion: text, source: wrap(text) });
      setup.push(text);
    }
  }
  return [...cases, ...compound];
}
