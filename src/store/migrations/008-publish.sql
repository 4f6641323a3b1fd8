-- Publications: what the publish stage did with a fixed run (src/publish/). One row per run:
-- waiting for approval, approved or rejected by a person (who and when), published as a PR, not
-- published (why), and later the PR's fate from the `pull_request` webhook (merged with its merge
-- commit, or closed without merging).
create table publications (
  run_id           text primary key references runs (id),
  incident_id      text not null references incidents (id),
  -- 'awaiting-approval' | 'approved' | 'rejected-by-reviewer' | 'published' | 'not-published'
  -- | 'off' | 'failed' | 'merged' | 'closed-unmerged'
  state            text not null,
  reason           text,
  repo             text,
  pr_number        integer,
  pr_url           text,
  branch           text,
  base             text,
  head_sha         text,
  approved_by      text,
  approved_at      timestamptz,
  rejected_by      text,
  rejected_at      timestamptz,
  reject_reason    text,
  merge_commit_sha text,
  closed_at        timestamptz,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now()
);
create index publications_pull on publications (lower(repo), pr_number);
create index publications_incident on publications (incident_id, created_at desc);
