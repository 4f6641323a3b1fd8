// OTLP/JSON builders for tests: attribute lists, spans, log records, requests; and SpanRecords
// rendered back to OTLP JSON the way a given backend writes it (hex or base64 ids, int or named
// enums), for the fake Tempo/Jaeger servers.
import { randomBytes } from 'node:crypto';
import type { LogRecord, SpanRecord } from '../../schemas/telemetry.ts';

export const hexId = (bytes: 16 | 8) => randomBytes(bytes).toString('hex');

export function anyValue(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  if (value && typeof value === 'object') return { kvlistValue: { values: kvList(value as Record<string, unknown>) } };
  return {};
}

export function kvList(attrs: Record<string, unknown>): { key: string; value: Record<string, unknown> }[] {
  return Object.entries(attrs).map(([key, value]) => ({ key, value: anyValue(value) }));
}

export interface JsonSpanInput {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number | string;
  start?: string | number;
  end?: string | number;
  status?: { code?: number | string; message?: string; [unknown: string]: unknown };
  attributes?: Record<string, unknown>;
  events?: { name: string; time?: string; attributes?: Record<string, unknown> }[];
  [unknown: string]: unknown;
}

export function jsonSpan(input: JsonSpanInput = {}): Record<string, unknown> {
  const { traceId, spanId, parentSpanId, name, kind, start, end, status, attributes, events, ...rest } = input;
  return {
    traceId: traceId ?? hexId(16),
    spanId: spanId ?? hexId(8),
    ...(parentSpanId ? { parentSpanId } : {}),
    name: name ?? 'GET /orders/:id',
    kind: kind ?? 2,
    startTimeUnixNano: start ?? '1700000000000000000',
    endTimeUnixNano: end ?? '1700000000250000000',
    attributes: kvList(attributes ?? {}),
    events: (events ?? []).map((e) => ({ name: e.name, timeUnixNano: e.time ?? '1700000000200000000', attributes: kvList(e.attributes ?? {}) })),
    status: status ?? {},
    ...rest,
  };
}

export function traceRequest(spans: Record<string, unknown>[], resource: Record<string, unknown> = { 'service.name': 'checkout' }) {
  return { resourceSpans: [{ resource: { attributes: kvList(resource) }, scopeSpans: [{ scope: { name: 'test' }, spans }] }] };
}

export function jsonLog(input: Partial<Record<string, unknown>> & { attributes?: Record<string, unknown> } = {}): Record<string, unknown> {
  const { attributes, body, ...rest } = input;
  return {
    timeUnixNano: '1700000000300000000',
    severityNumber: 17,
    severityText: 'ERROR',
    body: { stringValue: typeof body === 'string' ? body : 'something failed' },
    attributes: kvList(attributes ?? {}),
    ...rest,
  };
}

export function logsRequest(logs: Record<string, unknown>[], resource: Record<string, unknown> = { 'service.name': 'checkout' }) {
  return { resourceLogs: [{ resource: { attributes: kvList(resource) }, scopeLogs: [{ scope: { name: 'test' }, logRecords: logs }] }] };
}

/** An `exception` span event's attributes as the JS SDK records them. */
export function exceptionAttributes(error: Error): Record<string, unknown> {
  return { 'exception.type': error.name, 'exception.message': error.message, 'exception.stacktrace': error.stack ?? '' };
}

const KIND_NAMES = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

export interface RenderStyle {
  ids: 'hex' | 'base64';
  enums: 'int' | 'name';
}

/** SpanRecords → `resourceSpans` (one resource per service), rendered in the given style. */
export function renderResourceSpans(spans: readonly SpanRecord[], style: RenderStyle) {
  const id = (hex: string) => (style.ids === 'hex' ? hex : Buffer.from(hex, 'hex').toString('base64'));
  const byResource = new Map<string, SpanRecord[]>();
  for (const span of spans) {
    const key = JSON.stringify(span.resource);
    byResource.set(key, [...(byResource.get(key) ?? []), span]);
  }
  return [...byResource.values()].map((group) => ({
    resource: { attributes: kvList(group[0]!.resource) },
    scopeSpans: [
      {
        scope: { name: 'fake' },
        spans: group.map((s) => ({
          traceId: id(s.traceId),
          spanId: id(s.spanId),
          ...(s.parentSpanId ? { parentSpanId: id(s.parentSpanId) } : {}),
          name: s.name,
          kind: style.enums === 'int' ? s.kind : KIND_NAMES[s.kind],
          startTimeUnixNano: s.startTimeUnixNano,
          endTimeUnixNano: s.endTimeUnixNano,
          attributes: kvList(s.attributes),
          events: s.events.map((e) => ({ name: e.name, timeUnixNano: e.timeUnixNano, attributes: kvList(e.attributes) })),
          status: {
            ...(s.statusCode ? { code: style.enums === 'int' ? s.statusCode : STATUS_NAMES[s.statusCode] } : {}),
            ...(s.statusMessage ? { message: s.statusMessage } : {}),
          },
        })),
      },
    ],
  }));
}

/** A SpanRecord with defaults, for store tests. */
export function makeSpan(overrides: Partial<SpanRecord> = {}): SpanRecord {
  return {
    traceId: hexId(16),
    spanId: hexId(8),
    name: 'GET /orders/:id',
    kind: 2,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000250000000',
    statusCode: 0,
    service: 'checkout',
    attributes: { 'http.route': '/orders/:id', 'http.response.status_code': 200 },
    resource: { 'service.name': 'checkout', 'service.version': '1.4.2' },
    events: [],
    ...overrides,
  };
}

export function makeLog(overrides: Partial<LogRecord> = {}): LogRecord {
  return {
    timeUnixNano: '1700000000300000000',
    severityNumber: 9,
    severityText: 'INFO',
    body: 'order loaded',
    service: 'checkout',
    attributes: { 'order.id': 42 },
    resource: { 'service.name': 'checkout' },
    ...overrides,
  };
}
