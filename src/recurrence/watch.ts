// The recurrence watch: did a merged fix hold? Run periodically, off the intake path (intake stays
// one statement per delivery). For each watched incident it reads what arrived since its cursors:
//  - alerts with the incident's fingerprint: by the commit their release ran, a release that
//    contains the fix's merge commit means the failure came back despite the fix (`regressed`, and
//    a new run is queued through the outbox); a release without it is only still deployed somewhere;
//  - any alert or span of the same service from a release that contains the fix: traffic, which
//    starts the verification window. `verifyDays` after the first such traffic with no regression,
//    the incident is `verified`.
// Ancestry is asked once per commit (fix_release_checks) and outside any transaction; the results
// are applied in one statement guarded by the cursors read, so two workers never apply twice.
import type { Alert } from '../../schemas/alert.ts';
import { asCommitSha } from '../evidence/ids.ts';
import { alertCommit } from '../bisect/good-releases.ts';
import type { Queryable } from '../store/db.ts';
import { listWatchedFixes, type FixMergeRow } from '../store/fix-merge-store.ts';
import type { Logger } from '../telemetry.ts';

export interface RecurrenceDeps {
  db: Queryable;
  releaseCommits: Readonly<Record<string, string>>;
  /** TRACEFIX_VERIFY_DAYS. */
  verifyDays: number;
  now: () => Date;
  /** Whether `commit` contains `mergeSha` (see src/workspace/ancestry.ts); undefined when unknown. */
  containsFix(incidentId: string, mergeSha: string, commit: string): Promise<boolean | undefined>;
  log?: Logger;
}

export type RecurrenceOutcome = { incidentId: string; result: 'regressed' | 'verified' | 'watching' | 'raced'; regressionAlertId?: number };

const BATCH = 500;
const DAY_MS = 86_400_000;

interface Progress {
  alertCursor: number;
  spanCursor: number;
  fixTrafficAt: number | null;
  stillDeployed: number;
  lastStillDeployedAt: number | null;
  unclassified: number;
  regression?: { alertId: number; at: number };
}

function json<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

function time(v: string | Date): number {
  return new Date(v).getTime();
}

async function cachedContains(deps: RecurrenceDeps, fix: FixMergeRow, commit: string, cache: Map<string, boolean | undefined>): Promise<boolean | undefined> {
  if (cache.has(commit)) return cache.get(commit);
  const [known] = await deps.db.query<{ contains_fix: boolean | null }>('select contains_fix from fix_release_checks where incident_id = $1 and commit_sha = $2', [fix.incidentId, commit]);
  let contains: boolean | undefined;
  if (known && known.contains_fix !== null) contains = known.contains_fix;
  else {
    contains = await deps.containsFix(fix.incidentId, fix.mergeSha, commit);
    // An unknown commit is asked again next time: a later fetch may bring it.
    if (contains !== undefined) {
      await deps.db.query(
        `insert into fix_release_checks (incident_id, commit_sha, contains_fix) values ($1, $2, $3)
         on conflict (incident_id, commit_sha) do update set contains_fix = excluded.contains_fix, checked_at = now()`,
        [fix.incidentId, commit, contains],
      );
    }
  }
  cache.set(commit, contains);
  return contains;
}

/** Alerts since the cursor: same fingerprint → regression or still deployed; any → traffic. */
async function scanAlerts(deps: RecurrenceDeps, fix: FixMergeRow, me: { fingerprint: string; service: string | null }, p: Progress, cache: Map<string, boolean | undefined>): Promise<void> {
  for (;;) {
    const rows = await deps.db.query<{ id: string | number; alert: unknown; fingerprint: string; received_at: string | Date }>(
      `select a.id, a.alert, i.fingerprint, a.received_at from alerts a join incidents i on i.id = a.incident_id
       where a.id > $1 and i.service is not distinct from $2 and a.received_at >= $3
       order by a.id limit ${BATCH}`,
      [p.alertCursor, me.service, fix.mergedAt],
    );
    for (const row of rows) {
      const id = Number(row.id);
      const alert = json<Pick<Alert, 'release' | 'commitSha'>>(row.alert);
      const at = time(row.received_at);
      p.alertCursor = id;
      const commit = alertCommit(alert, deps.releaseCommits);
      const same = row.fingerprint === me.fingerprint;
      const contains = commit ? await cachedContains(deps, fix, commit, cache) : undefined;
      if (same) {
        if (contains === true) {
          p.regression = { alertId: id, at };
          return;
        }
        if (contains === false) {
          p.stillDeployed++;
          p.lastStillDeployedAt = Math.max(p.lastStillDeployedAt ?? 0, at);
        } else p.unclassified++;
      } else if (contains === true) p.fixTrafficAt = Math.min(p.fixTrafficAt ?? at, at);
    }
    if (rows.length < BATCH) return;
  }
}

/** Spans since the cursor, per resource: a resource whose revision (or version) contains the fix is traffic. */
async function scanSpans(deps: RecurrenceDeps, fix: FixMergeRow, me: { service: string | null }, p: Progress, cache: Map<string, boolean | undefined>): Promise<void> {
  const rows = await deps.db.query<{ attributes: unknown; first: string | Date; last_seq: string | number }>(
    `select r.attributes, g.first, g.last_seq from (
       select s.resource_id, min(s.received_at) as first, max(s.seq) as last_seq from trace_spans s
       where s.seq > $1 and s.service is not distinct from $2 and s.received_at >= $3
       group by s.resource_id
     ) g join trace_resources r on r.id = g.resource_id`,
    [p.spanCursor, me.service, fix.mergedAt],
  );
  for (const row of rows) {
    p.spanCursor = Math.max(p.spanCursor, Number(row.last_seq));
    const attrs = json<Record<string, unknown>>(row.attributes);
    const version = typeof attrs['service.version'] === 'string' ? (attrs['service.version'] as string) : undefined;
    const commit = asCommitSha(attrs['vcs.ref.head.revision']) ?? asCommitSha(attrs['vcs.repository.ref.revision']) ?? alertCommit({ release: version ?? null }, deps.releaseCommits);
    if (commit && (await cachedContains(deps, fix, commit, cache)) === true) p.fixTrafficAt = Math.min(p.fixTrafficAt ?? time(row.first), time(row.first));
  }
}

async function checkOne(deps: RecurrenceDeps, fix: FixMergeRow): Promise<RecurrenceOutcome> {
  const [me] = await deps.db.query<{ fingerprint: string; service: string | null }>('select fingerprint, service from incidents where id = $1', [fix.incidentId]);
  if (!me) return { incidentId: fix.incidentId, result: 'watching' };
  const p: Progress = {
    alertCursor: fix.checkedAlertId,
    spanCursor: fix.checkedSpanSeq,
    fixTrafficAt: fix.fixTrafficAt ? time(fix.fixTrafficAt) : null,
    stillDeployed: fix.stillDeployed,
    lastStillDeployedAt: fix.lastStillDeployedAt ? time(fix.lastStillDeployedAt) : null,
    unclassified: fix.unclassified,
  };
  const cache = new Map<string, boolean | undefined>();
  await scanAlerts(deps, fix, me, p, cache);
  if (!p.regression) await scanSpans(deps, fix, me, p, cache);
  const now = deps.now();
  const verified = !p.regression && p.fixTrafficAt !== null && now.getTime() - p.fixTrafficAt >= deps.verifyDays * DAY_MS;
  const status = p.regression ? 'regressed' : verified ? 'verified' : null;
  const iso = (v: number | null) => (v === null ? null : new Date(v).toISOString());
  // Applied only if no other worker moved the cursors meanwhile; a regression queues a new run
  // (the assemble job rebuilds the bundle from the latest alert, the regression's) in the same statement.
  const [applied] = await deps.db.query<{ incident_id: string }>(
    `with updated as (
       update fix_merges set checked_alert_id = $2, checked_span_seq = $3, fix_traffic_at = $4, still_deployed = $5,
         last_still_deployed_at = $6, unclassified = $7,
         regressed_at = case when $8::bigint is null then null else $9::timestamptz end, regression_alert_id = $8::bigint,
         verified_at = case when $10::boolean then $9::timestamptz else null end, updated_at = now()
       where incident_id = $1 and checked_alert_id = $11 and checked_span_seq = $12 and regressed_at is null and verified_at is null
       returning incident_id
     ), status as (
       update incidents set status = $13, updated_at = now() where $13::text is not null and id in (select incident_id from updated)
     ), queued as (
       insert into outbox (queue, job_id, payload)
       select 'assemble', incident_id || '-regressed-' || $8::bigint, json_build_object('incidentId', incident_id) from updated where $8::bigint is not null
     )
     select incident_id from updated`,
    [
      fix.incidentId,
      p.alertCursor,
      p.spanCursor,
      iso(p.fixTrafficAt),
      p.stillDeployed,
      iso(p.lastStillDeployedAt),
      p.unclassified,
      p.regression?.alertId ?? null,
      now.toISOString(),
      verified,
      fix.checkedAlertId,
      fix.checkedSpanSeq,
      status,
    ],
  );
  if (!applied) return { incidentId: fix.incidentId, result: 'raced' };
  if (p.regression) deps.log?.warn({ incidentId: fix.incidentId, alertId: p.regression.alertId }, 'Fixed failure came back in a release that contains the fix');
  return p.regression ? { incidentId: fix.incidentId, result: 'regressed', regressionAlertId: p.regression.alertId } : { incidentId: fix.incidentId, result: verified ? 'verified' : 'watching' };
}

/** One pass over every watched incident. A failure of one (git, the database) leaves it for the next pass. */
export async function checkRecurrence(deps: RecurrenceDeps): Promise<RecurrenceOutcome[]> {
  const outcomes: RecurrenceOutcome[] = [];
  for (const fix of await listWatchedFixes(deps.db)) {
    try {
      outcomes.push(await checkOne(deps, fix));
    } catch (error) {
      deps.log?.warn({ err: error, incidentId: fix.incidentId }, 'Recurrence check failed; retried on the next pass');
    }
  }
  return outcomes;
}
