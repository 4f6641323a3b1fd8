import { runnerScenario } from '../../helpers/runner-scenario.ts';

runnerScenario({
  fixture: 'unittest',
  framework: 'unittest',
  passingId: 'tests.test_discount.DiscountTest.test_keeps_price_without_code',
  failingId: 'tests.test_discount.DiscountTest.test_halves_price',
  skippedId: 'tests.test_discount.DiscountTest.test_rounds_cents',
  sourceFile: 'shop/discount.py',
  failingOnlyLines: [6, 7],
  passingOnlyLine: 8,
  actual: /6\.0/,
});
