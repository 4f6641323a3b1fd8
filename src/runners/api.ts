// The runner registry: the one module that imports the adapters.
import type { Framework } from '../../schemas/test-results.ts';
import { jestRunner } from './jest.ts';
import { mochaRunner } from './mocha.ts';
import { nodeTestRunner } from './node-test.ts';
import { pytestRunner } from './pytest.ts';
import type { RepoFacts, TestRunner } from './types.ts';
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
  let best: { framework: Framework; score: number } | undefined;
  for (const runner of runners.values()) {
    if (language && runner.language !== language) continue;
    const score = runner.detect(repo);
    if (score > 0 && (!best || score > best.score)) best = { framework: runner.framework, score };
  }
  return best?.framework;
}
