// Which JS/TS runner a repository's tests need, and why: node:test, vitest, jest or mocha, from the
// package's test script, what the test files import, the config files, and the dependencies, in
// that order of strength. Imports outrank dependencies: a file that imports from 'vitest' cannot
// run under jest whatever package.json lists, and a package may keep an old runner it no longer uses.
import type { Framework } from '../../schemas/test-results.ts';
import type { FrameworkDetection, RepoFacts } from './types.ts';

type JsFramework = Extract<Framework, 'node-test' | 'vitest' | 'jest' | 'mocha'>;

const NAMES: Record<JsFramework, string> = { 'node-test': 'node:test', vitest: 'vitest', jest: 'jest', mocha: 'mocha' };

/** A file that looks like a JS/TS test (by name or folder), not a declaration file. */
export function isJsTestFile(file: string): boolean {
  if (!/\.[cm]?[jt]sx?$/.test(file) || file.endsWith('.d.ts') || /(^|\/)node_modules\//.test(file)) return false;
  return /\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)(test|tests|__tests__)\/|(^|\/)test[-_][^/]*$|[-_]test\.[cm]?[jt]sx?$/.test(file);
}

const IMPORT_OF = (module: string) => new RegExp(`(from\\s*|import\\s*\\(?\\s*|require\\s*\\(\\s*)['"]${module}['"]`);

const IMPORTS: Record<JsFramework, RegExp> = {
  'node-test': IMPORT_OF('node:test'),
  vitest: IMPORT_OF('vitest'),
  jest: IMPORT_OF('@jest/globals'),
  mocha: IMPORT_OF('mocha'),
};

/** jest's globals (`jest.fn`, `jest.mock`) when a file imports nothing from a runner. */
const JEST_GLOBALS = /\bjest\.(fn|mock|spyOn|useFakeTimers)\s*\(/;

const CONFIGS: Record<JsFramework, RegExp> = {
  'node-test': /^$/,
  vitest: /^vitest\.(config|workspace)\.[cm]?[jt]s$/,
  jest: /^jest\.config\.[cm]?[jt]s(on)?$/,
  mocha: /^\.mocharc(\.[cm]?js|\.json|\.ya?ml|\.jsonc)?$/,
};

const DEPENDENCIES: Record<JsFramework, readonly string[]> = {
  'node-test': [],
  vitest: ['vitest'],
  jest: ['jest', '@jest/core', 'ts-jest'],
  mocha: ['mocha'],
};

const OTHER_RUNNERS = ['ava', 'tap', 'jasmine', 'uvu'];

interface Candidate {
  framework: JsFramework;
  score: number;
  signs: string[];
  testFiles: number;
}

function scriptNames(framework: JsFramework, script: string): boolean {
  if (framework === 'node-test') return /\bnode\b[^|&;]*--test\b/.test(script);
  return new RegExp(`(^|[\\s/])${framework}(\\s|$)`).test(script);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The JS runner, or undefined when the repository has no package.json and no test imports a runner. */
export function detectJs(repo: RepoFacts): FrameworkDetection | undefined {
  const scripts = repo.packageJson?.scripts ?? {};
  const deps = repo.packageJson?.dependencies ?? {};
  const sources = Object.entries(repo.testSources ?? {}).filter(([file]) => isJsTestFile(file));
  const candidates: Candidate[] = [];
  for (const framework of Object.keys(NAMES) as JsFramework[]) {
    const c: Candidate = { framework, score: 0, signs: [], testFiles: 0 };
    const add = (score: number, sign: string) => {
      c.score = Math.max(c.score, score);
      c.signs.push(sign);
    };
    const test = scripts['test'] ?? '';
    if (scriptNames(framework, test)) add(0.95, `package.json test script runs ${NAMES[framework]}`);
    const importing = sources.filter(([, text]) => IMPORTS[framework].test(text)).map(([file]) => file);
    c.testFiles = importing.length;
    if (importing.length) add(0.9, `${plural(importing.length, 'test file')} import${importing.length === 1 ? 's' : ''} ${framework === 'jest' ? '@jest/globals' : NAMES[framework]}`);
    if (framework === 'jest' && !importing.length) {
      const globals = sources.filter(([, text]) => JEST_GLOBALS.test(text) && !Object.values(IMPORTS).some((re) => re.test(text)));
      if (globals.length) {
        c.testFiles = globals.length;
        add(0.6, `${plural(globals.length, 'test file')} use jest globals (jest.fn, jest.mock)`);
      }
    }
    const config = [...repo.files].find((f) => CONFIGS[framework].test(f));
    if (config) add(0.85, `config ${config}`);
    const dep = DEPENDENCIES[framework].find((name) => name in deps);
    if (dep) add(0.8, `${dep} in package.json dependencies`);
    const other = Object.entries(scripts).find(([name, s]) => name !== 'test' && /^test\b/.test(name) && scriptNames(framework, s));
    if (other) add(0.75, `package.json script ${other[0]} runs ${NAMES[framework]}`);
    if (c.score > 0) candidates.push(c);
  }
  candidates.sort((a, b) => b.score - a.score || b.signs.length - a.signs.length);
  const best = candidates[0];
  if (best) {
    const runnerUp = candidates[1];
    const also = runnerUp ? `; also seen: ${NAMES[runnerUp.framework]} (${runnerUp.signs.join(', ')})` : '';
    return { framework: best.framework, evidence: `${NAMES[best.framework]}: ${best.signs.join(', ')}${also}`, testFiles: best.testFiles };
  }
  if (!repo.packageJson) return undefined;
  // A runner tracefix has no adapter for: nothing to choose (the config must name a command).
  if (OTHER_RUNNERS.some((name) => name in deps || new RegExp(`\\b${name}\\b`).test(scripts['test'] ?? ''))) return undefined;
  // The built-in runner is the fallback for a package that names no other framework.
  return {
    framework: 'node-test',
    evidence: `node:test: no test runner in package.json, its scripts, config files or ${plural(sources.length, 'test file')}' imports; Node's built-in runner needs nothing installed`,
    testFiles: 0,
  };
}
