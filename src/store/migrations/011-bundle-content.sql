-- Workers on several hosts: the evidence bundle an assemble job writes is read by the reproduce and
-- repair jobs, which another worker (another data directory) may take. The canonical JSON is kept
-- in the database as well as in the artifact store, which stays the local copy.
alter table bundles add column content text
