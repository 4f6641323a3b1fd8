// The lifetime rules (a config table in production).
module.exports = [
  { roles: ['customer'], ttl: '30m' },
  { roles: ['customer', 'support'], ttl: '2h' },
  { roles: ['admin'], ttl: '15m' },
];
