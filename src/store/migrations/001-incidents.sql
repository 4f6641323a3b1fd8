-- Incidents, the alerts attached to them, every delivery seen (for idempotency), and the outbox
-- that makes an accepted webhook durable before Redis sees it.

create table incidents (
  id            text primary key,
  fingerprint   text not null,
  status        text not null default 'open',
  source        text not null,
  title         text not null,
  error_type    text not null,
  message       text not null,
  top_frame     text,
  service       text,
  environment   text,
  trace_id      text,
  release       text,
  commit_sha    text,
  repo_hint     text,
  alert_count   integer not null default 1,
  first_seen    timestamptz not null,
  last_seen     timestamptz not null,
  closed_at     timestamptz,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);

-- At most one open incident per fingerprint: a repeated failure attaches to it and starts no
-- second repair. A closed incident lets a recurrence open a new one.
create unique index incidents_open_fingerprint on incidents (fingerprint) where closed_at is null;
create index incidents_last_seen on incidents (last_seen desc, id desc);
create index incidents_status on incidents (status);
create index incidents_service on incidents (service);

create table deliveries (
  source        text not null,
  delivery_id   text not null,
  received_at   timestamptz not null,
  outcome       text not null,          -- 'alert' | 'ignored'
  event         text not null,
  reason        text,
  incident_id   text references incidents (id),
  primary key (source, delivery_id)
);

create table alerts (
  id            bigserial primary key,
  incident_id   text not null references incidents (id),
  source        text not null,
  delivery_id   text not null,
  received_at   timestamptz not null,
  alert         jsonb not null
);
create index alerts_incident on alerts (incident_id, id);

create table outbox (
  id            bigserial primary key,
  queue         text not null,
  job_id        text not null,
  payload       jsonb not null,
  created_at    timestamptz not null default now(),
  dispatched_at timestamptz,
  attempts      integer not null default 0,
  last_error    text
);
create index outbox_pending on outbox (id) where dispatched_at is null;
