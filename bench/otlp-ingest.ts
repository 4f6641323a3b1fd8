// OTLP ingest throughput: spans/s through the receiver plugin (fastify.inject, a few requests in
// flight, as concurrent exporters would send) into the database trace store on PGlite, against a
// baseline that only parses the same bodies (JSON.parse / protobuf decode), in the same run.
// Bodies are real SDK output: spans made with the OpenTelemetry SDK, serialized by its JSON and
// protobuf serializers, 512 spans per request (BatchSpanProcessor's default batch).
// Run: node bench/otlp-ingest.ts [totalSpans]
import { fileURLToPath } from 'node:url';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import Fastify from 'fastify';
import { otlpRoutes } from '../src/intake/otlp/plugin.ts';
import { decodeTraceRequest } from '../src/traces/otlp/protobuf.ts';
import { spansFromRequest } from '../src/traces/otlp/traces-request.ts';
import { migrate } from '../src/store/migrate.ts';
import { openPglite } from '../src/store/pglite-db.ts';
import { DbTraceStore } from '../src/traces/db-trace-store.ts';

export interface OtlpIngestRow {
  encoding: 'json' | 'protobuf';
  path: string;
  spans: number;
  /** Median wall-clock time of the runs. */
  seconds: number;
  spansPerSecond: number;
  /** Spans per second of this process's CPU time (user + system): steadier than wall-clock on a
   * shared machine. PGlite runs in-process, so this covers the database work too. */
  spansPerCpuSecond: number;
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

const SPANS_PER_REQUEST = 512;
const IN_FLIGHT = 4;

/** Request bodies of `total` distinct spans (a server span with children, one in ten failing). */
function makeBodies(total: number): { json: Buffer[]; protobuf: Buffer[] } {
  const bodies = { json: [] as Buffer[], protobuf: [] as Buffer[] };
  const resource = resourceFromAttributes({
    'service.name': 'checkout',
    'service.version': '4.2.0',
    'deployment.environment.name': 'production',
    'host.name': 'checkout-7f9c6d-x2x9q',
    'process.pid': 4242,
    'vcs.ref.head.revision': '0123456789abcdef0123456789abcdef01234567',
    // What NodeSDK's default detectors add (host, os, process): a realistic resource is ~1 kB.
    'host.arch': 'amd64',
    'os.type': 'linux',
    'os.version': '6.1.0-18-cloud-amd64',
    'process.executable.name': 'node',
    'process.executable.path': '/usr/local/bin/node',
    'process.command_args': ['/usr/local/bin/node', '--enable-source-maps', '/app/dist/server.js'],
    'process.runtime.version': '24.1.0',
    'process.runtime.name': 'nodejs',
    'process.runtime.description': 'Node.js',
    'process.command': '/app/dist/server.js',
    'process.owner': 'node',
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.version': '2.12.1',
  });
  for (let made = 0; made < total; made += SPANS_PER_REQUEST) {
    const exporter = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('@opentelemetry/instrumentation-http', '0.200.0');
    const count = Math.min(SPANS_PER_REQUEST, total - made);
    let server = tracer.startSpan('GET /orders/:id', { kind: SpanKind.SERVER });
    for (let i = 0; i < count; i++) {
      if (i % 8 === 0) {
        server.end();
        server = tracer.startSpan('GET /orders/:id', {
          kind: SpanKind.SERVER,
          attributes: {
            'http.request.method': 'GET',
            'url.path': `/orders/${made + i}`,
            'http.route': '/orders/:id',
            'http.response.status_code': 200,
            'server.address': 'shop.example.com',
            'network.protocol.version': '1.1',
            'client.address': '10.0.3.7',
            'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0',
          },
        });
        continue;
      }
      const child = tracer.startSpan(
        'SELECT orders',
        { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql', 'db.namespace': 'shop', 'db.query.text': 'select * from orders where id = $1', 'server.port': 5432 } },
        trace.setSpan(context.active(), server),
      );
      if (i % 10 === 1) {
        child.recordException(new TypeError("Cannot read properties of undefined (reading 'price')"));
        child.setStatus({ code: SpanStatusCode.ERROR, message: 'query failed' });
      }
      child.end();
    }
    server.end();
    const spans = exporter.getFinishedSpans().slice(0, count);
    bodies.json.push(Buffer.from(JsonTraceSerializer.serializeRequest(spans)!));
    bodies.protobuf.push(Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!));
  }
  return bodies;
}

function countSpans(bodies: Buffer[], encoding: 'json' | 'protobuf'): number {
  return bodies.reduce((n, body) => n + spansFromRequest(encoding === 'json' ? JSON.parse(body.toString('utf8')) : decodeTraceRequest(body)).records.length, 0);
}

const RUNS = 3;

/** The run with the median wall time, of RUNS runs. */
async function measure(fn: () => Promise<void> | void): Promise<Timing> {
  const timings: Timing[] = [];
  for (let i = 0; i < RUNS; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await fn();
    const wallMs = performance.now() - start;
    const used = process.cpuUsage(cpu);
    timings.push({ wallMs, cpuMs: (used.user + used.system) / 1000 });
  }
  return timings.sort((a, b) => a.wallMs - b.wallMs)[Math.floor(RUNS / 2)]!;
}

function row(encoding: OtlpIngestRow['encoding'], path: string, spans: number, t: Timing): OtlpIngestRow {
  return {
    encoding,
    path,
    spans,
    seconds: Number((t.wallMs / 1000).toFixed(3)),
    spansPerSecond: Math.round(spans / (t.wallMs / 1000)),
    spansPerCpuSecond: Math.round(spans / (t.cpuMs / 1000)),
  };
}

/** A fresh PGlite and app per run (setup is not timed); times the ingest until the last flush. */
async function throughPlugin(bodies: Buffer[], encoding: 'json' | 'protobuf'): Promise<Timing> {
  const db = await openPglite('memory://');
  await migrate(db);
  const store = new DbTraceStore(db);
  const app = Fastify();
  await app.register(otlpRoutes, { traceStore: store, config: { otlp: { token: undefined, bodyLimit: 64 * 1024 * 1024 } } });
  await app.ready();
  const contentType = encoding === 'json' ? 'application/json' : 'application/x-protobuf';
  const cpu = process.cpuUsage();
  const start = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const payload = bodies[next++]!;
      const res = await app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': contentType }, payload });
      if (res.statusCode !== 200 || res.rawPayload.length > 2) throw new Error(`ingest failed: ${res.statusCode} ${res.body}`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  await store.flush();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const [stored] = await db.query<{ n: number }>('select count(*)::int as n from trace_spans');
  await app.close();
  await store.close();
  await db.close();
  if (Number(stored?.n) !== countSpans(bodies, encoding)) throw new Error(`stored ${stored?.n} spans, expected all`);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

async function medianOf(runs: number, fn: () => Promise<Timing>): Promise<Timing> {
  const timings: Timing[] = [];
  for (let i = 0; i < runs; i++) timings.push(await fn());
  return timings.sort((a, b) => a.wallMs - b.wallMs)[Math.floor(runs / 2)]!;
}

export async function runOtlpIngestBench(options: { totalSpans?: number } = {}): Promise<OtlpIngestRow[]> {
  const total = options.totalSpans ?? 51_200;
  const bodies = makeBodies(total);
  const rows: OtlpIngestRow[] = [];
  await throughPlugin(bodies.json.slice(0, 4), 'json'); // warm-up: JIT, PGlite's WASM
  for (const encoding of ['json', 'protobuf'] as const) {
    const list = bodies[encoding];
    const parse = encoding === 'json' ? (b: Buffer) => JSON.parse(b.toString('utf8')) : (b: Buffer) => decodeTraceRequest(b);
    rows.push(row(encoding, 'baseline: parse only', total, await measure(() => list.forEach(parse))));
    rows.push(row(encoding, 'parse + normalize to SpanRecord', total, await measure(() => list.forEach((b) => spansFromRequest(parse(b))))));
    rows.push(row(encoding, 'plugin (inject) → DbTraceStore on PGlite', total, await medianOf(RUNS, () => throughPlugin(list, encoding))));
  }
  return rows;
}

export function markdownTable(rows: OtlpIngestRow[]): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const lines = ['| encoding | path | spans | seconds | spans/s | spans/CPU-s |', '| --- | --- | ---: | ---: | ---: | ---: |'];
  for (const r of rows) lines.push(`| ${r.encoding} | ${r.path} | ${r.spans} | ${r.seconds} | ${n(r.spansPerSecond)} | ${n(r.spansPerCpuSecond)} |`);
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const totalSpans = process.argv[2] ? Number(process.argv[2]) : undefined;
  const rows = await runOtlpIngestBench(totalSpans ? { totalSpans } : {});
  console.log(`OTLP ingest, ${SPANS_PER_REQUEST} spans per request, ${IN_FLIGHT} requests in flight, median of ${RUNS} runs, Node ${process.version}\n`);
  console.log(markdownTable(rows));
}
