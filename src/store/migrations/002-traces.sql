-- Spans and log records received over OTLP (src/traces/db-trace-store.ts). Times are nanoseconds
-- since the epoch in bigint; received_at drives retention and seq the size cap (oldest first).
-- Attribute columns are json, not jsonb: ingest is the hot path and skipping the jsonb conversion
-- makes it ~25% cheaper on PGlite; ->/->> still work, cast to jsonb for containment queries.

-- A resource (service.name, host, process, sdk... often 1 kB) is the same for every record a
-- process sends: stored once, keyed by a hash of its attributes. This halves ingest cost on PGlite.
create table trace_resources (
  id              text primary key,
  attributes      json not null,
  -- Refreshed (at most once a minute) whenever a record refers to it: a resource not seen within
  -- the retention has no records left and is swept.
  last_seen       timestamptz not null default now()
);

create table trace_spans (
  trace_id        text not null,
  span_id         text not null,
  seq             bigserial,
  parent_span_id  text,
  name            text not null,
  kind            smallint not null,
  start_ns        bigint not null,
  end_ns          bigint not null,
  status_code     smallint not null,
  status_message  text,
  service         text,
  attributes      json not null,
  events          json not null,
  resource_id     text not null,
  received_at     timestamptz not null default now(),
  -- A re-exported span (exporter retry) is stored once.
  primary key (trace_id, span_id)
);
create index trace_spans_seq on trace_spans (seq);
-- Rows arrive in received_at order: a BRIN index serves the retention delete for almost no write cost.
create index trace_spans_received on trace_spans using brin (received_at);

create table trace_logs (
  seq             bigserial primary key,
  time_ns         bigint not null,
  severity_number smallint not null,
  severity_text   text,
  body            text not null,
  trace_id        text,
  span_id         text,
  event_name      text,
  service         text,
  attributes      json not null,
  resource_id     text not null,
  received_at     timestamptz not null default now()
);
create index trace_logs_trace on trace_logs (trace_id, time_ns) where trace_id is not null;
create index trace_logs_service_time on trace_logs (service, time_ns);
create index trace_logs_time on trace_logs (time_ns);
create index trace_logs_received on trace_logs using brin (received_at);
