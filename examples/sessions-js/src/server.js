// GET /session-ttl?role=<role> → { role, ttlMs }.
const http = require('node:http');
const rules = require('./rules.js');
const { sessionTtlMs } = require('./ttl.js');

function handle(req, res) {
  const url = new URL(req.url, 'http://localhost');
  if (req.method !== 'GET' || url.pathname !== '/session-ttl') {
    res.writeHead(404).end();
    return;
  }
  const role = url.searchParams.get('role') ?? 'customer';
  const body = JSON.stringify({ role, ttlMs: sessionTtlMs(rules, role) });
  res.writeHead(200, { 'content-type': 'application/json' }).end(body);
}

if (require.main === module) http.createServer(handle).listen(Number(process.env.PORT ?? 3000));

module.exports = { handle };
