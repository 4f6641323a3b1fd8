import http from 'node:http';
import { PRODUCTS, productBySku } from './products.ts';
import { promoPercent } from './promo.ts';
import { parseSince } from './since.ts';
import { totalStock } from './stock.ts';
import { grossPrice, vatRate } from './tax.ts';
import { log, span } from './telemetry.ts';

class HttpError extends Error {
  status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** GET /products/{sku}/price?promo=CODE: the net and gross price, and the promotion's. */
function handlePrice(url: URL, sku: string): unknown {
  const product = productBySku(sku);
  if (!product) throw new HttpError(404, `no product ${sku}`);
  const gross = span('tax.gross_price', { 'product.sku': sku }, () => grossPrice(product.net));
  const promo = url.searchParams.get('promo');
  const percent = promo === null ? 0 : span('promo.lookup', { 'promo.code': promo }, () => promoPercent(promo));
  log.info('price quoted', { 'product.sku': sku, 'promo.percent': percent });
  return { sku, net: product.net, vatRate: vatRate(product.net), gross, promoPercent: percent, price: Math.round(gross * (100 - percent)) / 100 };
}

/** GET /products/changes?since=…: the products changed since then. */
function handleChanges(url: URL): unknown {
  const since = url.searchParams.get('since');
  if (!since) throw new HttpError(400, 'since is required');
  const from = span('changes.parse_since', { 'changes.since': since }, () => parseSince(since));
  const changed = PRODUCTS.filter((p) => p.changedAt > from).map((p) => p.sku);
  log.info('changes listed', { 'changes.count': changed.length });
  return { since: new Date(from).toISOString(), changed };
}

/** GET /products/{sku}/stock: units available across the warehouses. */
async function handleStock(sku: string): Promise<unknown> {
  if (!productBySku(sku)) throw new HttpError(404, `no product ${sku}`);
  return span('stock.total', { 'product.sku': sku }, () => totalStock(sku));
}

async function route(method: string, url: URL): Promise<{ route: string; run: () => unknown } | undefined> {
  if (method !== 'GET') return undefined;
  if (url.pathname === '/products/changes') return { route: '/products/changes', run: () => handleChanges(url) };
  const m = /^\/products\/([\w-]+)\/(price|stock)$/.exec(url.pathname);
  if (!m) return undefined;
  const sku = m[1]!;
  return m[2] === 'price' ? { route: '/products/{sku}/price', run: () => handlePrice(url, sku) } : { route: '/products/{sku}/stock', run: () => handleStock(sku) };
}

export async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const found = await route(req.method ?? 'GET', url);
  const attributes = { 'http.request.method': req.method ?? 'GET', 'url.path': url.pathname, ...(url.search ? { 'url.query': url.search.slice(1) } : {}), ...(found ? { 'http.route': found.route } : {}) };
  await span(
    `${req.method} ${found ? found.route : ''}`.trim(),
    attributes,
    async (s) => {
      try {
        if (!found) return send(res, 404, { error: 'not found' });
        send(res, 200, await found.run());
      } catch (error) {
        if (error instanceof HttpError) return send(res, error.status, { error: error.message });
        log.error('request failed', { 'http.route': found?.route ?? url.pathname }, error as Error);
        send(res, 500, { error: 'internal error' });
        throw error;
      } finally {
        s?.setAttribute('http.response.status_code', res.statusCode);
      }
    },
    1,
  ).catch(() => undefined);
}

export function createServer(): http.Server {
  return http.createServer((req, res) => void handle(req, res));
}

if (import.meta.main) {
  log.toConsole();
  const port = Number(process.env['PORT'] ?? 3000);
  const server = createServer().listen(port, () => log.info('listening', { 'server.port': port }));
  process.once('SIGTERM', () => server.close());
}
