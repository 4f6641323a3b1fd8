-- When a run's pull request was first opened (the outcomes' "time to PR"). Rows published before
-- this column existed have none: their time is not known, and the outcomes leave them out.
alter table publications add column published_at timestamptz;
