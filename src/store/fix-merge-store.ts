// The fix_merges table (migration 010): an incident whose fix was merged, and what the recurrence
// watch (src/recurrence/) has learned since. recordFixMerged() is what the merge webhook (or the
// PR poller) calls; the watch reads and advances the rest.
import type { Queryable } from './db.ts';
import { AppError } from '../errors.ts';

export interface FixMergeRow {
  incidentId: string;
  mergeSha: string;
  mergedAt: string;
  checkedAlertId: number;
  checkedSpanSeq: number;
  fixTrafficAt: string | null;
  stillDeployed: number;
  lastStillDeployedAt: string | null;
  unclassified: number;
  regressedAt: string | null;
  regressionAlertId: number | null;
  verifiedAt: string | null;
}

const COLUMNS = `incident_id as "incidentId", merge_sha as "mergeSha", merged_at as "mergedAt",
  checked_alert_id as "checkedAlertId", checked_span_seq as "checkedSpanSeq", fix_traffic_at as "fixTrafficAt",
  still_deployed as "stillDeployed", last_still_deployed_at as "lastStillDeployedAt", unclassified,
  regressed_at as "regressedAt", regression_alert_id as "regressionAlertId", verified_at as "verifiedAt"`;

export class FixMergeError extends AppError {
  constructor(message: string) {
    super('TF_FIX_MERGE', message);
  }
}

const SHA40 = /^[0-9a-f]{40}$/;

function toRow(raw: FixMergeRow): FixMergeRow {
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string | null));
  return {
    ...raw,
    mergedAt: iso(raw.mergedAt)!,
    checkedAlertId: Number(raw.checkedAlertId),
    checkedSpanSeq: Number(raw.checkedSpanSeq),
    fixTrafficAt: iso(raw.fixTrafficAt),
    lastStillDeployedAt: iso(raw.lastStillDeployedAt),
    regressedAt: iso(raw.regressedAt),
    regressionAlertId: raw.regressionAlertId === null ? null : Number(raw.regressionAlertId),
    verifiedAt: iso(raw.verifiedAt),
  };
}

/**
 * Records that the incident's fix was merged as `mergeSha` at `at`, and starts watching for its
 * return (the incident becomes `merged`). Idempotent for the same merge commit (a redelivered
 * webhook); a different merge commit (the fix merged again after a revert) restarts the watch.
 */
export async function recordFixMerged(db: Queryable, incidentId: string, mergeSha: string, at: Date | string): Promise<FixMergeRow> {
  const sha = mergeSha.trim().toLowerCase();
  if (!SHA40.test(sha)) throw new FixMergeError(`merge commit must be a full 40-hex sha, got ${JSON.stringify(mergeSha.slice(0, 64))}`);
  const when = new Date(at);
  if (Number.isNaN(when.getTime())) throw new FixMergeError(`merge time is not a date: ${JSON.stringify(String(at).slice(0, 64))}`);
  const [row] = await db.query<FixMergeRow>(
    `with target as (select id from incidents where id = $1), merged as (
       insert into fix_merges (incident_id, merge_sha, merged_at)
       select id, $2, $3 from target
       on conflict (incident_id) do update set merge_sha = excluded.merge_sha, merged_at = excluded.merged_at,
         checked_alert_id = 0, checked_span_seq = 0, fix_traffic_at = null, still_deployed = 0, last_still_deployed_at = null,
         unclassified = 0, regressed_at = null, regression_alert_id = null, verified_at = null, updated_at = now()
       where fix_merges.merge_sha <> excluded.merge_sha
       returning incident_id
     ), status as (
       update incidents set status = 'merged', updated_at = now() where id in (select incident_id from merged)
     )
     select 1`,
    [incidentId, sha, when.toISOString()],
  );
  void row;
  const stored = await getFixMerge(db, incidentId);
  if (!stored) throw new FixMergeError(`no incident ${incidentId}`);
  return stored;
}

export async function getFixMerge(db: Queryable, incidentId: string): Promise<FixMergeRow | null> {
  const [row] = await db.query<FixMergeRow>(`select ${COLUMNS} from fix_merges where incident_id = $1`, [incidentId]);
  return row ? toRow(row) : null;
}

/** Merged fixes that have neither regressed nor been verified yet. */
export async function listWatchedFixes(db: Queryable): Promise<FixMergeRow[]> {
  const rows = await db.query<FixMergeRow>(`select ${COLUMNS} from fix_merges where regressed_at is null and verified_at is null order by merged_at`);
  return rows.map(toRow);
}
