-- An alert (2–4 kB of JSON for a typical Sentry event) is over the 2 kB at which Postgres starts
-- compressing a row (pglz), and on the webhook's hot path that compression cost more than the rest
-- of the alert's insert, most of all in PGlite's WASM build. Rows up to 8 kB now stay inline and
-- uncompressed; larger ones are still compressed. Alerts take about 3 times the space they did.
alter table alerts set (toast_tuple_target = 8160);
