// Incidents, their alerts and the deliveries that brought them. recordOutcome() writes one delivery
// durably (delivery, incident, alert and outbox row in one statement); the webhook routes go
// through IntakeWriter (intake-writer.ts), which writes many at once with recordAlerts() and falls
// back to recordOutcome() one by one.
import { randomBytes } from 'node:crypto';
import type { Alert } from '../../schemas/alert.ts';
import { fingerprint, topInAppFrame } from '../evidence/fingerprint.ts';
import type { IntakeOutcome } from '../intake/types.ts';
import type { Db, Queryable } from './db.ts';
import { AppError } from '../errors.ts';

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
  /** The repository its bundle resolved (owner/name or URL); null before assembly. */
  repo: string | null;
  alertCount: number;
  firstSeen: string;
  lastSeen: string;
  closedAt: string | null;
}

// randomBytes is a synchronous call into OpenSSL each time; ids are taken on the webhook's hot
// path, so random bytes are fetched 4 KiB at a time and handed out 8 at a time.
let entropy = Buffer.alloc(0);
let entropyAt = 0;

function random64Hex(): string {
  if (entropyAt + 8 > entropy.length) {
    entropy = randomBytes(4096);
    entropyAt = 0;
  }
  entropyAt += 8;
  return entropy.toString('hex', entropyAt - 8, entropyAt);
}

/** Sortable, URL-safe, unguessable: time prefix for locality, 64 random bits for uniqueness. */
export function newIncidentId(now = Date.now()): string {
  return `inc_${now.toString(36).padStart(9, '0')}${random64Hex()}`;
}

/** The incident's `top_frame`: file:function of the crash site, for people reading the list. */
export function topFrameLabel(alert: Pick<Alert, 'frames'>): string | null {
  const top = topInAppFrame(alert.frames);
  return top ? `${top.file ?? top.absPath ?? '?'}:${top.function ?? '?'}` : null;
}

/** Postgres text cannot hold NUL, which third-party error text can: stored as U+FFFD instead of
 * failing the delivery on every redelivery. */
export function pgText<T extends string | null | undefined>(value: T): T {
  return (typeof value === 'string' && value.includes('\0') ? value.replaceAll('\0', '\uFFFD') : value) as T;
}

/** The same for JSON text: a `\u0000` escape (one not itself escaped, `\\u0000` is text) becomes
 * `\uFFFD`. json accepts the escape, but json_to_recordset and every cast to text or jsonb fail on it. */
export function pgJson(json: string): string {
  return json.includes('\\u0000') ? json.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\uFFFD') : json;
}

/** An alert's values for the deliveries, incidents and alerts columns, in one place for the
 * single-delivery statement below and the batch one (record-alerts.ts). */
export function alertColumns(alert: Alert) {
  return {
    source: alert.source,
    deliveryId: pgText(alert.deliveryId),
    receivedAt: alert.receivedAt,
    event: pgText(alert.kind),
    fingerprint: fingerprint(alert),
    title: pgText(alert.title),
    errorType: pgText(alert.errorType),
    message: pgText(alert.message),
    topFrame: pgText(topFrameLabel(alert)),
    service: pgText(alert.service ?? null),
    environment: pgText(alert.environment ?? null),
    traceId: alert.traceId ?? null,
    release: pgText(alert.release ?? null),
    commitSha: alert.commitSha ?? null,
    repoHint: pgText(alert.repoHint ?? null),
  };
}

export async function recordOutcome(db: Db, outcome: IntakeOutcome): Promise<RecordResult> {
  if (outcome.kind === 'ignored') {
    const inserted = await db.query(
      `insert into deliveries (source, delivery_id, received_at, outcome, event, reason)
       values ($1, $2, now(), 'ignored', $3, $4) on conflict do nothing returning 1`,
      [outcome.source, pgText(outcome.deliveryId), pgText(outcome.event), pgText(outcome.reason)],
    );
    return inserted.length ? { status: 'ignored', reason: outcome.reason } : duplicateOf(db, outcome.source, pgText(outcome.deliveryId));
  }
  const { alert } = outcome;
  const c = alertColumns(alert);
  // One statement, so one round trip and atomic without BEGIN/COMMIT: the delivery row decides
  // (a redelivery inserts nothing, so nothing below runs), the incident is created or counted, the
  // alert attached, and only a new incident gets an outbox row. This is the webhook's hot path.
  const [row] = await db.query<{ id: string; created: boolean }>(
    `with delivery as (
       insert into deliveries (source, delivery_id, received_at, outcome, event)
       values ($1, $2, $3, 'alert', $4) on conflict do nothing returning 1
     ), incident as (
       insert into incidents (id, fingerprint, source, title, error_type, message, top_frame, service, environment,
                              trace_id, release, commit_sha, repo_hint, first_seen, last_seen)
       select $5, $6, $1, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $3, $3 where exists (select 1 from delivery)
       on conflict (fingerprint) where closed_at is null do update set
         alert_count = incidents.alert_count + 1,
         last_seen = greatest(incidents.last_seen, excluded.last_seen),
         trace_id = coalesce(incidents.trace_id, excluded.trace_id),
         commit_sha = coalesce(incidents.commit_sha, excluded.commit_sha),
         updated_at = now()
       returning id, (xmax = 0) as created
     ), attached as (
       insert into alerts (incident_id, source, delivery_id, received_at, alert)
       select id, $1, $2, $3, $17 from incident
     ), queued as (
       insert into outbox (queue, job_id, payload)
       select 'assemble', id, json_build_object('incidentId', id) from incident where created
     )
     select id, created from incident`,
    [
      c.source,
      c.deliveryId,
      c.receivedAt,
      c.event,
      newIncidentId(),
      c.fingerprint,
      c.title,
      c.errorType,
      c.message,
      c.topFrame,
      c.service,
      c.environment,
      c.traceId,
      c.release,
      c.commitSha,
      c.repoHint,
      pgJson(JSON.stringify(alert)),
    ],
  );
  if (!row) return duplicateOf(db, c.source, c.deliveryId);
  return { status: row.created ? 'created' : 'attached', incidentId: row.id };
}

async function duplicateOf(db: Queryable, source: string, deliveryId: string): Promise<RecordResult> {
  const [seen] = await db.query<{ incident_id: string }>(
    'select incident_id from alerts where source = $1 and delivery_id = $2 limit 1',
    [source, deliveryId],
  );
  return { status: 'duplicate', incidentId: seen?.incident_id ?? null };
}

const INCIDENT_COLUMNS = `id, fingerprint, status, source, title, error_type as "errorType", message,
  top_frame as "topFrame", service, environment, trace_id as "traceId", release, commit_sha as "commitSha",
  repo_hint as "repoHint", repo, alert_count as "alertCount", first_seen as "firstSeen", last_seen as "lastSeen",
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

function decodeCursor(cursor: string): { lastSeen: string; id: string } {
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

export class InvalidCursorError extends AppError {
  constructor() {
    super('TF_BAD_CURSOR', 'cursor is not one this API returned');
  }
}
