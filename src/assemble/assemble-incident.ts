// The `assemble` stage over the service's stores: an incident's alerts + the spans and logs of
// its traces (and of its service around the error) → a bundle stored as a content-addressed
// artifact. Called by the BullMQ worker; the CLI's offline `tracefix bundle` calls assembleBundle.
import type { Alert } from '../../schemas/alert.ts';
import type { LogRecord, SpanRecord } from '../../schemas/telemetry.ts';
import type { Config } from '../config.ts';
import { fetchLatestSentryEvent } from '../intake/sentry/api-client.ts';
import type { ArtifactStore } from '../store/artifacts.ts';
import { recordBundle } from '../store/bundle-store.ts';
import type { Db } from '../store/db.ts';
import { getIncident, getIncidentAlerts } from '../store/incident-store.ts';
import type { Logger } from '../telemetry.ts';
import type { TraceStore } from '../traces/types.ts';
import { assembleBundle } from './assemble.ts';
import { assembleOptionsFromConfig } from './options-from-config.ts';
import { AppError } from '../errors.ts';

export interface AssembleDeps {
  config: Config;
  db: Db;
  traceStore: TraceStore;
  artifacts: ArtifactStore;
  log: Logger;
  fetch?: typeof fetch;
}

export class IncidentNotFoundError extends AppError {
  constructor(id: string) {
    super('TF_NO_INCIDENT', `No incident ${id}`);
  }
}

const MAX_WINDOW_LOGS = 5000;

export async function assembleIncident(deps: AssembleDeps, incidentId: string): Promise<{ sha256: string; tokens: number }> {
  const { db, traceStore, config } = deps;
  const incident = await getIncident(db, incidentId);
  if (!incident) throw new IncidentNotFoundError(incidentId);
  const alerts = await withLatestSentryEvent(deps, await getIncidentAlerts(db, incidentId));

  const traceIds = [...new Set(alerts.map((a) => a.traceId).filter((id): id is string => Boolean(id)))];
  const spans: SpanRecord[] = [];
  const logs: LogRecord[] = [];
  for (const traceId of traceIds) {
    spans.push(...(await traceStore.getTrace(traceId)));
    logs.push(...(await traceStore.getLogs({ traceId, limit: MAX_WINDOW_LOGS })));
  }
  // The same service's logs around the error tell what else was going on (other requests, retries).
  const service = incident.service ?? spans.find((s) => s.statusCode === 2)?.service;
  if (service) {
    const at = Date.parse(incident.lastSeen);
    const window = config.assemble.logWindowSeconds * 1000;
    const around = await traceStore.getLogs({ service, from: new Date(at - window), to: new Date(at + window), limit: MAX_WINDOW_LOGS });
    const seen = new Set(logs.map((l) => `${l.timeUnixNano}|${l.spanId ?? ''}|${l.body}`));
    for (const l of around) if (!seen.has(`${l.timeUnixNano}|${l.spanId ?? ''}|${l.body}`)) logs.push(l);
  }

  const result = await assembleBundle({
    incident,
    alerts,
    spans,
    logs,
    options: await assembleOptionsFromConfig(config),
  });
  const sha256 = await deps.artifacts.put(result.canonicalJson);
  const tokens = result.bundle.budget.tokensAfter;
  // The bundle knows more than the first alert did (the service from OTLP resources, the mapped
  // repository, the resolved commit): the incident takes it over with the bundle, in one transaction,
  // so `?service=` finds it and the list shows where it will be repaired.
  const { repo, environment } = result.bundle;
  await recordBundle(db, {
    incidentId,
    sha256,
    tokens,
    canonicalJson: result.canonicalJson,
    service: environment.service?.name ?? null,
    repo: repo.name ?? repo.url ?? null,
    commitSha: repo.commitSha ?? null,
  });
  deps.log.info({ incidentId, sha256, tokens, spans: spans.length, logs: logs.length }, 'Bundle assembled');
  return { sha256, tokens };
}

/** Sentry `issue` alerts carry no event; with an API token, fetch the issue's latest event. */
async function withLatestSentryEvent(deps: AssembleDeps, alerts: Alert[]): Promise<Alert[]> {
  const { config } = deps;
  if (!config.sentry.token || alerts.some((a) => !a.needsEvent)) return alerts;
  const issueAlert = alerts.find((a) => a.source === 'sentry' && a.sourceRefs.issue_id);
  if (!issueAlert) return alerts;
  try {
    const latest = await fetchLatestSentryEvent(config, issueAlert.sourceRefs.issue_id!, issueAlert.sourceRefs.organization, {
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
    return [...alerts, latest];
  } catch (error) {
    deps.log.warn({ err: error, issueId: issueAlert.sourceRefs.issue_id }, 'Could not fetch the latest Sentry event; assembling without it');
    return alerts;
  }
}
