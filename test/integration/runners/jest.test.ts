import { runnerScenario } from '../../helpers/runner-scenario.ts';

runnerScenario({
  fixture: 'jest',
  framework: 'jest',
  passingId: 'test/discount.test.js::discount > keeps the price without a code',
  failingId: 'test/discount.test.js::discount > halves the price',
  skippedId: 'test/discount.test.js::discount > rounds cents',
  sourceFile: 'src/discount.js',
  failingOnlyLines: [4, 5],
  passingOnlyLine: 7,
  actual: /6/,
});
