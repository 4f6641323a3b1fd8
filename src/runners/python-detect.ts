// Which Python runner a repository's tests need, and why. pytest runs unittest classes too, so it is
// chosen on any sign of it: its config, a conftest.py, pytest declared as a dependency, or test files
// written for it (module-level `test_*` functions, bare `assert`, `import pytest`, fixtures, plain
// `class Test…`). unittest only when the test files are TestCase classes and nothing points to
// pytest: a plain-function test file run through the unittest loader runs nothing at all.
import type { Framework } from '../../schemas/test-results.ts';
import type { FrameworkDetection, RepoFacts } from './types.ts';

const PYTHON_MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg', 'requirements.txt', 'Pipfile', 'tox.ini', 'pytest.ini'];

export function isPythonRepo(repo: RepoFacts): boolean {
  return PYTHON_MARKERS.some((f) => repo.files.has(f)) || [...repo.files].some((f) => f.endsWith('.py') || /^requirements[^/]*\.txt$/.test(f));
}

/** A file pytest (or unittest discovery) would collect tests from. */
export function isPythonTestFile(file: string): boolean {
  const base = file.split('/').at(-1) ?? '';
  return /^test_.*\.py$|^.*_test\.py$|^tests?\.py$/.test(base);
}

/** The pytest config file, when one has a pytest section. */
function pytestConfig(repo: RepoFacts): string | undefined {
  const t = repo.texts;
  if (repo.files.has('pytest.ini')) return 'pytest.ini';
  if (/^\[tool\.pytest/m.test(t['pyproject.toml'] ?? '')) return 'pyproject.toml [tool.pytest]';
  if (/^\[tool:pytest\]/m.test(t['setup.cfg'] ?? '')) return 'setup.cfg [tool:pytest]';
  if (/^\[pytest\]/m.test(t['tox.ini'] ?? '')) return 'tox.ini [pytest]';
  return undefined;
}

/** Manifests that declare pytest (requirements*.txt, pyproject dev dependencies, setup.*, Pipfile, tox deps). */
function declaredIn(repo: RepoFacts): string[] {
  return Object.entries(repo.texts)
    .filter(([name]) => /^requirements[^/]*\.txt$|^requirements\/[^/]+\.txt$|^pyproject\.toml$|^setup\.(py|cfg)$|^Pipfile$|^tox\.ini$/.test(name))
    .filter(([, text]) => /(^|[\s"'[,=])pytest\b(?![-_.]?[a-z])/im.test(text.replace(/^\s*#.*$/gm, '')))
    .map(([name]) => name)
    .sort();
}

export interface PythonTestStyle {
  /** Files with module-level `def test_…` functions. */
  functions: string[];
  /** Files with a bare `assert` statement. */
  asserts: string[];
  /** Files importing pytest or using its fixtures. */
  imports: string[];
  /** Files with `class Test…` that is no TestCase. */
  plainClasses: string[];
  /** Files with unittest.TestCase classes. */
  testCases: string[];
}

export function pythonTestStyle(sources: Readonly<Record<string, string>>): PythonTestStyle {
  const style: PythonTestStyle = { functions: [], asserts: [], imports: [], plainClasses: [], testCases: [] };
  for (const [file, text] of Object.entries(sources)) {
    // conftest.py is a sign of its own (detectPython), not a test file.
    if (!file.endsWith('.py') || /(^|\/)conftest\.py$/.test(file) || (!isPythonTestFile(file) && !/(^|\/)tests?\//.test(file))) continue;
    if (/^(async\s+)?def\s+test\w*\s*\(/m.test(text)) style.functions.push(file);
    if (/^\s+assert\b(?!\w)/m.test(text) || /^assert\b/m.test(text)) style.asserts.push(file);
    if (/^\s*(import\s+pytest\b|from\s+_?pytest\b)|@pytest\.|\bpytest\.(fixture|mark|raises|approx)\b/m.test(text)) style.imports.push(file);
    if (/^class\s+Test\w*\s*(:|\(\s*(object)?\s*\)\s*:)/m.test(text)) style.plainClasses.push(file);
    if (/\bTestCase\b/.test(text) && /^class\s+\w+\s*\([^)]*TestCase[^)]*\)\s*:/m.test(text)) style.testCases.push(file);
  }
  for (const list of Object.values(style) as string[][]) list.sort();
  return style;
}

function files(n: number): string {
  return `${n} test file${n === 1 ? '' : 's'}`;
}

/** pytest or unittest, with the evidence in one sentence ("pytest: 3 test files with module-level test functions, no config"). */
export function detectPython(repo: RepoFacts): FrameworkDetection {
  const config = pytestConfig(repo);
  const conftests = [...repo.files].filter((f) => /(^|\/)conftest\.py$/.test(f)).sort();
  const declared = declaredIn(repo);
  const style = pythonTestStyle(repo.testSources ?? {});
  const signs: string[] = [];
  if (style.functions.length) signs.push(`${files(style.functions.length)} with module-level test functions`);
  if (style.imports.length) signs.push(`${files(style.imports.length)} importing pytest or using its fixtures`);
  if (style.plainClasses.length) signs.push(`${files(style.plainClasses.length)} with plain Test classes`);
  if (style.asserts.length && !style.functions.length && !style.plainClasses.length) signs.push(`${files(style.asserts.length)} with bare assert`);
  if (conftests.length) signs.push(`conftest.py (${conftests.slice(0, 3).join(', ')})`);
  if (declared.length) signs.push(`pytest listed in ${declared.join(', ')}`);
  if (signs.length && style.testCases.length) signs.push(`${files(style.testCases.length)} with unittest.TestCase classes (pytest runs those too)`);
  if (config) signs.push(`config in ${config}`);
  else if (signs.length) signs.push('no config');
  if (signs.length) return detection('pytest', signs, style);
  if (style.testCases.length) {
    return detection('unittest', [`${files(style.testCases.length)} with unittest.TestCase classes`, 'nothing points to pytest (no test functions, bare assert, pytest import, conftest.py, dependency or config)'], style);
  }
  return detection('unittest', ['no test files found and nothing points to pytest: the standard library runner needs nothing installed'], style);
}

function detection(framework: Framework, signs: string[], style: PythonTestStyle): FrameworkDetection {
  const testFiles = new Set([...style.functions, ...style.asserts, ...style.imports, ...style.plainClasses, ...style.testCases]).size;
  return { framework, evidence: `${framework}: ${signs.join(', ')}`, testFiles };
}
