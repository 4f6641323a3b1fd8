// The source of a synthesized JS/TS test. It asserts nothing about the right answer: it calls the
// function the way production did, so while the bug is there it throws production's exception,
// and once fixed it returns. Production text only ever enters as JSON string literals or as
// comment text stripped of line terminators.
import type { JsExport, JsFunction } from './js-module.ts';
import { importSpecifier, type JsTestStyle } from './js-style.ts';
import { jsLiteral, jsString } from '../values/js-literal.ts';
import { jsStubSource, type JsStub } from './js-stubs.ts';
import type { JsValue } from '../values/locals.ts';

export interface JsArg {
  /** The parameter's name (or a made-up one for a destructuring pattern). */
  name: string;
  value: JsValue;
  /** Left out: the parameter has a default and production's value is unknown. */
  omitted?: boolean;
  /** A rest parameter: the value is an array spread into the call. */
  spread?: boolean;
  /** A fixed stand-in (the response, `next`) instead of `value`; never production data. */
  stub?: JsStub;
}

export interface JsTestInput {
  style: JsTestStyle;
  sourceFile: string;
  fn: JsFunction;
  exportForm: JsExport;
  args: JsArg[];
  /** Lines of the header comment (production text allowed: it is sanitized here). */
  header: string[];
  title: string;
}

const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await async arguments eval undefined test it describe expect assert'.split(' '),
);

/** One line of comment text: no line terminators, no control characters. */
export function commentText(text: string, max = 160): string {
  const one = text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ').replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(name) && !RESERVED.has(name);
}

/** The local name the test binds the import to, and the expression that calls the function. */
function binding(fn: JsFunction, form: JsExport): { local: string; callee: string } {
  const exported = form.kind === 'esm-named' || form.kind === 'cjs-named' ? form.name : undefined;
  const owner = fn.kind === 'static-method' ? (fn.className ?? 'Target') : fn.name;
  const local = exported && isIdentifier(exported) ? exported : isIdentifier(owner) ? owner : 'target';
  return { local, callee: fn.kind === 'static-method' ? `${local}.${fn.name}` : local };
}

function importLines(style: JsTestStyle, form: JsExport, local: string, spec: string): string[] {
  const s = jsString(spec, style.quote);
  const name = form.kind === 'esm-named' || form.kind === 'cjs-named' ? form.name : 'default';
  const named = name === local ? local : `${name}: ${local}`;
  if (style.module === 'esm') {
    if (form.kind === 'esm-named') return [`import { ${name === local ? local : `${name} as ${local}`} } from ${s};`];
    if (form.kind === 'cjs-named') return [`import targetModule from ${s};`, '', `const { ${named} } = targetModule;`];
    return [`import ${local} from ${s};`];
  }
  if (form.kind === 'esm-default') return [`const ${local} = require(${s}).default;`];
  if (form.kind === 'cjs-default') return [`const ${local} = require(${s});`];
  return [`const { ${named} } = require(${s});`];
}

function apiLines(style: JsTestStyle): string[] {
  if (!style.apiImport) return [];
  const s = jsString(style.apiImport, style.quote);
  return [style.module === 'esm' ? `import { ${style.testFn} } from ${s};` : `const { ${style.testFn} } = require(${s});`];
}

export function renderJsTest(input: JsTestInput): string {
  const { style, fn, exportForm, args } = input;
  const { local, callee } = binding(fn, exportForm);
  const ts = /\.[cm]?tsx?$/.test(style.suffix);
  const taken = new Set([local, 'targetModule', style.testFn]);
  const decls: string[] = [];
  const callArgs: string[] = [];
  // Trailing omitted parameters are simply not passed; an omitted one before a passed one is undefined.
  const lastPassed = args.reduce((last, a, i) => (a.omitted ? last : i), -1);
  args.forEach((a, i) => {
    if (i > lastPassed) return;
    if (a.omitted) {
      callArgs.push('undefined');
      return;
    }
    let name = isIdentifier(a.name) ? a.name : `arg${i + 1}`;
    while (taken.has(name)) name = `${name}Input`;
    taken.add(name);
    decls.push(`  const ${name}${ts ? ': any' : ''} = ${a.stub ? jsStubSource(a.stub, ts, style.quote) : jsLiteral(a.value, '  ', style.quote)};`);
    callArgs.push(a.spread ? `...${name}` : name);
  });
  const lines = [
    ...input.header.map((h) => `// ${commentText(h, 200)}`),
    ...apiLines(style),
    ...importLines(style, exportForm, local, importSpecifier(style, input.sourceFile)),
    '',
    `${style.testFn}(${jsString(input.title, style.quote)}, async () => {`,
    ...decls,
    `  await ${callee}(${callArgs.join(', ')});`,
    '});',
    '',
  ];
  return lines.join('\n');
}
