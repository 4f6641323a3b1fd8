// Session lifetimes: each rule gives roles a duration written for people ("30m", "12h").
const ms = require('ms');

function parseTtl(text) {
  const value = ms(text);
  if (typeof value !== 'number' || !(value > 0)) throw new RangeError(`Invalid session duration: ${text}`);
  return value;
}

/** The longest lifetime any rule grants the role, in ms; 0 (no session) for a role no rule names. */
function sessionTtlMs(rules, role) {
  const granted = rules.filter((rule) => rule.roles.includes(role)).map((rule) => parseTtl(rule.ttl));
  return granted.reduce((longest, ttl) => (ttl > longest ? ttl : longest));
}

module.exports = { parseTtl, sessionTtlMs };
