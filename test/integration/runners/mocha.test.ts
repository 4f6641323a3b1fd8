import { runnerScenario } from '../../helpers/runner-scenario.ts';

runnerScenario({
  fixture: 'mocha',
  framework: 'mocha',
  passingId: 'test/discount.spec.js::discount > keeps the price without a code',
  failingId: 'test/discount.spec.js::discount > halves the price',
  skippedId: 'test/discount.spec.js::discount > rounds cents',
  sourceFile: 'src/discount.js',
  failingOnlyLines: [4, 5],
  passingOnlyLine: 7,
  actual: /6/,
});
