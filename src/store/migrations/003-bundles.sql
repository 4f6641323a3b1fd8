-- Each assembled bundle of an incident: the canonical JSON lives in the artifact store under its
-- sha256; this row says which incident it belongs to and when it was made.
create table bundles (
  incident_id   text not null references incidents (id),
  sha256        text not null,
  tokens        integer not null,
  created_at    timestamptz not null default now(),
  primary key (incident_id, sha256)
);
create index bundles_latest on bundles (incident_id, created_at desc);
