// The SQL of the database trace store, and the row shapes it reads back. Writes are one statement
// per chunk: the chunk's resources are upserted in a CTE and its records inserted from one JSON
// parameter with json_to_recordset, which is the same SQL on Postgres and PGlite.
import { createHash } from 'node:crypto';
import type { LogRecord, SpanRecord } from '../../schemas/telemetry.ts';
import { toJsonParam } from './json-param.ts';

const UPSERT_RESOURCES = `
  insert into trace_resources (id, attributes)
  select id, attributes from json_to_recordset($1::json) as r(id text, attributes json)
  on conflict (id) do update set last_seen = now()
  where trace_resources.last_seen < now() - interval '1 minute'`;

export const INSERT_SPANS = `
with resources as (${UPSERT_RESOURCES})
insert into trace_spans (trace_id, span_id, parent_span_id, name, kind, start_ns, end_ns, status_code,
                         status_message, service, attributes, events, resource_id)
select trace_id, span_id, parent_span_id, name, kind, start_ns, end_ns, status_code,
       status_message, service, attributes, events, resource_id
from json_to_recordset($2::json) as r(trace_id text, span_id text, parent_span_id text, name text, kind smallint,
  start_ns bigint, end_ns bigint, status_code smallint, status_message text, service text,
  attributes json, events json, resource_id text)
on conflict (trace_id, span_id) do nothing`;

export const INSERT_LOGS = `
with resources as (${UPSERT_RESOURCES})
insert into trace_logs (time_ns, severity_number, severity_text, body, trace_id, span_id, event_name, service,
                        attributes, resource_id)
select time_ns, severity_number, severity_text, body, trace_id, span_id, event_name, service, attributes, resource_id
from json_to_recordset($2::json) as r(time_ns bigint, severity_number smallint, severity_text text, body text,
  trace_id text, span_id text, event_name text, service text, attributes json, resource_id text)`;

// bigint columns are read as text: node-pg's int8 parser (postgres-db.ts) would round them to a double.
export const SELECT_SPANS = `
select s.trace_id, s.span_id, s.parent_span_id, s.name, s.kind, s.start_ns::text as start_ns, s.end_ns::text as end_ns,
       s.status_code, s.status_message, s.service, s.attributes, s.events, r.attributes as resource
from trace_spans s left join trace_resources r on r.id = s.resource_id`;

export const SELECT_LOGS = `
select l.time_ns::text as time_ns, l.severity_number, l.severity_text, l.body, l.trace_id, l.span_id, l.event_name,
       l.service, l.attributes, r.attributes as resource
from trace_logs l left join trace_resources r on r.id = l.resource_id`;

/** Row deletions for sweep(): $1 is the retention cutoff (timestamptz) or the cap (rows). */
export const SWEEP = {
  spansOlderThan: 'delete from trace_spans where received_at < $1',
  spansOverCap: 'delete from trace_spans where seq <= (select seq from trace_spans order by seq desc offset $1 limit 1)',
  logsOlderThan: 'delete from trace_logs where received_at < $1',
  logsOverCap: 'delete from trace_logs where seq <= (select seq from trace_logs order by seq desc offset $1 limit 1)',
  // A resource last referred to before the cutoff has no records left (they were all received
  // before its last_seen, so retention deleted them).
  resourcesOlderThan: 'delete from trace_resources where last_seen < $1',
};

// service is indexed; a btree entry above ~2.7 kB fails the whole INSERT, so it is clipped.
const MAX_SERVICE = 512;

// Records decoded from one OTLP request share their resource object: hash each object once.
const resourceIds = new WeakMap<object, string>();

function resourceId(attributes: Record<string, unknown>): string {
  let id = resourceIds.get(attributes);
  if (id === undefined) {
    id = createHash('sha256').update(JSON.stringify(attributes)).digest('hex').slice(0, 32);
    resourceIds.set(attributes, id);
  }
  return id;
}

/** The two parameters of INSERT_SPANS / INSERT_LOGS: the chunk's distinct resources, the rows. */
function params<T extends { resource: Record<string, unknown> }>(records: T[], row: (r: T, resourceId: string) => object) {
  const resources = new Map<string, Record<string, unknown>>();
  const rows = records.map((record) => {
    const id = resourceId(record.resource);
    resources.set(id, record.resource);
    return row(record, id);
  });
  return [toJsonParam([...resources].map(([id, attributes]) => ({ id, attributes }))), toJsonParam(rows)];
}

export function spanParams(spans: SpanRecord[]): string[] {
  return params(spans, (s, resource_id) => ({
    trace_id: s.traceId,
    span_id: s.spanId,
    parent_span_id: s.parentSpanId ?? null,
    name: s.name,
    kind: s.kind,
    start_ns: s.startTimeUnixNano,
    end_ns: s.endTimeUnixNano,
    status_code: s.statusCode,
    status_message: s.statusMessage ?? null,
    service: s.service?.slice(0, MAX_SERVICE) ?? null,
    attributes: s.attributes,
    events: s.events,
    resource_id,
  }));
}

export function logParams(logs: LogRecord[]): string[] {
  return params(logs, (l, resource_id) => ({
    time_ns: l.timeUnixNano,
    severity_number: l.severityNumber,
    severity_text: l.severityText ?? null,
    body: l.body,
    trace_id: l.traceId ?? null,
    span_id: l.spanId ?? null,
    event_name: l.eventName ?? null,
    service: l.service?.slice(0, MAX_SERVICE) ?? null,
    attributes: l.attributes,
    resource_id,
  }));
}

export interface SpanRow {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: number;
  start_ns: string;
  end_ns: string;
  status_code: number;
  status_message: string | null;
  service: string | null;
  attributes: Record<string, unknown>;
  events: SpanRecord['events'];
  resource: Record<string, unknown> | null;
}

export interface LogRow {
  time_ns: string;
  severity_number: number;
  severity_text: string | null;
  body: string;
  trace_id: string | null;
  span_id: string | null;
  event_name: string | null;
  service: string | null;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown> | null;
}

export function spanFromRow(r: SpanRow): SpanRecord {
  const span: SpanRecord = {
    traceId: r.trace_id,
    spanId: r.span_id,
    name: r.name,
    kind: Number(r.kind),
    startTimeUnixNano: r.start_ns,
    endTimeUnixNano: r.end_ns,
    statusCode: Number(r.status_code),
    attributes: r.attributes,
    resource: r.resource ?? {},
    events: r.events,
  };
  if (r.parent_span_id !== null) span.parentSpanId = r.parent_span_id;
  if (r.status_message !== null) span.statusMessage = r.status_message;
  if (r.service !== null) span.service = r.service;
  return span;
}

export function logFromRow(r: LogRow): LogRecord {
  const log: LogRecord = {
    timeUnixNano: r.time_ns,
    severityNumber: Number(r.severity_number),
    body: r.body,
    attributes: r.attributes,
    resource: r.resource ?? {},
  };
  if (r.severity_text !== null) log.severityText = r.severity_text;
  if (r.trace_id !== null) log.traceId = r.trace_id;
  if (r.span_id !== null) log.spanId = r.span_id;
  if (r.event_name !== null) log.eventName = r.event_name;
  if (r.service !== null) log.service = r.service;
  return log;
}
