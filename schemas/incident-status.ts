// An incident's status: where its pipeline is, following its latest run. The README's "Incident
// states" table explains each one; `?status=` on GET /api/incidents accepts exactly these.
import { z } from 'zod';

export const INCIDENT_STATUSES = [
  'open',
  'assembled',
  'queued',
  'reproducing',
  'repairing',
  'fixed',
  'not-reproduced',
  'not-fixed',
  'failed',
  // After a fix is merged: `merged` by the pull_request webhook, the others by the recurrence watch.
  'merged',
  'regressed',
  'verified',
] as const;

export const IncidentStatus = z.enum(INCIDENT_STATUSES);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

/** Statuses in which the pipeline is still working on the incident: a retry would run it twice. */
export const BUSY_STATUSES: readonly IncidentStatus[] = ['open', 'assembled', 'queued', 'reproducing', 'repairing'];
