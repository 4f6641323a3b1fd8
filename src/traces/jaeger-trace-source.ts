// Jaeger's query service. `v1` reads GET /api/traces/{id} (Jaeger's own JSON; served by Jaeger 1.x
// and still by 2.x for its UI); `v3` reads Jaeger 2.x's GET /api/v3/traces/{id}, which answers
// `{"result": <OTLP TracesData JSON>}`.
import type { SpanRecord } from '../../schemas/telemetry.ts';
import { isObj } from './otlp/decoded.ts';
import { spansFromRequest } from './otlp/traces-request.ts';
import { getJson, TraceSourceError, type HttpSourceOptions } from './http-source.ts';
import { fromJaegerJson } from './jaeger-json.ts';
import { TRACE_ID_PATTERN, type TraceSource } from './types.ts';

export type JaegerApi = 'v1' | 'v3';

export class JaegerTraceSource implements TraceSource {
  readonly name: string;
  readonly #options: HttpSourceOptions;
  readonly #api: JaegerApi;

  constructor(options: HttpSourceOptions & { api?: JaegerApi }) {
    this.#options = options;
    this.#api = options.api ?? 'v1';
    this.name = this.#api === 'v1' ? 'jaeger' : 'jaeger-v3';
  }

  async getTrace(traceId: string): Promise<SpanRecord[]> {
    const id = traceId.toLowerCase();
    if (!TRACE_ID_PATTERN.test(id)) return [];
    const path = this.#api === 'v1' ? `/api/traces/${id}` : `/api/v3/traces/${id}`;
    const body = await getJson(this.#options, path, 'Jaeger');
    if (body === undefined) return [];
    const spans = this.#api === 'v1' ? fromJaegerJson(body) : fromJaegerV3Json(body);
    return spans.filter((s) => s.traceId === id);
  }
}

export function fromJaegerV3Json(body: unknown): SpanRecord[] {
  if (!isObj(body)) throw new TraceSourceError('Jaeger sent a trace that is not an object');
  const result = isObj(body.result) ? body.result : body;
  // The v3 gateway marshals with the collector's pdata (hex ids); base64 is accepted in case a
  // proxy or an older build re-encodes them.
  return spansFromRequest({ resourceSpans: result.resourceSpans ?? [] }, { base64: true }).records;
}
