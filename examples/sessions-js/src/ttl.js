// Session lifetimes: the rules give each role durations written for people ("30m", "12h").
const ms = require('ms');

function parseTtl(text) {
  const value = ms(text);
  if (typeof value !== 'number' || !(value > 0)) throw new RangeError(`Invalid session duration: ${text}`);
  return value;
}

/** The longest lifetime the rules grant the role, in ms; 0 (no session) for a role they do not name. */
function sessionTtlMs(rules, role) {
  const granted = (rules[role] ?? []).map(parseTtl);
  return granted.reduce((longest, ttl) => (ttl > longest ? ttl : longest));
}

module.exports = { parseTtl, sessionTtlMs };
