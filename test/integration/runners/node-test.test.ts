import { runnerScenario } from '../../helpers/runner-scenario.ts';

runnerScenario({
  fixture: 'node-test',
  framework: 'node-test',
  passingId: 'test/discount.test.ts::discount > keeps the price without a code',
  failingId: 'test/discount.test.ts::discount > halves the price',
  skippedId: 'test/discount.test.ts::discount > rounds cents',
  // TypeScript run by type stripping: V8 offsets are the .ts file's own.
  sourceFile: 'src/discount.ts',
  failingOnlyLines: [6, 7],
  passingOnlyLine: 9,
  actual: /6/,
});
