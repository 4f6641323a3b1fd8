// How the repository writes its JS/TS tests, read from an existing test file: ESM or CommonJS,
// whether the framework's API is imported or global, how relative imports spell extensions, and
// where tests live and how they are named. A synthesized test copies all of it, so it runs under
// the repository's own configuration and reads like its neighbours.
import path from 'node:path';
import type { RepoConfig } from '../../../schemas/repo-config.ts';
import { isTestPath } from './naming.ts';

export type JsFramework = 'node-test' | 'vitest' | 'jest' | 'mocha';

export interface JsTestStyle {
  framework: JsFramework;
  /** Directory the new test goes into (workspace-relative, '' for the root). */
  dir: string;
  module: 'esm' | 'cjs';
  /** The file name after the incident part: `.test.js`, `.spec.ts`, `.js`. */
  suffix: string;
  /** Relative import specifiers: keep the file's extension, write `.js` for `.ts` files, or none. */
  importExt: 'same' | 'js-for-ts' | 'none';
  /** Where the test API comes from; null when it is global (jest, mocha, vitest globals). */
  apiImport: string | null;
  testFn: 'test' | 'it';
  /** The quote the repository's imports use. */
  quote: "'" | '"';
  /** The test file this style was read from. */
  example?: string;
}

const RELATIVE_SPECIFIER = /(?:from\s+|require\(\s*|import\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

function moduleKindOf(file: string, text: string, packageType: string | undefined): 'esm' | 'cjs' {
  if (/\.m[jt]s$/.test(file)) return 'esm';
  if (/\.c[jt]s$/.test(file)) return 'cjs';
  if (/^\s*import\s[^(]|^\s*export\s/m.test(text)) return 'esm';
  if (/\brequire\(/.test(text)) return 'cjs';
  return packageType === 'module' || /\.tsx?$/.test(file) ? 'esm' : 'cjs';
}

function importExtOf(example: string, text: string, files: ReadonlySet<string>): JsTestStyle['importExt'] | undefined {
  for (const m of text.matchAll(RELATIVE_SPECIFIER)) {
    const spec = m[1] as string;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(example), spec));
    if (files.has(target)) return 'same';
    if (/\.[cm]?js$/.test(target) && files.has(target.replace(/\.([cm]?)js$/, '.$1ts'))) return 'js-for-ts';
    if (!/\.[cm]?[jt]sx?$/.test(spec)) return 'none';
  }
  return undefined;
}

function apiImportOf(framework: JsFramework, text: string): string | null {
  if (framework === 'node-test') return 'node:test';
  if (framework === 'vitest') return /from\s+['"]vitest['"]|require\(['"]vitest['"]\)/.test(text) ? 'vitest' : null;
  if (framework === 'jest') return /['"]@jest\/globals['"]/.test(text) ? '@jest/globals' : null;
  return null; // mocha's BDD interface is global
}

/** The quote of the file's import/require specifiers (single when it has none). */
function quoteOf(text: string): "'" | '"' {
  const double = (text.match(/(?:from\s+|require\(\s*)"/g) ?? []).length;
  const single = (text.match(/(?:from\s+|require\(\s*)'/g) ?? []).length;
  return double > single ? '"' : "'";
}

function suffixOf(example: string): string {
  const base = path.posix.basename(example);
  const m = /([._-](?:test|spec))?(\.[cm]?[jt]sx?)$/.exec(base);
  return m ? `${m[1] ?? ''}${m[2]}` : '.test.js';
}

/**
 * The style of `example` (an existing test file and its text), or defaults for the framework
 * when the repository has no test yet. `sourceFile` decides the extension then (TS source → TS test).
 */
export function detectJsStyle(input: {
  config: RepoConfig;
  framework: JsFramework;
  example?: { file: string; text: string };
  sourceFile: string;
  workspaceFiles: readonly string[];
  packageType?: string;
}): JsTestStyle {
  const { config, framework, example } = input;
  const files = new Set(input.workspaceFiles);
  const tsSource = /\.[cm]?tsx?$/.test(input.sourceFile);
  if (!example) {
    const module = input.packageType === 'module' || tsSource ? 'esm' : 'cjs';
    const ext = tsSource ? '.ts' : '.js';
    const dir = files.has('test') || input.workspaceFiles.some((f) => f.startsWith('test/')) ? 'test' : input.workspaceFiles.some((f) => f.startsWith('tests/')) ? 'tests' : 'test';
    return {
      framework,
      dir,
      module,
      suffix: `.test${ext}`,
      importExt: framework === 'node-test' || module === 'esm' ? 'same' : 'none',
      apiImport: framework === 'node-test' ? 'node:test' : framework === 'vitest' ? 'vitest' : null,
      testFn: framework === 'mocha' ? 'it' : 'test',
      quote: "'",
    };
  }
  const module = moduleKindOf(example.file, example.text, input.packageType);
  let suffix = suffixOf(example.file);
  const dir = path.posix.dirname(example.file) === '.' ? '' : path.posix.dirname(example.file);
  // The name must still match the repository's test globs, or the runner would not find it.
  const probe = (s: string) => isTestPath(config, path.posix.join(dir, `tracefix-probe${s}`));
  if (config.test.files.length && !probe(suffix)) {
    const ext = /(\.[cm]?[jt]sx?)$/.exec(suffix)?.[1] ?? '.js';
    suffix = [`.test${ext}`, `.spec${ext}`, `_test${ext}`, ext].find(probe) ?? suffix;
  }
  return {
    framework,
    dir,
    module,
    suffix,
    importExt: importExtOf(example.file, example.text, files) ?? (module === 'esm' || framework === 'node-test' ? 'same' : 'none'),
    apiImport: apiImportOf(framework, example.text),
    testFn: /\btest\(/.test(example.text) || framework === 'node-test' ? 'test' : 'it',
    quote: quoteOf(example.text),
    example: example.file,
  };
}

/** The specifier a test in `style.dir` uses to import `sourceFile`. */
export function importSpecifier(style: JsTestStyle, sourceFile: string): string {
  let rel = path.posix.relative(style.dir || '.', sourceFile);
  if (!rel.startsWith('.')) rel = `./${rel}`;
  if (style.importExt === 'none') return rel.replace(/\.[cm]?[jt]sx?$/, '');
  if (style.importExt === 'js-for-ts') return rel.replace(/\.([cm]?)tsx?$/, '.$1js');
  return rel;
}
