// The source of a synthesized pytest or unittest test: import the function the way the existing
// tests import code, rebuild its arguments from production's values (re-emitted from parsed
// values, never copied from repr text), and call it. No assertion about the right answer.
import type { PyFunction } from './python-module.ts';
import type { PyTestStyle } from './py-style.ts';
import { commentText } from './js-render.ts';
import { pythonSource } from '../values/python-render.ts';
import { importsOf, type PyValue } from '../values/python-value.ts';

export interface PyArg {
  name: string;
  value: PyValue;
  /** How it is passed: by position, by keyword, or unpacked (*args / **kwargs). */
  pass: 'positional' | 'keyword' | 'star' | 'starstar';
}

export interface PyTestInput {
  style: PyTestStyle;
  /** Dotted module of the function's file. */
  module: string;
  fn: PyFunction;
  args: PyArg[];
  header: string[];
  /** Test function (pytest) or test class suffix (unittest) name part: lowercase alphanumerics. */
  shortId: string;
  /** Directory depth of the test file below the workspace root (for the sys.path fallback). */
  depth: number;
}

const KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield self cls'.split(' '),
);

export function renderPyTest(input: PyTestInput): string {
  const { fn, style, args } = input;
  const callable = fn.class && (fn.kind === 'staticmethod' || fn.kind === 'classmethod') ? fn.class : fn.name;
  const callee = callable === fn.name ? fn.name : `${callable}.${fn.name}`;
  const imports = new Set<string>();
  for (const a of args) importsOf(a.value, imports);
  if (fn.async) imports.add('import asyncio');
  if (style.framework === 'unittest') imports.add('import unittest');
  const pathFix = style.moduleRoot === null;
  if (pathFix) {
    imports.add('import pathlib');
    imports.add('import sys');
  }
  const taken = new Set([callable, 'asyncio', 'unittest', 'pathlib', 'sys', 'datetime', 'decimal', 'uuid', 'Decimal', 'UUID']);
  const indent = style.framework === 'unittest' ? '        ' : '    ';
  const decls: string[] = [];
  const parts: string[] = [];
  for (const a of args) {
    let name = /^[A-Za-z_]\w*$/.test(a.name) && !KEYWORDS.has(a.name) ? a.name : 'value';
    while (taken.has(name)) name = `${name}_input`;
    taken.add(name);
    decls.push(`${indent}${name} = ${pythonSource(a.value)}`);
    parts.push(a.pass === 'keyword' ? `${a.name}=${name}` : a.pass === 'star' ? `*${name}` : a.pass === 'starstar' ? `**${name}` : name);
  }
  const call = `${callee}(${parts.join(', ')})`;
  const body = [...decls, `${indent}${fn.async ? `asyncio.run(${call})` : call}`];
  const importBlock = [...imports].sort((a, b) => Number(a.startsWith('from ')) - Number(b.startsWith('from ')) || (a < b ? -1 : 1));
  const lines = [
    ...input.header.map((h) => `# ${commentText(h, 200)}`),
    ...importBlock,
    ...(pathFix ? ['', `sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[${input.depth}]))`, ''] : []),
    `from ${input.module} import ${callable}`,
    '',
    '',
  ];
  if (style.framework === 'unittest') {
    lines.push(`class TracefixIncident${input.shortId.toUpperCase()}Test(unittest.TestCase):`, '    def test_reproduces_incident(self):', ...body);
  } else {
    lines.push(`def test_tracefix_${input.shortId}():`, ...body);
  }
  lines.push('');
  return lines.join('\n');
}
