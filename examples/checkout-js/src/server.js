'use strict';

const http = require('node:http');
const { UnknownProductError } = require('./catalog.js');
const { quote } = require('./quote.js');
const { log, span, SpanKind } = require('./telemetry.js');

class BadRequest extends Error {}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequest('the body is not JSON');
  }
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function validCart(cart) {
  return (
    cart !== null &&
    typeof cart === 'object' &&
    Array.isArray(cart.items) &&
    cart.items.length > 0 &&
    cart.items.every((i) => typeof i.sku === 'string' && Number.isInteger(i.qty) && i.qty > 0) &&
    typeof cart.country === 'string'
  );
}

/** POST /quote: prices a cart. */
async function handleQuote(req, res) {
  const cart = await readJson(req);
  if (!validCart(cart)) throw new BadRequest('expected { items: [{ sku, qty }], addOns?, country }');
  log.info('quote requested', { 'checkout.items': cart.items.length, 'checkout.country': cart.country });
  const result = await span('checkout.quote', { 'checkout.items': cart.items.length }, () => quote(cart));
  send(res, 200, result);
}

const ROUTES = { 'POST /quote': handleQuote };

async function handle(req, res) {
  const route = `${req.method} ${new URL(req.url, 'http://localhost').pathname}`;
  const handler = ROUTES[route];
  const attributes = { 'http.request.method': req.method, 'url.path': req.url, 'http.route': handler ? route.split(' ')[1] : undefined };
  await span(`${req.method} ${handler ? attributes['http.route'] : ''}`.trim(), attributes, async (s) => {
    try {
      if (!handler) return send(res, 404, { error: 'not found' });
      await handler(req, res);
    } catch (error) {
      if (error instanceof BadRequest || error instanceof UnknownProductError) return send(res, 400, { error: error.message });
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
