// Deterministic benchmark input for bench/assemble.ts: one incident whose trace has `spans` spans
// and `logs` log records (a third of them on the failing trace, the rest from five services over
// ±5 minutes), and a Sentry-style alert with 25 frames (10 in-app) carrying locals.
import type { Alert, Frame } from '../schemas/alert.ts';
import type { LogRecord, SpanRecord } from '../schemas/telemetry.ts';

export interface BenchIncident {
  alert: Alert;
  spans: SpanRecord[];
  logs: LogRecord[];
  errorSpanId: string;
  inAppFrames: number;
}

/** mulberry32: small, fast, and the same sequence on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (rand: () => number, n: number) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
const SERVICES = ['api', 'cart', 'inventory', 'auth', 'pricing'];
const NAMES = ['GET /api/cart/:id', 'SELECT carts', 'redis GET', 'pricing.quote', 'inventory.reserve', 'auth.verify', 'HTTP POST', 'serialize', 'cache.lookup', 'compute.total'];
const LOG_TEMPLATES = [
  (r: () => number) => `cache miss for key cart:${Math.floor(r() * 1e6)} after ${Math.floor(r() * 50)}ms`,
  (r: () => number) => `user ${['alice', 'bob', 'carol'][Math.floor(r() * 3)]}@example.com loaded cart ${hex(r, 24)}`,
  (r: () => number) => `retrying request ${uuid(r)} attempt ${Math.floor(r() * 5)}`,
  (r: () => number) => `price computed total=${(r() * 1000).toFixed(2)} currency='EUR' items=${Math.floor(r() * 20)}`,
  () => 'healthcheck ok',
  (r: () => number) => `upstream 10.0.${Math.floor(r() * 255)}.${Math.floor(r() * 255)} responded 503 in ${Math.floor(r() * 900)}ms`,
  (r: () => number) => `request finished status=${[200, 200, 200, 404, 500][Math.floor(r() * 5)]} path=/api/cart/${Math.floor(r() * 1e5)}`,
  (r: () => number) => `slow query took ${Math.floor(r() * 3000)}ms: SELECT * FROM carts WHERE id = ${Math.floor(r() * 1e6)}`,
];

function uuid(r: () => number): string {
  const h = hex(r, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function generateIncident(spanCount = 10_000, logCount = 100_000, seed = 42): BenchIncident {
  const rand = prng(seed);
  const traceId = hex(rand, 32);
  const t0 = 1_751_371_380_000_000_000n; // 2025-07-01T12:03:00Z in ns
  const spans: SpanRecord[] = [];
  const depth: number[] = [];
  for (let i = 0; i < spanCount; i++) {
    // A wide, shallow tree: parents among the first spans keep depth ≤ ~8.
    const parentIndex = i === 0 ? -1 : Math.floor(rand() * Math.min(i, 200));
    const service = SERVICES[i === 0 ? 0 : Math.floor(rand() * SERVICES.length)] as string;
    const start = t0 + BigInt(i) * 1_000_000n;
    spans.push({
      traceId,
      spanId: hex(rand, 16),
      ...(parentIndex >= 0 ? { parentSpanId: (spans[parentIndex] as SpanRecord).spanId } : {}),
      name: NAMES[Math.floor(rand() * NAMES.length)] as string,
      kind: i === 0 ? 2 : 1 + Math.floor(rand() * 3),
      startTimeUnixNano: start.toString(),
      endTimeUnixNano: (start + BigInt(Math.floor(rand() * 5e7))).toString(),
      statusCode: rand() < 0.01 ? 2 : 0,
      service,
      attributes: {
        'http.request.method': 'GET',
        'http.route': '/api/cart/:id',
        'url.path': `/api/cart/${Math.floor(rand() * 1e5)}`,
        'db.statement': `SELECT * FROM carts WHERE owner = 'user${i}@example.com'`,
        'app.internal.counter': i,
        'enduser.id': `user${i}@example.com`,
        'http.request.header.authorization': `Bearer tok_${hex(rand, 32)}`,
        'feature_flag.new_pricing': i % 2 === 0,
      },
      resource: { 'service.name': service, 'service.version': '1.4.2', 'process.runtime.name': 'node', 'process.runtime.version': '24.1.0', 'host.arch': 'amd64', 'vcs.ref.head.revision': 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' },
      events: [],
    });
    depth.push(parentIndex >= 0 ? (depth[parentIndex] as number) + 1 : 0);
  }
  // The error: the deepest span in `cart`, with an exception event, and its children.
  let errorIndex = 1;
  for (let i = 1; i < spanCount; i++) if ((depth[i] as number) > (depth[errorIndex] as number)) errorIndex = i;
  const errorSpan = spans[errorIndex] as SpanRecord;
  errorSpan.statusCode = 2;
  errorSpan.service = 'cart';
  errorSpan.resource = { ...errorSpan.resource, 'service.name': 'cart' };
  errorSpan.events = [{ name: 'exception', timeUnixNano: errorSpan.endTimeUnixNano, attributes: { 'exception.type': 'TypeError', 'exception.message': "Cannot read properties of undefined (reading 'price')" } }];
  const errorMs = Number(BigInt(errorSpan.endTimeUnixNano) / 1_000_000n);

  const logs: LogRecord[] = [];
  for (let i = 0; i < logCount; i++) {
    const onTrace = rand() < 0.33;
    const service = onTrace ? (errorSpan.service as string) : (SERVICES[Math.floor(rand() * SERVICES.length)] as string);
    const ms = errorMs + Math.floor((rand() - 0.5) * 600_000);
    const template = LOG_TEMPLATES[Math.floor(rand() * LOG_TEMPLATES.length)] as (r: () => number) => string;
    logs.push({
      timeUnixNano: (BigInt(ms) * 1_000_000n + BigInt(i % 1_000_000)).toString(),
      severityNumber: [9, 9, 9, 13, 17][Math.floor(rand() * 5)] as number,
      body: template(rand),
      ...(onTrace ? { traceId, spanId: (spans[Math.floor(rand() * spanCount)] as SpanRecord).spanId } : {}),
      service,
      attributes: { 'code.function': 'handler', 'app.request_id': hex(rand, 16) },
      resource: { 'service.name': service },
    });
  }

  const frames: Frame[] = [];
  for (let i = 0; i < 25; i++) {
    const inApp = i >= 15; // callers first: 15 library frames, then 10 in-app frames, crash last
    frames.push({
      file: inApp ? `src/cart/step${i}.ts` : `node_modules/express/lib/router/layer${i}.js`,
      function: inApp ? `step${i}` : `handle${i}`,
      line: 10 + i,
      column: 5,
      inApp,
      contextLine: `  const total = items.reduce((sum, item) => sum + item.price * item.qty, 0); // ${i}`,
      preContext: Array.from({ length: 5 }, (_, k) => `  // line ${k} of step ${i} with some code context here`),
      postContext: Array.from({ length: 5 }, (_, k) => `  return finish${k}(total, user.email);`),
      vars: {
        items: Array.from({ length: 40 }, (_, k) => ({ id: k, price: k === 7 ? undefined : k * 1.5, qty: 1 })),
        user: { email: 'alice@example.com', token: `ghp_${hex(rand, 36)}`, address: { city: 'Lyon', geo: { lat: 45.7, lng: 4.8 } } },
        note: 'x'.repeat(2000),
      },
    });
  }
  const alert: Alert = {
    source: 'sentry',
    deliveryId: hex(rand, 32),
    receivedAt: new Date(errorMs + 2000).toISOString(),
    kind: 'event_alert.triggered',
    title: "TypeError: Cannot read properties of undefined (reading 'price')",
    errorType: 'TypeError',
    message: "Cannot read properties of undefined (reading 'price')",
    exceptions: [],
    frames,
    traceId,
    release: 'cart@1.4.2',
    environment: 'production',
    service: 'cart',
    request: { method: 'GET', url: 'https://shop.example.com/api/cart/42', headers: { Cookie: 'sid=abc123', 'User-Agent': 'Mozilla/5.0' } },
    tags: { runtime: 'node 24.1.0' },
    sourceRefs: {},
  };
  return { alert, spans, logs, errorSpanId: errorSpan.spanId, inAppFrames: 10 };
}
