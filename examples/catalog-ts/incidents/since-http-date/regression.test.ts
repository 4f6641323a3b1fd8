// Added by the fix commit as test/regression/since-http-date.test.ts.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseSince } from '../../src/since.ts';

it('parses an HTTP-date as well as ISO 8601', () => {
  assert.equal(parseSince('Mon, 01 Jun 2026 00:00:00 GMT'), Date.UTC(2026, 5, 1));
  assert.equal(parseSince('Sun, 28 Jun 2026 17:45:00 GMT'), Date.UTC(2026, 5, 28, 17, 45));
  assert.equal(parseSince('2026-06-01T00:00:00Z'), Date.UTC(2026, 5, 1));
});

it('still rejects what is neither', () => {
  assert.throws(() => parseSince('last week'), RangeError);
});
