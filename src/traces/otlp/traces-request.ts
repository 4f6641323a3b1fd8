// ExportTraceServiceRequest (as parsed JSON, or as the protobuf message) → SpanRecord[]. A span
// with an unusable id is rejected on its own, with a reason; a body of the wrong shape throws.
import type { SpanRecord } from '../../../schemas/telemetry.ts';
import { addRejection, arrayField, isObj, OtlpDecodeError, type Decoded, type Obj } from './decoded.ts';
import { attributes, enumValue, nanos, normalizeId, SPAN_KIND_NAMES, STATUS_CODE_NAMES, type IdOptions } from './values.ts';

export function spansFromRequest(request: unknown, options: IdOptions = { base64: false }): Decoded<SpanRecord> {
  if (!isObj(request)) throw new OtlpDecodeError('The body is not an ExportTraceServiceRequest object');
  const decoded: Decoded<SpanRecord> = { records: [], rejected: 0, reasons: [] };
  const resourceSpans = arrayField(request, 'resourceSpans', 'request');
  resourceSpans.forEach((rs, r) => {
    const where = `resourceSpans[${r}]`;
    if (!isObj(rs)) throw new OtlpDecodeError(`${where} must be an object`);
    const resource = attributes(isObj(rs.resource) ? rs.resource.attributes : undefined);
    const service = typeof resource['service.name'] === 'string' ? resource['service.name'] : undefined;
    // `instrumentationLibrarySpans` was removed in proto 0.19.0 (2022) but old senders and Tempo's
    // JSON still use it; accepting it costs nothing.
    const scopes = [
      ...arrayField(rs, 'scopeSpans', where),
      ...arrayField(rs, 'instrumentationLibrarySpans', where),
    ];
    scopes.forEach((ss, s) => {
      if (!isObj(ss)) throw new OtlpDecodeError(`${where}.scopeSpans[${s}] must be an object`);
      arrayField(ss, 'spans', `${where}.scopeSpans[${s}]`).forEach((span, i) => {
        const at = `${where}.scopeSpans[${s}].spans[${i}]`;
        const result = toSpan(span, resource, service, options);
        if (typeof result === 'string') addRejection(decoded, `${at}: ${result}`);
        else decoded.records.push(result);
      });
    });
  });
  return decoded;
}

/** The SpanRecord, or the reason it is rejected. */
function toSpan(
  span: unknown,
  resource: Record<string, unknown>,
  service: string | undefined,
  options: IdOptions,
): SpanRecord | string {
  if (!isObj(span)) return 'not an object';
  const traceId = normalizeId(span.traceId, 16, 'traceId', options);
  if (!traceId.ok) return traceId.reason;
  if (!traceId.hex) return 'traceId is missing or all zeros';
  const spanId = normalizeId(span.spanId, 8, 'spanId', options);
  if (!spanId.ok) return spanId.reason;
  if (!spanId.hex) return 'spanId is missing or all zeros';
  const parent = normalizeId(span.parentSpanId, 8, 'parentSpanId', options);
  if (!parent.ok) return parent.reason;

  const start = nanos(span.startTimeUnixNano);
  const end = nanos(span.endTimeUnixNano);
  if (span.startTimeUnixNano != null && start === undefined) return 'startTimeUnixNano is not a non-negative integer';
  if (span.endTimeUnixNano != null && end === undefined) return 'endTimeUnixNano is not a non-negative integer';

  const status = isObj(span.status) ? span.status : {};
  const record: SpanRecord = {
    traceId: traceId.hex,
    spanId: spanId.hex,
    name: typeof span.name === 'string' ? span.name : '',
    kind: enumValue(span.kind, SPAN_KIND_NAMES, 5),
    startTimeUnixNano: start ?? '0',
    endTimeUnixNano: end ?? start ?? '0',
    statusCode: enumValue(status.code, STATUS_CODE_NAMES, 2),
    attributes: attributes(span.attributes),
    resource,
    events: events(span.events),
  };
  if (parent.hex) record.parentSpanId = parent.hex;
  if (typeof status.message === 'string' && status.message !== '') record.statusMessage = status.message;
  if (service !== undefined) record.service = service;
  return record;
}

function events(list: unknown): SpanRecord['events'] {
  if (!Array.isArray(list)) return [];
  const out: SpanRecord['events'] = [];
  for (const event of list as Obj[]) {
    if (!isObj(event)) continue;
    out.push({
      name: typeof event.name === 'string' ? event.name : '',
      timeUnixNano: nanos(event.timeUnixNano) ?? '0',
      attributes: attributes(event.attributes),
    });
  }
  return out;
}
