-- Recurrence watch: an incident whose fix was merged, and what production said since. Later alerts
-- are classified off the intake path (src/recurrence/), from `checked_alert_id` and
-- `checked_span_seq` on: an alert with the incident's fingerprint from a release that contains the
-- merge commit makes the incident `regressed`; from a release without it, it only counts as still
-- deployed. Traffic (any alert or span of the service) from a release with the fix starts the
-- verification window (`fix_traffic_at`); TRACEFIX_VERIFY_DAYS later without a regression the
-- incident is `verified`.
create table fix_merges (
  incident_id            text primary key references incidents (id),
  merge_sha              text not null,
  merged_at              timestamptz not null,
  checked_alert_id       bigint not null default 0,
  checked_span_seq       bigint not null default 0,
  fix_traffic_at         timestamptz,
  still_deployed         integer not null default 0,
  last_still_deployed_at timestamptz,
  unclassified           integer not null default 0,
  regressed_at           timestamptz,
  regression_alert_id    bigint,
  verified_at            timestamptz,
  updated_at             timestamptz not null default now()
);
create index fix_merges_watching on fix_merges (incident_id) where regressed_at is null and verified_at is null;

-- Whether a commit production ran contains an incident's fix (merge-base --is-ancestor in the
-- mirror), asked once per commit; null when the commit could not be found even after a fetch.
create table fix_release_checks (
  incident_id   text not null references incidents (id),
  commit_sha    text not null,
  contains_fix  boolean,
  checked_at    timestamptz not null default now(),
  primary key (incident_id, commit_sha)
);
