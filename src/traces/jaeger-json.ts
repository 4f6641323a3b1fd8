// Jaeger's query-service JSON (GET /api/traces/{id}, the UI's API in Jaeger v1 and v2) →
// SpanRecords. Jaeger keeps OTel's span kind and status as tags (span.kind, otel.status_code,
// error) and span events as logs whose `event` field is the name; we turn them back.
import type { SpanRecord } from '../../schemas/telemetry.ts';
import { isObj, type Obj } from './otlp/decoded.ts';

const KINDS: Record<string, number> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };
/** Tags that became SpanRecord fields, so they do not repeat as attributes. */
const MAPPED_TAGS = new Set(['span.kind', 'otel.status_code', 'otel.status_description', 'error']);

const HEX = /^[0-9a-f]+$/;

/** Jaeger prints ids without the high half's leading zeros (model.TraceID.String); pad them. */
function padId(value: unknown, length: 32 | 16): string | undefined {
  if (typeof value !== 'string') return undefined;
  const id = value.toLowerCase();
  if (id.length === 0 || id.length > length || !HEX.test(id)) return undefined;
  return id.padStart(length, '0');
}

function microsToNanos(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? (BigInt(Math.trunc(value)) * 1000n).toString() : '0';
}

function tagValue(tag: Obj): unknown {
  const { type, value } = tag;
  if (type === 'int64' && typeof value === 'string' && /^-?\d+$/.test(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  return value ?? null;
}

function tags(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(list)) return out;
  for (const tag of list) {
    if (isObj(tag) && typeof tag.key === 'string' && tag.key !== '__proto__') out[tag.key] = tagValue(tag);
  }
  return out;
}

export function fromJaegerJson(body: unknown): SpanRecord[] {
  const traces = isObj(body) && Array.isArray(body.data) ? body.data : [];
  const spans: SpanRecord[] = [];
  for (const trace of traces) {
    if (!isObj(trace) || !Array.isArray(trace.spans)) continue;
    const processes = isObj(trace.processes) ? trace.processes : {};
    for (const span of trace.spans) {
      const record = isObj(span) ? toSpan(span, processes) : undefined;
      if (record) spans.push(record);
    }
  }
  return spans;
}

function toSpan(span: Obj, processes: Obj): SpanRecord | undefined {
  const traceId = padId(span.traceID, 32);
  const spanId = padId(span.spanID, 16);
  if (!traceId || !spanId) return undefined;
  const process = typeof span.processID === 'string' && isObj(processes[span.processID]) ? (processes[span.processID] as Obj) : {};
  const service = typeof process.serviceName === 'string' ? process.serviceName : undefined;
  const resource = { ...tags(process.tags), ...(service ? { 'service.name': service } : {}) };
  const allTags = tags(span.tags);
  const attributes = Object.fromEntries(Object.entries(allTags).filter(([key]) => !MAPPED_TAGS.has(key)));
  const status = String(allTags['otel.status_code'] ?? '').toUpperCase();
  const statusCode = status === 'ERROR' || allTags.error === true || allTags.error === 'true' ? 2 : status === 'OK' ? 1 : 0;
  const start = microsToNanos(span.startTime);
  const duration = typeof span.duration === 'number' && span.duration > 0 ? BigInt(Math.trunc(span.duration)) * 1000n : 0n;

  const record: SpanRecord = {
    traceId,
    spanId,
    name: typeof span.operationName === 'string' ? span.operationName : '',
    kind: KINDS[String(allTags['span.kind'] ?? '')] ?? 0,
    startTimeUnixNano: start,
    endTimeUnixNano: (BigInt(start) + duration).toString(),
    statusCode,
    attributes,
    resource,
    events: events(span.logs),
  };
  const parent = parentOf(span.references, traceId);
  if (parent) record.parentSpanId = parent;
  const message = allTags['otel.status_description'];
  if (typeof message === 'string' && message !== '') record.statusMessage = message;
  if (service) record.service = service;
  return record;
}

/** The CHILD_OF reference in the same trace (OTLP's parent); FOLLOWS_FROM as a fallback. */
function parentOf(references: unknown, traceId: string): string | undefined {
  if (!Array.isArray(references)) return undefined;
  const refs = references.filter(isObj).filter((r) => padId(r.traceID, 32) === traceId);
  const ref = refs.find((r) => r.refType === 'CHILD_OF') ?? refs[0];
  return ref ? padId(ref.spanID, 16) : undefined;
}

function events(logs: unknown): SpanRecord['events'] {
  if (!Array.isArray(logs)) return [];
  return logs.filter(isObj).map((log) => {
    const fields = tags(log.fields);
    const name = typeof fields.event === 'string' ? fields.event : '';
    delete fields.event;
    return { name, timeUnixNano: microsToNanos(log.timestamp), attributes: fields };
  });
}
