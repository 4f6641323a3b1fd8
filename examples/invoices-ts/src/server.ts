import http from 'node:http';
import { renderStatement } from './statement.ts';
import { log, span } from './telemetry.ts';
import type { Invoice } from './types.ts';

class BadRequest extends Error {}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequest('the body is not JSON');
  }
}

function isInvoice(v: unknown): v is Invoice {
  const i = v as Partial<Invoice> | null;
  return (
    !!i &&
    typeof i.id === 'string' &&
    typeof i.customer === 'string' &&
    /^[A-Z]{3}$/.test(i.currency ?? '') &&
    Array.isArray(i.lines) &&
    i.lines.every((l) => typeof l.description === 'string' && Number.isFinite(l.quantity) && Number.isFinite(l.unitPrice)) &&
    Array.isArray(i.payments) &&
    i.payments.every((p) => typeof p.date === 'string' && Number.isFinite(p.amount))
  );
}

function send(res: http.ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

/** POST /invoices/statement: the plain-text statement of the invoice in the body. */
async function handleStatement(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const invoice = await readJson(req);
  if (!isInvoice(invoice)) throw new BadRequest('expected an invoice { id, customer, currency, lines, payments }');
  log.info('statement requested', { 'invoice.id': invoice.id, 'invoice.lines': invoice.lines.length });
  const text = span('statement.render', { 'invoice.lines': invoice.lines.length, 'invoice.payments': invoice.payments.length }, () => renderStatement(invoice));
  send(res, 200, 'text/plain; charset=utf-8', text);
}

const ROUTES: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>> = {
  'POST /invoices/statement': handleStatement,
};

export async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
  const handler = ROUTES[`${req.method} ${pathname}`];
  const attributes = { 'http.request.method': req.method ?? 'GET', 'url.path': req.url ?? '/', ...(handler ? { 'http.route': pathname } : {}) };
  await span(
    `${req.method} ${handler ? pathname : ''}`.trim(),
    attributes,
    async (s) => {
      try {
        if (!handler) return send(res, 404, 'application/json', '{"error":"not found"}');
        await handler(req, res);
      } catch (error) {
        if (error instanceof BadRequest) return send(res, 400, 'application/json', JSON.stringify({ error: error.message }));
        log.error('request failed', { 'http.route': pathname }, error as Error);
        send(res, 500, 'application/json', '{"error":"internal error"}');
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
