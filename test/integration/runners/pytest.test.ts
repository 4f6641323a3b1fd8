import { hasPytest } from '../../helpers/fixture-repos.ts';
import { runnerScenario } from '../../helpers/runner-scenario.ts';

runnerScenario({
  fixture: 'pytest',
  framework: 'pytest',
  passingId: 'tests/test_discount.py::test_keeps_price_without_code',
  failingId: 'tests/test_discount.py::TestHalf::test_halves_price',
  skippedId: 'tests/test_discount.py::test_rounds_cents',
  sourceFile: 'shop/discount.py',
  failingOnlyLines: [6, 7],
  passingOnlyLine: 8,
  actual: /6\.0/,
  skip: (await hasPytest()) ? false : 'pytest is not installed for python3 (apt-get install python3-pytest)',
});
