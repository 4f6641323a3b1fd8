const test = require('node:test');
const assert = require('node:assert');
const { parseTtl, sessionTtlMs } = require('../src/ttl.js');
const rules = require('../src/rules.js');

test('parses human durations', () => {
  assert.equal(parseTtl('30m'), 1_800_000);
  assert.equal(parseTtl('2h'), 7_200_000);
});

test('refuses a duration that is not one', () => {
  assert.throws(() => parseTtl('soon'), RangeError);
});

test('a role gets the longest lifetime any rule grants it', () => {
  assert.equal(sessionTtlMs(rules, 'customer'), 7_200_000);
  assert.equal(sessionTtlMs(rules, 'admin'), 900_000);
});
