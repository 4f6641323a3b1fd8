// The runs table: one row per attempt to repair an incident. The reproduce job creates it, the
// repair job finishes it; JSON columns are parsed back through the run schemas on the way out.
import { Reproduction, Run } from '../../schemas/run.ts';
import type { Queryable } from './db.ts';

export type RunRowStatus = 'reproducing' | 'repairing' | 'fixed' | 'not-reproduced' | 'not-fixed' | 'failed';

export interface RunRow {
  id: string;
  incidentId: string;
  status: RunRowStatus;
  reason: string | null;
  /** When the run failed for a configuration reason: the variable to set or the command to run. */
  configFix: string | null;
  bundleSha256: string | null;
  engine: string | null;
  reproduction: Reproduction | null;
  record: Run | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

const COLUMNS = `id, incident_id as "incidentId", status, reason, config_fix as "configFix", bundle_sha256 as "bundleSha256", engine,
  reproduction, record, created_at as "createdAt", updated_at as "updatedAt", finished_at as "finishedAt"`;

type RawRow = Omit<RunRow, 'reproduction' | 'record'> & { reproduction: unknown; record: unknown };

function json(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

function toRow(raw: RawRow): RunRow {
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string | null));
  return {
    ...raw,
    reproduction: raw.reproduction == null ? null : Reproduction.parse(json(raw.reproduction)),
    record: raw.record == null ? null : Run.parse(json(raw.record)),
    createdAt: iso(raw.createdAt)!,
    updatedAt: iso(raw.updatedAt)!,
    finishedAt: iso(raw.finishedAt),
  };
}

// Every write below also sets the incident's status, in the same statement (so in the same
// transaction): an incident never says `reproducing` while its run says `failed`. Only the
// incident's latest run moves it: a late write of an older run (a retry overtook it) does not.
const FOLLOW_LATEST_RUN = `update incidents set status = changed.status, updated_at = now()
  from changed where incidents.id = changed.incident_id
  and changed.id = (select r.id from runs r where r.incident_id = changed.incident_id order by r.created_at desc, r.id desc limit 1)`;

/** Idempotent: a retried job creates its run once. The incident is `reproducing`. */
export async function createRun(db: Queryable, run: { id: string; incidentId: string; bundleSha256: string | null }): Promise<void> {
  await db.query(
    `with created as (
       insert into runs (id, incident_id, status, bundle_sha256) values ($1, $2, 'reproducing', $3) on conflict (id) do nothing returning id
     )
     update incidents set status = 'reproducing', updated_at = now() where id = $2 and exists (select 1 from created)`,
    [run.id, run.incidentId, run.bundleSha256],
  );
}

/** The reproduce job's outcome: reproduced → repairing, else the run ends not-reproduced. */
export async function recordReproduction(db: Queryable, id: string, reproduction: Reproduction): Promise<void> {
  const status: RunRowStatus = reproduction.status === 'reproduced' ? 'repairing' : 'not-reproduced';
  const reason = reproduction.status === 'reproduced' ? null : reproduction.reason;
  await db.query(
    `with changed as (
       update runs set status = $2, reason = $3, reproduction = $4, updated_at = now(),
         reproduced_at = case when $2 = 'repairing' then now() else null end,
         finished_at = case when $2 = 'not-reproduced' then now() else null end where id = $1
       returning id, incident_id, status
     ) ${FOLLOW_LATEST_RUN}`,
    [id, status, reason, JSON.stringify(reproduction)],
  );
}

export async function finishRun(db: Queryable, run: Run): Promise<void> {
  await db.query(
    `with changed as (
       update runs set status = $2, reason = $3, engine = $4, record = $5, updated_at = now(), finished_at = now() where id = $1
       returning id, incident_id, status
     ) ${FOLLOW_LATEST_RUN}`,
    [run.id, run.status, run.reason ?? null, run.engine ?? null, JSON.stringify(run)],
  );
}

/** A failure that will not be retried (infrastructure that exhausted its attempts, or a
 * configuration the operator must fix: `configFix` names the variable to set or the command to run). */
export async function failRun(db: Queryable, id: string, reason: string, configFix?: string): Promise<void> {
  await db.query(
    `with changed as (
       update runs set status = 'failed', reason = $2, config_fix = $3, updated_at = now(), finished_at = now() where id = $1
       returning id, incident_id, status
     ) ${FOLLOW_LATEST_RUN}`,
    [id, reason.slice(0, 4096), configFix ?? null],
  );
}

export async function getRun(db: Queryable, id: string): Promise<RunRow | null> {
  const [row] = await db.query<RawRow>(`select ${COLUMNS} from runs where id = $1`, [id]);
  return row ? toRow(row) : null;
}

/** The incident's runs, newest first. */
export async function listRuns(db: Queryable, incidentId: string): Promise<RunRow[]> {
  const rows = await db.query<RawRow>(`select ${COLUMNS} from runs where incident_id = $1 order by created_at desc, id desc`, [incidentId]);
  return rows.map(toRow);
}
