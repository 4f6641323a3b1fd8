// Local HTTP servers that answer trace-by-id the way Tempo and Jaeger do, from SpanRecords the test
// puts in. Tempo: GET /api/traces/{id} → {"batches": [...]} with base64 ids and enum names (Go
// jsonpb, grafana/tempo#3802 and #5437). Jaeger query: GET /api/traces/{id} → {"data": [trace]}
// in Jaeger's JSON model; Jaeger 2.x: GET /api/v3/traces/{id} → {"result": {resourceSpans}}.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SpanRecord } from '../../schemas/telemetry.ts';
import { renderResourceSpans } from './otlp.ts';

export interface FakeBackend {
  url: string;
  /** Spans served, by trace id. */
  traces: Map<string, SpanRecord[]>;
  /** Requests seen (path and authorization header). */
  requests: { path: string; authorization: string | undefined }[];
  /** When set, every request answers this status. */
  failWith?: number;
  close(): Promise<void>;
}

type Render = (spans: SpanRecord[]) => unknown;

async function serve(routes: { prefix: string; render: Render; notFound: unknown }[]): Promise<FakeBackend> {
  const backend: Partial<FakeBackend> = { traces: new Map(), requests: [] };
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    backend.requests!.push({ path, authorization: req.headers.authorization });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (backend.failWith) return send(backend.failWith, { error: 'injected failure' });
    for (const route of routes) {
      if (!path.startsWith(route.prefix)) continue;
      const spans = backend.traces!.get(path.slice(route.prefix.length).toLowerCase());
      return spans ? send(200, route.render(spans)) : send(404, route.notFound);
    }
    return send(404, { error: 'no such route' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  backend.url = `http://127.0.0.1:${port}`;
  backend.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return backend as FakeBackend;
}

export function fakeTempo(): Promise<FakeBackend> {
  return serve([
    {
      prefix: '/api/traces/',
      render: (spans) => ({ batches: renderResourceSpans(spans, { ids: 'base64', enums: 'name' }) }),
      notFound: 'trace not found',
    },
  ]);
}

export function fakeJaeger(): Promise<FakeBackend> {
  return serve([
    {
      prefix: '/api/v3/traces/',
      render: (spans) => ({ result: { resourceSpans: renderResourceSpans(spans, { ids: 'hex', enums: 'int' }) } }),
      notFound: { error: { httpCode: 404, message: 'trace not found' } },
    },
    {
      prefix: '/api/traces/',
      render: (spans) => ({ data: [jaegerTrace(spans)], total: 0, limit: 0, offset: 0, errors: null }),
      notFound: { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: 'trace not found' }] },
    },
  ]);
}

const KINDS = ['', 'internal', 'server', 'client', 'producer', 'consumer'];

function jaegerTag(key: string, value: unknown) {
  if (typeof value === 'boolean') return { key, type: 'bool', value };
  if (typeof value === 'number') return Number.isInteger(value) ? { key, type: 'int64', value } : { key, type: 'float64', value };
  return { key, type: 'string', value: typeof value === 'string' ? value : JSON.stringify(value) };
}

/** Jaeger's JSON model (model/json): µs times, tags, logs, processes, ids without leading zeros
 * in the high half (model.TraceID.String). */
function jaegerTrace(spans: SpanRecord[]) {
  const processes: Record<string, unknown> = {};
  const processIds = new Map<string, string>();
  const traceId = (hex: string) => {
    const high = hex.slice(0, 16).replace(/^0+/, '');
    return high ? `${high}${hex.slice(16)}` : hex.slice(16);
  };
  const jaegerSpans = spans.map((s) => {
    const key = JSON.stringify(s.resource);
    if (!processIds.has(key)) {
      const id = `p${processIds.size + 1}`;
      processIds.set(key, id);
      const { 'service.name': serviceName, ...rest } = s.resource;
      processes[id] = { serviceName, tags: Object.entries(rest).map(([k, v]) => jaegerTag(k, v)) };
    }
    const tags = Object.entries(s.attributes).map(([k, v]) => jaegerTag(k, v));
    if (s.kind > 0) tags.push(jaegerTag('span.kind', KINDS[s.kind]));
    if (s.statusCode === 2) tags.push(jaegerTag('otel.status_code', 'ERROR'), jaegerTag('error', true));
    if (s.statusCode === 1) tags.push(jaegerTag('otel.status_code', 'OK'));
    if (s.statusMessage) tags.push(jaegerTag('otel.status_description', s.statusMessage));
    const micros = (ns: string) => Number(BigInt(ns) / 1000n);
    return {
      traceID: traceId(s.traceId),
      spanID: s.spanId,
      operationName: s.name,
      references: s.parentSpanId ? [{ refType: 'CHILD_OF', traceID: traceId(s.traceId), spanID: s.parentSpanId }] : [],
      startTime: micros(s.startTimeUnixNano),
      duration: micros(s.endTimeUnixNano) - micros(s.startTimeUnixNano),
      tags,
      logs: s.events.map((e) => ({
        timestamp: micros(e.timeUnixNano),
        fields: [jaegerTag('event', e.name), ...Object.entries(e.attributes).map(([k, v]) => jaegerTag(k, v))],
      })),
      processID: processIds.get(key),
      warnings: null,
      flags: 1,
    };
  });
  return { traceID: traceId(spans[0]!.traceId), spans: jaegerSpans, processes, warnings: null };
}
