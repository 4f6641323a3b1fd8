-- Operability (issue 20). The database's identity: one row, made at first startup, registered in
-- Redis under the queue prefix so two databases cannot share one set of queues unnoticed.
create table instance (
  singleton   boolean primary key default true check (singleton),
  id          text not null,
  created_at  timestamptz not null default now()
);

-- The repository the incident's bundle resolved (owner/name or URL), beside the alert's hint.
alter table incidents add column repo text;

-- Why a run failed, when the reason is a configuration the operator can fix: the variable to set
-- (TRACEFIX_SERVICE_REPOS, ...) or the command to run (npx tracefix images build). Bulk retry picks
-- the incidents whose last run failed this way.
alter table runs add column config_fix text;
