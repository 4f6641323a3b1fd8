// The runner scenarios that are replayed through each real sandbox driver (local and docker).
import type { Scenario } from './runner-scenario.ts';

export function driverScenarios(systemPytest: string | false): Scenario[] {
  return [
  {
    fixture: 'node-test', framework: 'node-test', sourceFile: 'src/discount.ts', failingOnlyLines: [6, 7], passingOnlyLine: 9, actual: /6/,
    passingId: 'test/discount.test.ts::discount > keeps the price without a code',
    failingId: 'test/discount.test.ts::discount > halves the price',
    skippedId: 'test/discount.test.ts::discount > rounds cents',
  },
  ...(['vitest', 'jest'] as const).map((framework): Scenario => ({
    fixture: framework, framework, sourceFile: 'src/discount.js', failingOnlyLines: [4, 5], passingOnlyLine: 7, actual: /6/,
    passingId: 'test/discount.test.js::discount > keeps the price without a code',
    failingId: 'test/discount.test.js::discount > halves the price',
    skippedId: 'test/discount.test.js::discount > rounds cents',
  })),
  {
    fixture: 'mocha', framework: 'mocha', sourceFile: 'src/discount.js', failingOnlyLines: [4, 5], passingOnlyLine: 7, actual: /6/,
    passingId: 'test/discount.spec.js::discount > keeps the price without a code',
    failingId: 'test/discount.spec.js::discount > halves the price',
    skippedId: 'test/discount.spec.js::discount > rounds cents',
  },
  {
    fixture: 'pytest', framework: 'pytest', sourceFile: 'shop/discount.py', failingOnlyLines: [6, 7], passingOnlyLine: 8, actual: /6\.0/,
    passingId: 'tests/test_discount.py::test_keeps_price_without_code',
    failingId: 'tests/test_discount.py::TestHalf::test_halves_price',
    skippedId: 'tests/test_discount.py::test_rounds_cents',
    skip: systemPytest,
  },
  {
    fixture: 'unittest', framework: 'unittest', sourceFile: 'shop/discount.py', failingOnlyLines: [6, 7], passingOnlyLine: 8, actual: /6\.0/,
    passingId: 'tests.test_discount.DiscountTest.test_keeps_price_without_code',
    failingId: 'tests.test_discount.DiscountTest.test_halves_price',
    skippedId: 'tests.test_discount.DiscountTest.test_rounds_cents',
  },
];
}
