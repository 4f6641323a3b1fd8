// The symptom-suppression guard on Python patches, through the helper script (python3 on the host).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSuppression } from '../../../src/repair/guards/index.ts';

const FILE = 'shop/orders.py';
const BEFORE = `import logging

log = logging.getLogger(__name__)


def order_total(order):
    """Total of an order's lines; 0 when there is no order."""
    lines = order["lines"]
    total = sum(line["price"] * line["qty"] for line in lines)
    return round(total, 2)
`;
// The incident: TypeError on line 8 (order is None).
const CRASH = { file: FILE, line: 8, function: 'order_total' };

const body = (lines: string) => `import logging

log = logging.getLogger(__name__)


def order_total(order):
    """Total of an order's lines; 0 when there is no order."""
${lines}
`;

const check = (after: string, before = BEFORE, crashSite = CRASH) =>
  checkSuppression({ before: new Map([[FILE, before]]), after: new Map([[FILE, after]]), crashSite });

async function rejected(after: string, reason: RegExp, before = BEFORE, crashSite = CRASH): Promise<void> {
  const verdict = await check(after, before, crashSite);
  assert.equal(verdict.suppressed, true, `accepted:\n${after}`);
  assert.match((verdict as { reason: string }).reason, reason);
}

test('rejects try/except that passes, only logs, or returns from a broad except', async () => {
  await rejected(
    body(`    try:
        lines = order["lines"]
        total = sum(line["price"] * line["qty"] for line in lines)
        return round(total, 2)
    except Exception:
        pass`),
    /wraps the crash site in order_total\(\) in a handler that swallows the error \(only passes/,
  );
  await rejected(
    body(`    try:
        lines = order["lines"]
    except TypeError:
        log.warning("no order")
        lines = []
    total = sum(line["price"] * line["qty"] for line in lines)
    return round(total, 2)`).replace('log.warning("no order")\n        lines = []', 'log.warning("no order")'),
    /only logs/,
  );
  await rejected(
    body(`    try:
        lines = order["lines"]
        total = sum(line["price"] * line["qty"] for line in lines)
        return round(total, 2)
    except:
        return 0`),
    /only returns \(a broad except\)/,
  );
});

test('rejects `with suppress(...)` around the crash site', async () => {
  const after = `from contextlib import suppress
${body(`    total = 0
    with suppress(TypeError):
        lines = order["lines"]
        total = sum(line["price"] * line["qty"] for line in lines)
    return round(total, 2)`)}`;
  await rejected(after, /with suppress/);
});

test('rejects deleting the failing call', async () => {
  await rejected(
    body(`    lines = order["lines"]
    total = 0
    return round(total, 2)`),
    /deletes the failing call sum\(\) from the crash line of order_total\(\)/,
    BEFORE,
    { ...CRASH, line: 9 },
  );
});

test('rejects an unconditional return at the function start (after the docstring)', async () => {
  await rejected(
    body(`    return 0
    lines = order["lines"]
    total = sum(line["price"] * line["qty"] for line in lines)
    return round(total, 2)`),
    /returns unconditionally at the start of order_total\(\)/,
  );
});

test('rejects guards that cover every input', async () => {
  for (const condition of ['True', 'order is None or order is not None', 'not False', 'len(order) >= 0', 'order or not order']) {
    await rejected(
      body(`    if ${condition}:
        return 0
    lines = order["lines"]
    total = sum(line["price"] * line["qty"] for line in lines)
    return round(total, 2)`),
      /adds a guard in order_total\(\) whose condition \(.+\) holds for every input/,
    );
  }
});

test('accepts a genuine None guard returning the documented default only for None', async () => {
  const verdict = await check(
    body(`    if order is None:
        return 0
    lines = order["lines"]
    total = sum(line["price"] * line["qty"] for line in lines)
    return round(total, 2)`),
  );
  assert.deepEqual(verdict, { suppressed: false });
});

test('accepts a narrow except that returns the documented value for one expected error', async () => {
  const before = `from datetime import datetime


def parse_day(value):
    """ISO day of a 'YYYY-MM-DD' string, or None if it is not a valid date."""
    day = datetime.strptime(value, "%Y-%m-%d")
    return day.date().isoformat()
`;
  const after = before.replace(
    '    day = datetime.strptime(value, "%Y-%m-%d")\n',
    '    try:\n        day = datetime.strptime(value, "%Y-%m-%d")\n    except ValueError:\n        return None\n',
  );
  const verdict = await checkSuppression({
    before: new Map([['days.py', before]]),
    after: new Map([['days.py', after]]),
    crashSite: { file: 'days.py', line: 6, function: 'parse_day' },
  });
  assert.deepEqual(verdict, { suppressed: false });
});

test('a crash file that no longer parses is left to the test run', async () => {
  assert.deepEqual(await check(body('    return (')), { suppressed: false });
});
