import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSince } from '../src/since.ts';
import { inventory } from '../src/stock.ts';

describe('change feed and stock', () => {
  it('parses an ISO 8601 since', () => {
    assert.equal(parseSince('2026-06-01T00:00:00Z'), Date.UTC(2026, 5, 1));
    assert.throws(() => parseSince('yesterday'), RangeError);
  });

  it("reads one warehouse's stock", async () => {
    assert.deepEqual(await inventory.stock('MUG-01', 'berlin'), { warehouse: 'berlin', units: { available: 40 } });
    assert.deepEqual(await inventory.stock('NOPE', 'lyon'), { warehouse: 'lyon', units: { available: 0 } });
  });
});
