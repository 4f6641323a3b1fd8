// Added by the fix commit as test/regression/guest-role-session.test.js.
const { it } = require('node:test');
const assert = require('node:assert/strict');
const { sessionTtlMs } = require('../../src/ttl.js');
const rules = require('../../src/rules.js');

it('a role the rules do not name gets no session lifetime', () => {
  assert.equal(sessionTtlMs(rules, 'guest'), 0);
});

it('a named role still gets the longest lifetime it is granted', () => {
  assert.equal(sessionTtlMs(rules, 'support'), 7_200_000);
});
