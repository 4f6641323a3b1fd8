-- Runs: one attempt to repair one incident. The reproduce job creates the row, the repair job
-- finishes it. `reproduction` is what the reproduce job found (the repair job, on any worker,
-- writes its test back into a fresh workspace); `record` is the finished Run (schemas/run.ts).
create table runs (
  id             text primary key,
  incident_id    text not null references incidents (id),
  -- 'reproducing' | 'repairing' | 'fixed' | 'not-reproduced' | 'not-fixed' | 'failed'
  status         text not null,
  reason         text,
  bundle_sha256  text,
  engine         text,
  reproduction   json,
  record         json,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  finished_at    timestamptz
);
create index runs_incident on runs (incident_id, created_at desc);
