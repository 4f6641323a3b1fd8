// Test synthesis output: the style read from an existing test, and the rendered test source for
// each framework. Rendered JS is also compiled (syntax only) so a style combination never
// produces a file the runner cannot load.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { analyzeJsModule } from '../../../src/reproduce/synthesize/js-module.ts';
import { commentText, renderJsTest } from '../../../src/reproduce/synthesize/js-render.ts';
import { detectJsStyle, importSpecifier, type JsFramework } from '../../../src/reproduce/synthesize/js-style.ts';
import { jsStubSource } from '../../../src/reproduce/synthesize/js-stubs.ts';
import { renderPyTest } from '../../../src/reproduce/synthesize/py-render.ts';
import { detectPyStyle, moduleName } from '../../../src/reproduce/synthesize/py-style.ts';
import { shortIncidentId } from '../../../src/reproduce/synthesize/naming.ts';
import type { PyFunction } from '../../../src/reproduce/synthesize/python-module.ts';
import { repoConfig } from './helpers.ts';

const JS_GLOBS = ['**/*.test.{js,ts}', '**/*.spec.{js,ts}', '**/test/**/*.{js,ts}'];
const FILES = ['src/cart.js', 'src/dates.ts', 'test/cart.test.js', 'package.json'];

function assertParses(source: string, file: string): void {
  const out = ts.transpileModule(source, { fileName: file, reportDiagnostics: true, compilerOptions: { allowJs: true } });
  assert.deepEqual(out.diagnostics?.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')) ?? [], [], source);
}

describe('JS test style', () => {
  it('copies a CommonJS node:test file: require, extension kept, single quotes', () => {
    const style = detectJsStyle({
      config: repoConfig('node-test', JS_GLOBS),
      framework: 'node-test',
      example: { file: 'test/cart.test.js', text: "const { test } = require('node:test');\nconst { checkout } = require('../src/cart.js');\n" },
      sourceFile: 'src/cart.js',
      workspaceFiles: FILES,
    });
    assert.deepEqual(style, { framework: 'node-test', dir: 'test', module: 'cjs', suffix: '.test.js', importExt: 'same', apiImport: 'node:test', testFn: 'test', quote: "'", example: 'test/cart.test.js' });
    assert.equal(importSpecifier(style, 'src/cart.js'), '../src/cart.js');
  });

  it('reads ESM, `.js` specifiers for `.ts` files, extensionless imports and vitest/jest API imports', () => {
    const files = ['src/dates.ts', 'src/cart.js', 'tests/unit/dates.spec.ts'];
    const vitest = detectJsStyle({
      config: repoConfig('vitest', JS_GLOBS),
      framework: 'vitest',
      example: { file: 'tests/unit/dates.spec.ts', text: 'import { it, expect } from "vitest";\nimport { x } from "../../src/dates.js";\n' },
      sourceFile: 'src/dates.ts',
      workspaceFiles: files,
    });
    assert.equal(vitest.module, 'esm');
    assert.equal(vitest.suffix, '.spec.ts');
    assert.equal(vitest.importExt, 'js-for-ts');
    assert.equal(vitest.apiImport, 'vitest');
    assert.equal(vitest.quote, '"');
    assert.equal(vitest.testFn, 'it');
    assert.equal(importSpecifier(vitest, 'src/dates.ts'), '../../src/dates.js');
    const jest = detectJsStyle({
      config: repoConfig('jest', JS_GLOBS),
      framework: 'jest',
      example: { file: 'src/cart.test.js', text: "const { checkout } = require('./cart');\ntest('x', () => {});\n" },
      sourceFile: 'src/cart.js',
      workspaceFiles: [...files, 'src/cart.test.js'],
    });
    assert.deepEqual([jest.module, jest.importExt, jest.apiImport, jest.dir], ['cjs', 'none', null, 'src']);
    assert.equal(importSpecifier(jest, 'src/cart.js'), './cart');
  });

  it('renames the file when the example name would not match the test globs', () => {
    const style = detectJsStyle({
      config: repoConfig('mocha', ['test/**/*.spec.js']),
      framework: 'mocha',
      example: { file: 'test/cart.js', text: "const { checkout } = require('../src/cart.js');\nit('x', () => {});" },
      sourceFile: 'src/cart.js',
      workspaceFiles: FILES,
    });
    assert.equal(style.suffix, '.spec.js');
  });

  it('falls back to the framework defaults without an example', () => {
    const style = detectJsStyle({ config: repoConfig('node-test'), framework: 'node-test', sourceFile: 'src/dates.ts', workspaceFiles: ['src/dates.ts'] });
    assert.deepEqual([style.module, style.suffix, style.dir], ['esm', '.test.ts', 'test']);
  });
});

describe('renderJsTest', () => {
  const cart = analyzeJsModule("function applyCoupon(total, code) {}\nmodule.exports = { applyCoupon };", 'src/cart.js').functions[0]!;
  const dates = analyzeJsModule('export async function formatDueDate(invoice) {}', 'src/dates.ts').functions[0]!;
  const header = ['tracefix: reproduces incident inc_1 (TypeError: boom\n// injected();\u2028x)'];

  const cases: { framework: JsFramework; module: 'esm' | 'cjs'; apiImport: string | null; suffix: string; fn: typeof cart; source: string; expect: RegExp[] }[] = [
    { framework: 'node-test', module: 'cjs', apiImport: 'node:test', suffix: '.test.js', fn: cart, source: 'src/cart.js', expect: [/^const \{ test \} = require\('node:test'\);$/m, /^const \{ applyCoupon \} = require\('\.\.\/src\/cart\.js'\);$/m] },
    { framework: 'node-test', module: 'esm', apiImport: 'node:test', suffix: '.test.ts', fn: dates, source: 'src/dates.ts', expect: [/^import \{ test \} from 'node:test';$/m, /^import \{ formatDueDate \} from '\.\.\/src\/dates\.ts';$/m, /const invoice: any = /] },
    { framework: 'node-test', module: 'esm', apiImport: 'node:test', suffix: '.test.js', fn: cart, source: 'src/cart.js', expect: [/^import targetModule from '\.\.\/src\/cart\.js';$/m, /^const \{ applyCoupon \} = targetModule;$/m] },
    { framework: 'vitest', module: 'esm', apiImport: 'vitest', suffix: '.test.ts', fn: dates, source: 'src/dates.ts', expect: [/^import \{ test \} from 'vitest';$/m] },
    { framework: 'jest', module: 'cjs', apiImport: null, suffix: '.test.js', fn: cart, source: 'src/cart.js', expect: [/^const \{ applyCoupon \} = require/m] },
    { framework: 'mocha', module: 'cjs', apiImport: null, suffix: '.spec.js', fn: cart, source: 'src/cart.js', expect: [/^it\('/m] },
  ];

  for (const c of cases) {
    it(`renders ${c.framework} (${c.module}, ${c.suffix})`, () => {
      const source = renderJsTest({
        style: { framework: c.framework, dir: 'test', module: c.module, suffix: c.suffix, importExt: 'same', apiImport: c.apiImport, testFn: c.framework === 'mocha' ? 'it' : 'test', quote: "'" },
        sourceFile: c.source,
        fn: c.fn,
        exportForm: c.fn.export!,
        args: c.fn === cart ? [{ name: 'total', value: 40 }, { name: 'code', value: "SPRING'24" }] : [{ name: 'invoice', value: { dueDate: '31/12/2025' } }],
        header,
        title: 'tracefix incident 7f3a9c21: f as called in production',
      });
      for (const re of c.expect) assert.match(source, re);
      // Production text in the header stays on its comment line.
      assert.equal(source.split('\n')[0], '// tracefix: reproduces incident inc_1 (TypeError: boom // injected(); x)');
      assert.doesNotMatch(source, /^\s*injected/m);
      assert.match(source, /await (applyCoupon\(total, code\)|formatDueDate\(invoice\));/);
      assertParses(source, `test/x${c.suffix}`);
    });
  }

  it('passes undefined for a left-out parameter before a passed one, and spreads rest arrays', () => {
    const fn = analyzeJsModule('export function f(a, b = 1, ...more) {}', 'f.js').functions[0]!;
    const source = renderJsTest({
      style: { framework: 'node-test', dir: '', module: 'esm', suffix: '.test.js', importExt: 'same', apiImport: 'node:test', testFn: 'test', quote: "'" },
      sourceFile: 'f.js',
      fn,
      exportForm: fn.export!,
      args: [{ name: 'a', value: 1 }, { name: 'b', value: undefined, omitted: true }, { name: 'more', value: [2, 3], spread: true }],
      header: [],
      title: 't',
    });
    assert.match(source, /await f\(a, undefined, \.\.\.more\);/);
    assert.match(source, /from '\.\/f\.js'/);
  });

  it('writes the response stand-in for a handler, typed for TypeScript and in the repository quote', () => {
    const fn = analyzeJsModule('export function handle(req, res, next) {}', 'src/handle.ts').functions[0]!;
    const source = renderJsTest({
      style: { framework: 'node-test', dir: 'test', module: 'esm', suffix: '.test.ts', importExt: 'same', apiImport: 'node:test', testFn: 'test', quote: '"' },
      sourceFile: 'src/handle.ts',
      fn,
      exportForm: fn.export!,
      args: [{ name: 'req', value: { body: {} } }, { name: 'res', value: null, stub: 'response' }, { name: 'next', value: null, stub: 'next' }],
      header: [],
      title: 't',
    });
    assert.match(source, /^ {2}const res: any = \(\(\) => \{$/m);
    assert.match(source, /^ {2}\}\)\(\);$/m);
    assert.match(source, /setHeader\("content-type", value\)/);
    assert.doesNotMatch(source, /'/);
    assert.match(source, /^ {2}const next: any = \(\) => \{\};$/m);
    assertParses(source, 'test/x.test.ts');
    // A runner that type-checks (ts-jest) under strict settings accepts it.
    const file = '/virtual/stub.ts';
    const text = `export const res: any = ${jsStubSource('response', true)};\n`;
    const options: ts.CompilerOptions = { strict: true, noUnusedLocals: true, noUnusedParameters: true, noImplicitReturns: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'], types: [], noEmit: true };
    const host = ts.createCompilerHost(options);
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (name, version) => (name === file ? ts.createSourceFile(file, text, version) : read(name, version));
    const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram([file], options, host));
    assert.deepEqual(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), []);
  });

  it("gives handlers node:http's ServerResponse methods, chainable where Node's are, and Express/Fastify's", async () => {
    const fresh = (): any => new Function(`return ${jsStubSource('response', false)};`)();
    const res = fresh();
    assert.equal(res.statusCode, 200);
    assert.equal(res.setHeader('X-Request-Id', '7'), res);
    assert.equal(res.getHeader('x-request-id'), '7');
    assert.equal(res.hasHeader('X-REQUEST-ID'), true);
    assert.equal(res.writeHead(201, 'Created', { 'Content-Type': 'text/plain' }), res);
    assert.deepEqual([res.statusCode, res.statusMessage, res.headersSent, res.getHeader('content-type')], [201, 'Created', true, 'text/plain']);
    assert.deepEqual(res.getHeaderNames(), ['x-request-id', 'content-type']);
    res.removeHeader('X-Request-Id');
    assert.deepEqual(res.getHeaders(), { 'content-type': 'text/plain' });
    assert.equal(res.write('a'), true);
    let flushed = 0;
    assert.equal(res.end('b', 'utf8', () => flushed++), res);
    assert.equal(res.writableEnded, true);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(flushed, 1, "end's callback runs, as Node's does once flushed");
    assert.equal(res.on('finish', () => {}), res);

    const raw = fresh().writeHead(204, [['a', '1'], ['b', ['2', '3']]]);
    assert.deepEqual(raw.getHeaders(), { a: '1', b: ['2', '3'] });
    assert.deepEqual(fresh().writeHead(200, ['c', '4']).getHeaders(), { c: '4' });
    assert.deepEqual(fresh().appendHeader('Set-Cookie', 'a=1').appendHeader('set-cookie', 'b=2').getHeader('set-cookie'), ['a=1', 'b=2']);

    const express = fresh();
    assert.equal(express.status(404).json({ error: 'nope' }), express);
    assert.deepEqual([express.statusCode, express.get('Content-Type'), express.writableEnded], [404, 'application/json', true]);
    assert.throws(() => fresh().json({ n: 10n }), TypeError, 'what JSON cannot hold throws as in production');
    assert.deepEqual(fresh().set({ 'X-A': '1' }).type('text/html').getHeaders(), { 'x-a': '1', 'content-type': 'text/html' });
    assert.deepEqual([fresh().sendStatus(503).statusCode, fresh().redirect(301, '/b').getHeader('location'), fresh().redirect('/c').statusCode], [503, '/b', 302]);
    assert.equal(fresh().code(400).header('x-b', '2').send('text').statusCode, 400);
  });

  it('makes comment text single-line', () => {
    assert.equal(commentText('a\nb\r\nc\u2028d\u0000e'), 'a b c d e');
  });
});

describe('Python tests', () => {
  const lineTotal: PyFunction = { name: 'line_total', qualname: 'line_total', line: 4, end_line: 5, async: false, class: null, kind: 'function', decorators: [], params: [{ name: 'line', kind: 'arg', default: false }] };

  it('reads the module root from an existing test import', () => {
    const files = ['app/__init__.py', 'app/orders.py', 'tests/test_orders.py', 'src/shop/cart.py'];
    assert.deepEqual(detectPyStyle({ framework: 'pytest', example: { file: 'tests/test_orders.py', text: 'import pytest\nfrom app.orders import line_total\n' }, workspaceFiles: files }), {
      framework: 'pytest',
      dir: 'tests',
      moduleRoot: '',
      example: 'tests/test_orders.py',
    });
    assert.equal(detectPyStyle({ framework: 'pytest', example: { file: 'tests/test_cart.py', text: 'from shop.cart import total\n' }, workspaceFiles: files }).moduleRoot, 'src/');
    assert.equal(detectPyStyle({ framework: 'pytest', example: { file: 'tests/test_x.py', text: 'import json\n' }, workspaceFiles: files }).moduleRoot, null);
    assert.equal(moduleName('src/shop/cart.py', 'src/'), 'shop.cart');
    assert.equal(moduleName('app/__init__.py', ''), 'app');
    assert.equal(moduleName('my-app/x.py', ''), undefined);
  });

  it('renders a pytest test with values re-emitted from parsed reprs', () => {
    const source = renderPyTest({
      style: { framework: 'pytest', dir: 'tests', moduleRoot: '' },
      module: 'app.orders',
      fn: lineTotal,
      args: [{ name: 'line', value: { t: 'dict', entries: [[{ t: 'str', v: 'sku' }, { t: 'str', v: "L'9" }], [{ t: 'str', v: 'price' }, { t: 'call', callee: 'Decimal', args: [{ t: 'str', v: '4.25' }], kwargs: [] }]] }, pass: 'positional' }],
      header: ['tracefix: reproduces incident inc_c4 (KeyError: \'price\'\nimport os)'],
      shortId: 'c4e59a11',
      depth: 1,
    });
    assert.equal(
      source,
      [
        "# tracefix: reproduces incident inc_c4 (KeyError: 'price' import os)",
        'from decimal import Decimal',
        'from app.orders import line_total',
        '',
        '',
        'def test_tracefix_c4e59a11():',
        `    line = {'sku': "L'9", 'price': Decimal('4.25')}`,
        '    line_total(line)',
        '',
      ].join('\n'),
    );
  });

  it('renders unittest, async functions, keyword arguments and the sys.path fallback', () => {
    const fn: PyFunction = { ...lineTotal, name: 'fetch', qualname: 'Client.fetch', async: true, class: 'Client', kind: 'staticmethod', params: [{ name: 'url', kind: 'arg', default: false }, { name: 'timeout', kind: 'kwonly', default: true }] };
    const source = renderPyTest({
      style: { framework: 'unittest', dir: 'tests/unit', moduleRoot: null },
      module: 'app.client',
      fn,
      args: [{ name: 'url', value: { t: 'str', v: 'https://x' }, pass: 'positional' }, { name: 'timeout', value: { t: 'float', v: Infinity }, pass: 'keyword' }],
      header: [],
      shortId: 'ab12cd34',
      depth: 2,
    });
    assert.match(source, /^import asyncio\nimport pathlib\nimport sys\nimport unittest\n\nsys\.path\.insert\(0, str\(pathlib\.Path\(__file__\)\.resolve\(\)\.parents\[2\]\)\)\n\nfrom app\.client import Client\n/);
    assert.match(source, /class TracefixIncidentAB12CD34Test\(unittest\.TestCase\):\n {4}def test_reproduces_incident\(self\):\n {8}url = 'https:\/\/x'\n {8}timeout = float\('inf'\)\n {8}asyncio\.run\(Client\.fetch\(url, timeout=timeout\)\)\n$/);
  });

  it('names tests after the incident', () => {
    assert.equal(shortIncidentId('inc_7f3a9c21e0'), '7f3a9c21');
    assert.equal(shortIncidentId('INC-42'), shortIncidentId('INC-42'));
    assert.match(shortIncidentId('x'), /^[0-9a-f]{8}$/);
  });
});
