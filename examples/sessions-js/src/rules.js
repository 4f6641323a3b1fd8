// The lifetime rules, by role: every lifetime a role is granted (a config table in production).
module.exports = {
  customer: ['30m', '2h'],
  support: ['2h'],
  admin: ['15m'],
};
