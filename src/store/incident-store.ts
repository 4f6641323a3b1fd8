// Incidents, their alerts and the deliveries that brought them. recordOutcome() is the one durable
// write of intake: delivery, incident, alert and outbox row in one transaction.
import { randomBytes } from 'node:crypto';
import type { Alert } from '../../schemas/alert.ts';
import { fingerprint, topInAppFrame } from '../intake/fingerprint.ts';
import type { IntakeOutcome } from '../intake/types.ts';
import type { Db, Queryable } from './db.ts';
import { enqueueOutbox } from './outbox.ts';

export type RecordResult =
  | { status: 'created' | 'attached'; incidentId: string }
  | { status: 'duplicate'; incidentId: string | null }
  | { status: 'ignored'; reason: string };

export interface IncidentRow {
  id: string;
  fingerprint: string;
  status: string;
  source: string;
  title: string;
  errorType: string;
  message: string;
  topFrame: string | null;
  service: string | null;
  environment: string | null;
  traceId: string | null;
  release: string | null;
  commitSha: string | null;
  repoHint: string | null;
  alertCount: number;
  firstSeen: string;
  lastSeen: string;
  closedAt: string | null;
}

/** Sortable, URL-safe, unguessable: time prefix for locality, 64 random bits for uniqueness. */
export function newIncidentId(now = Date.now()): string {
  return `inc_${now.toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;
}

export async function recordOutcome(db: Db, outcome: IntakeOutcome): Promise<RecordResult> {
  return db.transaction(async (tx) => {
    const base =
      outcome.kind === 'alert'
        ? { source: outcome.alert.source, deliveryId: outcome.alert.deliveryId, event: outcome.alert.kind }
        : outcome;
    const receivedAt = outcome.kind === 'alert' ? outcome.alert.receivedAt : new Date().toISOString();
    const inserted = await tx.query(
      `insert into deliveries (source, delivery_id, received_at, outcome, event, reason)
       values ($1, $2, $3, $4, $5, $6) on conflict do nothing returning delivery_id`,
      [base.source, base.deliveryId, receivedAt, outcome.kind, base.event, outcome.kind === 'ignored' ? outcome.reason : null],
    );
    if (inserted.length === 0) {
      const [seen] = await tx.query<{ incident_id: string | null }>(
        'select incident_id from deliveries where source = $1 and delivery_id = $2',
        [base.source, base.deliveryId],
      );
      return { status: 'duplicate', incidentId: seen?.incident_id ?? null };
    }
    if (outcome.kind === 'ignored') return { status: 'ignored', reason: outcome.reason };

    const { id, created } = await upsertIncident(tx, outcome.alert);
    await tx.query('update deliveries set incident_id = $1 where source = $2 and delivery_id = $3', [
      id,
      base.source,
      base.deliveryId,
    ]);
    await tx.query(
      'insert into alerts (incident_id, source, delivery_id, received_at, alert) values ($1, $2, $3, $4, $5)',
      [id, base.source, base.deliveryId, receivedAt, JSON.stringify(outcome.alert)],
    );
    // Only a new incident starts the pipeline; a repeat only counts.
    if (created) await enqueueOutbox(tx, 'assemble', id, { incidentId: id });
    return { status: created ? 'created' : 'attached', incidentId: id };
  });
}

async function upsertIncident(tx: Queryable, alert: Alert): Promise<{ id: string; created: boolean }> {
  const top = topInAppFrame(alert.frames);
  const topFrame = top ? `${top.file ?? top.absPath ?? '?'}:${top.function ?? '?'}` : null;
  const [row] = await tx.query<{ id: string; created: boolean }>(
    `insert into incidents (id, fingerprint, source, title, error_type, message, top_frame, service, environment,
                            trace_id, release, commit_sha, repo_hint, first_seen, last_seen)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
     on conflict (fingerprint) where closed_at is null do update set
       alert_count = incidents.alert_count + 1,
       last_seen = greatest(incidents.last_seen, excluded.last_seen),
       trace_id = coalesce(incidents.trace_id, excluded.trace_id),
       commit_sha = coalesce(incidents.commit_sha, excluded.commit_sha),
       updated_at = now()
     returning id, (xmax = 0) as created`,
    [
      newIncidentId(),
      fingerprint(alert),
      alert.source,
      alert.title,
      alert.errorType,
      alert.message,
      topFrame,
      alert.service ?? null,
      alert.environment ?? null,
      alert.traceId ?? null,
      alert.release ?? null,
      alert.commitSha ?? null,
      alert.repoHint ?? null,
      alert.receivedAt,
    ],
  );
  if (!row) throw new Error('incident upsert returned no row');
  return row;
}

const INCIDENT_COLUMNS = `id, fingerprint, status, source, title, error_type as "errorType", message,
  top_frame as "topFrame", service, environment, trace_id as "traceId", release, commit_sha as "commitSha",
  repo_hint as "repoHint", alert_count as "alertCount", first_seen as "firstSeen", last_seen as "lastSeen",
  closed_at as "closedAt"`;

export interface IncidentFilter {
  status?: string;
  source?: string;
  service?: string;
  limit: number;
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor?: string;
}

export async function listIncidents(
  db: Queryable,
  filter: IncidentFilter,
): Promise<{ items: IncidentRow[]; nextCursor: string | null }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.status) add('status = ?', filter.status);
  if (filter.source) add('source = ?', filter.source);
  if (filter.service) add('service = ?', filter.service);
  if (filter.cursor) {
    const { lastSeen, id } = decodeCursor(filter.cursor);
    params.push(lastSeen, id);
    where.push(`(last_seen, id) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(filter.limit + 1);
  const rows = await db.query<IncidentRow>(
    `select ${INCIDENT_COLUMNS} from incidents ${where.length ? `where ${where.join(' and ')}` : ''}
     order by last_seen desc, id desc limit $${params.length}`,
    params,
  );
  const items = rows.slice(0, filter.limit).map(normalizeRow);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > filter.limit && last ? encodeCursor(last) : null };
}

export async function getIncident(db: Queryable, id: string): Promise<IncidentRow | null> {
  const [row] = await db.query<IncidentRow>(`select ${INCIDENT_COLUMNS} from incidents where id = $1`, [id]);
  return row ? normalizeRow(row) : null;
}

export async function getIncidentAlerts(db: Queryable, incidentId: string): Promise<Alert[]> {
  const rows = await db.query<{ alert: Alert | string }>(
    'select alert from alerts where incident_id = $1 order by id',
    [incidentId],
  );
  return rows.map((r) => (typeof r.alert === 'string' ? (JSON.parse(r.alert) as Alert) : r.alert));
}

export async function setIncidentStatus(db: Queryable, id: string, status: string): Promise<void> {
  await db.query('update incidents set status = $2, updated_at = now() where id = $1', [id, status]);
}

function normalizeRow(row: IncidentRow): IncidentRow {
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string | null));
  return { ...row, firstSeen: iso(row.firstSeen)!, lastSeen: iso(row.lastSeen)!, closedAt: iso(row.closedAt) };
}

function encodeCursor(row: IncidentRow): string {
  return Buffer.from(JSON.stringify([row.lastSeen, row.id])).toString('base64url');
}

export function decodeCursor(cursor: string): { lastSeen: string; id: string } {
  try {
    const [lastSeen, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof lastSeen === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(lastSeen))) {
      return { lastSeen, id };
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidCursorError();
}

export class InvalidCursorError extends Error {
  constructor() {
    super('cursor is not one this API returned');
  }
}
