// Added by the fix commit as test/regression/guest-role-session.test.js.
const { it } = require('node:test');
const assert = require('node:assert/strict');
const { sessionTtlMs } = require('../../src/ttl.js');
const rules = require('../../src/rules.js');

it('a role no rule names gets no session lifetime', () => {
  assert.equal(sessionTtlMs(rules, 'guest'), 0);
});

it('a role still gets the longest lifetime its rules grant', () => {
  assert.equal(sessionTtlMs(rules, 'support'), 7_200_000);
});
