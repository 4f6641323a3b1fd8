-- Closing the loop (issue 17). `runs.reproduced_at`: when the run's reproduction passed its gates
-- (the outcome "time to reproduction" is measured from the incident's first alert to it).
-- `fix_merges.regression_commented_at`: the merged PR was told that the failure came back; the
-- recurrence worker posts the comment after the regression is recorded and retries until it is
-- posted. `regression_comment_claimed_at`: a worker is posting it (a lease, so two workers do not
-- both post; a worker that died mid-post is replaced after the lease, and the comment's marker
-- stops a second comment).
alter table runs add column reproduced_at timestamptz;
alter table fix_merges add column regression_commented_at timestamptz;
alter table fix_merges add column regression_comment_claimed_at timestamptz;
