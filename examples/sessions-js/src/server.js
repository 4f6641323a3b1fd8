'use strict';

// GET /session-ttl?role=<role> → { role, ttlMs }: what the login service asks before it opens a
// session. A server span per request, log records through src/telemetry.js.
const http = require('node:http');
const rules = require('./rules.js');
const { sessionTtlMs } = require('./ttl.js');
const { log, span, SpanKind } = require('./telemetry.js');

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function handleSessionTtl(url, res) {
  const role = url.searchParams.get('role') ?? 'customer';
  log.info('session lifetime requested', { 'session.role': role });
  const ttlMs = span('sessions.ttl', { 'session.role': role, 'session.roles': Object.keys(rules).length }, () => sessionTtlMs(rules, role));
  send(res, 200, { role, ttlMs });
}

async function handle(req, res) {
  const url = new URL(req.url, 'http://localhost');
  const known = req.method === 'GET' && url.pathname === '/session-ttl';
  const attributes = { 'http.request.method': req.method, 'url.path': url.pathname, 'url.query': url.search.slice(1) || undefined, 'http.route': known ? '/session-ttl' : undefined };
  await span(`${req.method} ${known ? '/session-ttl' : ''}`.trim(), attributes, async (s) => {
    try {
      if (!known) return send(res, 404, { error: 'not found' });
      handleSessionTtl(url, res);
    } catch (error) {
      log.error('request failed', { 'http.route': attributes['http.route'] }, error);
      send(res, 500, { error: 'internal error' });
      throw error;
    } finally {
      s?.setAttribute?.('http.response.status_code', res.statusCode);
    }
  }, { kind: SpanKind.SERVER }).catch(() => undefined);
}

function createServer() {
  return http.createServer((req, res) => void handle(req, res));
}

if (require.main === module) {
  log.toConsole();
  const port = Number(process.env.PORT ?? 3000);
  const server = createServer().listen(port, () => log.info('listening', { 'server.port': port }));
  process.once('SIGTERM', () => server.close());
}

module.exports = { createServer, handle };
