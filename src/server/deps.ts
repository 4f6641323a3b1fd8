// What the HTTP app is built from. Its own file so that routes and the dashboard depend on this
// contract rather than on app.ts, which imports them (no import cycle).
import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import type { Queues } from '../queue/producers.ts';
import type { ArtifactStore } from '../store/artifacts.ts';
import type { Db } from '../store/db.ts';
import type { Logger } from '../telemetry.ts';
import type { TraceStore } from '../traces/types.ts';

export interface AppDeps {
  config: Config;
  log: Logger;
  db: Db;
  /** Producer connection, for /readyz. Absent: Redis is reported as not configured. */
  redis?: Redis;
  /** Called after an incident is created, so the outbox is drained at once rather than on the next poll. */
  onIncidentCreated?: (incidentId: string) => void;
  /** Called after a retry wrote its outbox row, so the dispatcher enqueues it at once. */
  onJobQueued?: (incidentId: string) => void;
  /** Where OTLP spans and logs go; without one, /v1/traces and /v1/logs are not served. */
  traceStore?: TraceStore;
  /** Where bundles are read for GET /api/incidents/:id/bundle. */
  artifacts?: ArtifactStore;
  /** Injected for tests: the GitHub/Sentry API calls intake makes (defaults to global fetch). */
  fetch?: typeof fetch;
  /** The stage queues: Bull Board, queue depths on /health and /metrics, and the dashboard's live
   * feed (BullMQ queue events). Absent: those show "unavailable" and the feed only hears intake. */
  queues?: Queues;
  /** Overrides config.dashboard.token (serve passes the one it generated into the data dir).
   * Neither set: every protected path is refused; the dashboard is never served unauthenticated. */
  dashboardToken?: string;
}
