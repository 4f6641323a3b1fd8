// The runner registry: the one module that imports the adapters.
import type { Framework } from '../../schemas/test-results.ts';
import { jestRunner } from './jest.ts';
import { mochaRunner } from './mocha.ts';
import { nodeTestRunner } from './node-test.ts';
import { pytestRunner } from './pytest.ts';
import { detectJs } from './js-detect.ts';
import { detectPython, isPythonRepo } from './python-detect.ts';
import type { FrameworkDetection, RepoFacts, TestRunner } from './types.ts';
import { unittestRunner } from './unittest.ts';
import { vitestRunner } from './vitest.ts';

export const runners: ReadonlyMap<Framework, TestRunner> = new Map<Framework, TestRunner>([
  ['node-test', nodeTestRunner],
  ['vitest', vitestRunner],
  ['jest', jestRunner],
  ['mocha', mochaRunner],
  ['pytest', pytestRunner],
  ['unittest', unittestRunner],
]);

export function getRunner(framework: Framework): TestRunner {
  const runner = runners.get(framework);
  if (!runner) throw new Error(`No test runner for framework ${framework}`);
  return runner;
}

/** The most likely framework for the repository, or undefined when nothing fits. */
export function detectFramework(repo: RepoFacts, language?: 'node' | 'python'): Framework | undefined {
  return explainFramework(repo, language)?.framework;
}

/** The most likely framework and the evidence for it (js-detect.ts, python-detect.ts). */
export function explainFramework(repo: RepoFacts, language?: 'node' | 'python'): FrameworkDetection | undefined {
  if (language === 'python') return isPythonRepo(repo) ? detectPython(repo) : undefined;
  if (language === 'node') return detectJs(repo);
  return detectJs(repo) ?? (isPythonRepo(repo) ? detectPython(repo) : undefined);
}
