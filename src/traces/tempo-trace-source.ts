// Grafana Tempo: GET /api/traces/<traceID> answers OTLP JSON with two quirks (grafana/tempo#3802,
// #5437): the list is `batches` instead of `resourceSpans`, and ids are base64 (Go jsonpb's
// rendering of bytes), with enum names for kind/status. The OTLP decoder reads both quirks.
import type { SpanRecord } from '../../schemas/telemetry.ts';
import { isObj } from './otlp/decoded.ts';
import { spansFromRequest } from './otlp/traces-request.ts';
import { getJson, TraceSourceError, type HttpSourceOptions } from './http-source.ts';
import { TRACE_ID_PATTERN, type TraceSource } from './types.ts';

export class TempoTraceSource implements TraceSource {
  readonly name = 'tempo';
  readonly #options: HttpSourceOptions;

  constructor(options: HttpSourceOptions) {
    this.#options = options;
  }

  async getTrace(traceId: string): Promise<SpanRecord[]> {
    const id = traceId.toLowerCase();
    if (!TRACE_ID_PATTERN.test(id)) return [];
    const body = await getJson(this.#options, `/api/traces/${id}`, 'Tempo');
    if (body === undefined) return [];
    return fromTempoJson(body).filter((s) => s.traceId === id);
  }
}

/** Tempo's v1 (`batches`) and v2 (`trace.resourceSpans`) shapes, and plain OTLP JSON. */
export function fromTempoJson(body: unknown): SpanRecord[] {
  if (!isObj(body)) throw new TraceSourceError('Tempo sent a trace that is not an object');
  const trace = isObj(body.trace) ? body.trace : body;
  const resourceSpans = trace.batches ?? trace.resourceSpans ?? [];
  return spansFromRequest({ resourceSpans }, { base64: true }).records;
}
