// The multi-row form of recordOutcome for alerts: many deliveries in one statement (group commit,
// see src/intake/writer.ts). It keeps recordOutcome's meaning row for row: the delivery row decides
// (a redelivery writes nothing else), an incident is created per new open fingerprint or counted,
// every fresh delivery gets its alert row, and only a created incident gets an outbox row. Being
// one statement it is one transaction: all of the batch is durable, or none of it.
import type { Alert } from '../../schemas/alert.ts';
import type { Queryable } from './db.ts';
import { alertColumns, newIncidentId, pgJson, pgText, type RecordResult } from './incident-store.ts';

// ON CONFLICT DO UPDATE may not touch one row twice in a statement, so the fresh deliveries are
// grouped by fingerprint first: one incident row per fingerprint, counted by the group's size,
// described by its first delivery (as the first of them would have created it one at a time).
// Rows are inserted in key order so that two batches (two tracefix processes on one Postgres)
// take their row locks in the same order and cannot deadlock on each other.
const RECORD_ALERTS_SQL = `
with input as (
  select * from json_to_recordset($1::json) as i(
    ord int, source text, delivery_id text, received_at timestamptz, event text, incident_id text, fingerprint text,
    title text, error_type text, message text, top_frame text, service text, environment text, trace_id text,
    release text, commit_sha text, repo_hint text, alert json, traceparent text)
), delivery as (
  insert into deliveries (source, delivery_id, received_at, outcome, event)
  select source, delivery_id, received_at, 'alert', event from input order by source, delivery_id
  on conflict do nothing returning source, delivery_id
), fresh as (
  select input.* from input join delivery using (source, delivery_id)
), grouped as (
  select fingerprint, count(*)::int as n, min(received_at) as first_seen, max(received_at) as last_seen, min(ord) as first_ord,
         (array_agg(trace_id order by ord) filter (where trace_id is not null))[1] as trace_id,
         (array_agg(commit_sha order by ord) filter (where commit_sha is not null))[1] as commit_sha
  from fresh group by fingerprint
), incident as (
  insert into incidents (id, fingerprint, source, title, error_type, message, top_frame, service, environment,
                         trace_id, release, commit_sha, repo_hint, alert_count, first_seen, last_seen)
  select f.incident_id, g.fingerprint, f.source, f.title, f.error_type, f.message, f.top_frame, f.service, f.environment,
         g.trace_id, f.release, g.commit_sha, f.repo_hint, g.n, g.first_seen, g.last_seen
  from grouped g join fresh f on f.ord = g.first_ord
  order by g.fingerprint
  on conflict (fingerprint) where closed_at is null do update set
    alert_count = incidents.alert_count + excluded.alert_count,
    last_seen = greatest(incidents.last_seen, excluded.last_seen),
    trace_id = coalesce(incidents.trace_id, excluded.trace_id),
    commit_sha = coalesce(incidents.commit_sha, excluded.commit_sha),
    updated_at = now()
  returning id, fingerprint, (xmax = 0) as created
), attached as (
  insert into alerts (incident_id, source, delivery_id, received_at, alert)
  select incident.id, f.source, f.delivery_id, f.received_at, f.alert
  from fresh f join incident using (fingerprint) order by f.ord
), queued as (
  insert into outbox (queue, job_id, payload)
  select 'assemble', i.id, json_strip_nulls(json_build_object('incidentId', i.id, 'traceparent', f.traceparent))
  from incident i join grouped g using (fingerprint) join fresh f on f.ord = g.first_ord
  where i.created order by i.id
)
select f.ord::int as ord, incident.id, (incident.created and f.ord = g.first_ord) as created
from fresh f join grouped g using (fingerprint) join incident using (fingerprint)`;

/** Writes alerts in one statement; the result at index i is alerts[i]'s. A delivery id already
 * stored is a duplicate naming its incident, and so is one that repeats within `alerts` (the first
 * of them is written). */
export async function recordAlerts(db: Queryable, alerts: readonly Alert[], traceparentOf?: (alert: Alert) => string | undefined): Promise<RecordResult[]> {
  if (alerts.length === 0) return [];
  // A key twice in one statement would insert one delivery row and join both alerts to it.
  const firstOf = new Map<string, number>();
  const unique: Alert[] = [];
  const repeats: { index: number; of: number }[] = [];
  alerts.forEach((alert, index) => {
    const key = `${alert.source}\n${pgText(alert.deliveryId)}`;
    const of = firstOf.get(key);
    if (of === undefined) {
      firstOf.set(key, unique.length);
      unique.push(alert);
    } else {
      repeats.push({ index, of });
    }
  });
  const written = await recordUnique(db, unique, traceparentOf);
  if (repeats.length === 0) return written;
  const results: RecordResult[] = alerts.map((alert) => written[firstOf.get(`${alert.source}\n${pgText(alert.deliveryId)}`) as number] as RecordResult);
  for (const { index, of } of repeats) {
    const first = written[of] as RecordResult;
    results[index] = { status: 'duplicate', incidentId: 'incidentId' in first ? first.incidentId : null };
  }
  return results;
}

async function recordUnique(db: Queryable, alerts: readonly Alert[], traceparentOf?: (alert: Alert) => string | undefined): Promise<RecordResult[]> {
  // One new incident id per fingerprint of the batch: only the group's first fresh row's is used.
  const ids = new Map<string, string>();
  const input = alerts.map((alert, i) => {
    const c = alertColumns(alert);
    let id = ids.get(c.fingerprint);
    if (!id) ids.set(c.fingerprint, (id = newIncidentId()));
    return {
      ord: i + 1,
      source: c.source,
      delivery_id: c.deliveryId,
      received_at: c.receivedAt,
      event: c.event,
      incident_id: id,
      fingerprint: c.fingerprint,
      title: c.title,
      error_type: c.errorType,
      message: c.message,
      top_frame: c.topFrame,
      service: c.service,
      environment: c.environment,
      trace_id: c.traceId,
      release: c.release,
      commit_sha: c.commitSha,
      repo_hint: c.repoHint,
      alert,
      // The intake span's W3C traceparent: the new incident's assemble job continues that trace.
      traceparent: traceparentOf?.(alert) ?? null,
    };
  });
  // The batch travels as one JSON document: one JSON.stringify here (the alerts included, which are
  // stored as that text), one parse in the database. Separate array parameters cost more on both
  // sides (each element escaped, then parsed again). Prepared: parsing and planning this statement
  // costs more than running it.
  const rows = await db.query<{ ord: number; id: string; created: boolean }>(RECORD_ALERTS_SQL, [pgJson(JSON.stringify(input))], {
    name: 'tracefix_record_alerts',
  });
  const results: (RecordResult | undefined)[] = new Array(alerts.length);
  for (const row of rows) results[row.ord - 1] = { status: row.created ? 'created' : 'attached', incidentId: row.id };
  const seen = alerts.flatMap((alert, i) => (results[i] ? [] : [alert]));
  if (seen.length > 0) {
    // Redeliveries: rare, so a second query rather than a wider statement. It runs after the
    // insert, so it also sees a concurrent first delivery that the insert waited for.
    const prior = await db.query<{ source: string; delivery_id: string; incident_id: string }>(
      `select a.source, a.delivery_id, a.incident_id from alerts a
       join unnest($1::text[], $2::text[]) as k(source, delivery_id) using (source, delivery_id)`,
      [seen.map((a) => a.source), seen.map((a) => pgText(a.deliveryId))],
    );
    const incidentOf = new Map(prior.map((p) => [`${p.source}\n${p.delivery_id}`, p.incident_id]));
    alerts.forEach((alert, i) => {
      results[i] ??= { status: 'duplicate', incidentId: incidentOf.get(`${alert.source}\n${pgText(alert.deliveryId)}`) ?? null };
    });
  }
  return results as RecordResult[];
}
