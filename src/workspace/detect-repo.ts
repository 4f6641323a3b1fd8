// What a checkout looks like when it has no `.tracefix.yml` (or one that leaves keys out):
// language from its manifests, test framework from package.json, config files, dependencies and what
// the test files themselves import and contain (js-detect.ts, python-detect.ts), the install
// manager from the lockfile.
import type { InstallManager, Language } from '../../schemas/repo-config.ts';
import type { Framework } from '../../schemas/test-results.ts';
import { detectFramework, getRunner } from '../runners/api.ts';
import { isJsTestFile } from '../runners/js-detect.ts';
import { isPythonRepo, isPythonTestFile } from '../runners/python-detect.ts';
import type { RepoFacts } from '../runners/types.ts';
import { listTopFiles, readSmallFile } from './safe-read.ts';

export interface DetectedRepo {
  language: Language | undefined;
  framework: Framework | undefined;
  facts: RepoFacts;
}

const TEXT_FILES = ['pyproject.toml', 'setup.cfg', 'setup.py', 'tox.ini', 'pytest.ini', 'Pipfile'];

function record(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}

/** Test files read for detection: enough to see a repository's style, never the whole tree. */
const MAX_TEST_SOURCES = 40;
const MAX_TEST_SOURCE_BYTES = 64 * 1024;

/** The text of up to MAX_TEST_SOURCES test files (Python and JS/TS), shallowest first. */
async function readTestSources(dir: string): Promise<Record<string, string>> {
  const deep = await listTopFiles(dir, 4);
  const tests = [...deep]
    .filter((f) => isPythonTestFile(f) || isJsTestFile(f) || (/(^|\/)tests?\/[^/]*\.py$/.test(f) && !f.endsWith('__init__.py')))
    .sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b))
    .slice(0, MAX_TEST_SOURCES);
  const out: Record<string, string> = {};
  for (const file of tests) {
    const text = await readSmallFile(dir, file, MAX_TEST_SOURCE_BYTES);
    if (text !== undefined) out[file] = text;
  }
  return out;
}

export async function gatherFacts(dir: string): Promise<RepoFacts> {
  const files = await listTopFiles(dir);
  const texts: Record<string, string> = {};
  for (const name of [...TEXT_FILES, ...[...files].filter((f) => /^requirements[^/]*\.txt$|^requirements\/[^/]+\.txt$/.test(f))]) {
    const text = files.has(name) ? await readSmallFile(dir, name) : undefined;
    if (text !== undefined) texts[name] = text;
  }
  let packageJson: RepoFacts['packageJson'];
  const pkgText = files.has('package.json') ? await readSmallFile(dir, 'package.json') : undefined;
  if (pkgText !== undefined) {
    try {
      const pkg = JSON.parse(pkgText) as Record<string, unknown>;
      packageJson = {
        scripts: record(pkg['scripts']),
        dependencies: { ...record(pkg['peerDependencies']), ...record(pkg['dependencies']), ...record(pkg['devDependencies']) },
      };
    } catch {
      packageJson = { scripts: {}, dependencies: {} };
    }
  }
  return { files, texts, testSources: await readTestSources(dir), ...(packageJson ? { packageJson } : {}) };
}

export function detectLanguage(facts: RepoFacts): Language | undefined {
  const pkg = facts.packageJson;
  const isTs =
    facts.files.has('tsconfig.json') ||
    (pkg !== undefined && 'typescript' in pkg.dependencies) ||
    // Node runs .ts directly now: TypeScript sources alone make a TypeScript project.
    [...facts.files].some((f) => /\.[cm]?tsx?$/.test(f) && !f.endsWith('.d.ts'));
  const jsFramework = detectFramework(facts, 'node');
  // A package.json beside Python code may be only tooling: it wins when it runs tests.
  const jsTests = pkg !== undefined && (jsFramework !== 'node-test' || /\bnode\b.*--test\b/.test(pkg.scripts['test'] ?? ''));
  if (pkg && (jsTests || !isPythonRepo(facts))) return isTs ? 'typescript' : 'node';
  if (isPythonRepo(facts)) return 'python';
  if (facts.files.has('tsconfig.json')) return 'typescript';
  return undefined;
}

export function runnerLanguage(language: Language): 'node' | 'python' {
  return language === 'python' ? 'python' : 'node';
}

/** Detected language and framework of the checkout at `dir`. */
export async function detectRepo(dir: string): Promise<DetectedRepo> {
  const facts = await gatherFacts(dir);
  const language = detectLanguage(facts);
  const framework = language ? detectFramework(facts, runnerLanguage(language)) : undefined;
  return { language, framework, facts };
}

const SHELL_OPERATORS = /[;&|<>`$()]/;

/**
 * The base test command: the package's own test script when it is a single plain invocation of
 * the framework (it may carry flags and paths that matter), else the framework's default.
 */
export function defaultTestCommand(framework: Framework, facts: RepoFacts): string {
  const runner = getRunner(framework);
  const script = facts.packageJson?.scripts['test']?.trim() ?? '';
  if (runner.language === 'node' && script && !SHELL_OPERATORS.test(script)) {
    const bin = script.split(/\s+/)[0];
    if (framework === 'node-test' && bin === 'node' && /\s--test\b/.test(script)) return script;
    if (bin === framework) return `node_modules/.bin/${script}`;
  }
  return runner.defaultCommand;
}

/** What fetches the dependencies, and the file it is pinned by. */
export interface DetectedInstall {
  manager: InstallManager;
  lockfile?: string;
}

const JS_LOCKFILES: readonly (readonly [string, InstallManager])[] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

/** Has at least one line that is not a comment or blank (options count: the install policy judges them). */
function hasRequirements(text: string | undefined): boolean {
  return (text ?? '').split('\n').some((line) => /^\s*[^\s#]/.test(line));
}

/**
 * The package manager a checkout's lockfile implies. JS: a lockfile and at least one dependency
 * (no lockfile: nothing is fetched, since an unpinned install is not reproducible). Python: a
 * uv.lock, else a poetry.lock (their hashes pin every wheel), else a requirements.txt with
 * requirements (pyproject-only projects carry their test tools in the image).
 */
export function detectInstall(language: Language, facts: RepoFacts): DetectedInstall | undefined {
  if (language === 'python') {
    if (facts.files.has('uv.lock')) return { manager: 'uv', lockfile: 'uv.lock' };
    if (facts.files.has('poetry.lock')) return { manager: 'poetry', lockfile: 'poetry.lock' };
    return hasRequirements(facts.texts['requirements.txt']) ? { manager: 'pip', lockfile: 'requirements.txt' } : undefined;
  }
  if (!facts.packageJson || Object.keys(facts.packageJson.dependencies).length === 0) return undefined;
  for (const [file, manager] of JS_LOCKFILES) if (facts.files.has(file)) return { manager, lockfile: file };
  return undefined;
}
