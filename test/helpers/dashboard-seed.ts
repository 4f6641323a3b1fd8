// Seeds the database and the data directory the way the pipeline leaves them, for dashboard tests:
// an incident row, its assembled bundle (artifact store + bundles row), and a run taken through the
// real run-store calls (createRun → recordReproduction → finishRun) with its output files written by
// the real writeRunOutputs. The bundle and run record come from a real CLI run (test/fixtures/
// dashboard/); the span path and log window are synthesized here (that run had no OTLP data).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Bundle } from '../../schemas/bundle.ts';
import { Run } from '../../schemas/run.ts';
import { writeRunOutputs } from '../../src/repair/proposal/index.ts';
import { newRunId } from '../../src/run/run-incident.ts';
import { ArtifactStore } from '../../src/store/artifacts.ts';
import type { Db } from '../../src/store/db.ts';
import { newIncidentId } from '../../src/store/incident-store.ts';
import { createRun, finishRun, recordReproduction } from '../../src/store/run-store.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/dashboard/${name}`, import.meta.url), 'utf8')) as unknown;

export const REAL_BUNDLE = Bundle.parse(fixture('js-cart.bundle.json'));
export const REAL_RUN = Run.parse(fixture('js-cart.result.json'));

export interface SeedOptions {
  errorType?: string;
  message?: string;
  service?: string;
  source?: string;
  repoHint?: string;
  /** Text put into the synthesized log lines and into every local of the crash frame. */
  hostile?: string;
  /** Leave the run out (an incident still being assembled). */
  noRun?: boolean;
  firstSeen?: Date;
}

/** The real bundle with a span path and a log window added (the error span under two ancestors). */
export function bundleWithTrace(incidentId: string, opts: SeedOptions = {}): Bundle {
  const b = structuredClone(REAL_BUNDLE);
  const t0 = Date.parse(b.logs.errorTime ?? '2026-01-01T00:00:00Z') - 120;
  const at = (ms: number) => new Date(t0 + ms).toISOString();
  const span = (id: string, parent: string | undefined, name: string, start: number, durationMs: number, status: 'ok' | 'error' | 'unset') => ({
    spanId: id.padStart(16, '0'),
    ...(parent ? { parentSpanId: parent.padStart(16, '0') } : {}),
    name,
    service: 'shop-api',
    kind: 'internal' as const,
    start: at(start),
    durationMs,
    status,
    ...(status === 'error' ? { statusMessage: opts.hostile ?? "Cannot read properties of undefined (reading 'rate')" } : {}),
    attributes: {},
    attributesOmitted: 0,
    events: [],
  });
  b.incident.id = incidentId;
  if (opts.errorType) b.exception.type = opts.errorType;
  if (opts.message) b.exception.message = opts.message;
  b.trace = {
    ...b.trace,
    selection: 'deepest-error',
    ancestors: [span('a1', undefined, 'POST /cart/:id/checkout', 0, 140, 'error'), span('a2', 'a1', 'cart.checkout', 10, 120, 'error')],
    errorSpan: span('e1', 'a2', 'cart.applyCoupon', 100, 4, 'error'),
    children: [span('c1', 'e1', 'coupons.findCoupon', 101, 1, 'ok')],
    summary: { totalSpans: 6, groups: [], spansOmitted: 0 },
  };
  const line = (origin: 'trace' | 'window', severity: string, body: string, offsetMs: number, count = 1) => ({
    origin,
    severity,
    count,
    ...(count > 1 ? { template: body.replace(/\d+/g, '<num>') } : {}),
    body,
    time: at(120 + offsetMs),
    offsetMs,
    service: 'shop-api',
  });
  b.logs = {
    ...b.logs,
    entries: [
      line('trace', 'INFO', 'checkout started for cart 42', -110),
      line('trace', 'ERROR', opts.hostile ? `coupon lookup failed: ${opts.hostile}` : 'coupon lookup failed: code SPRING99 unknown', -2),
      line('window', 'WARN', 'slow query took 812 ms', -900, 7),
    ],
    traceRecords: 2,
    windowRecords: 7,
  };
  if (opts.hostile) {
    const frame = b.exception.frames[b.exception.topInAppFrame]!;
    // Keys are capped at 128 characters by the bundle schema: a short hostile key, the full text as values.
    frame.locals = { ...(frame.locals ?? {}), '<img src=x onerror=alert(1)>': opts.hostile, code: opts.hostile };
  }
  return Bundle.parse(b);
}

export interface Seeded {
  incidentId: string;
  runId: string | undefined;
  bundle: Bundle;
}

export async function seedIncident(db: Db, dataDir: string, opts: SeedOptions = {}): Promise<Seeded> {
  const firstSeen = opts.firstSeen ?? new Date();
  const incidentId = newIncidentId(firstSeen.getTime());
  const errorType = opts.errorType ?? REAL_BUNDLE.exception.type;
  const message = opts.message ?? REAL_BUNDLE.exception.message;
  await db.query(
    `insert into incidents (id, fingerprint, status, source, title, error_type, message, top_frame, service, trace_id, commit_sha, repo_hint, first_seen, last_seen)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)`,
    [
      incidentId,
      `fp-${incidentId}`,
      opts.noRun ? 'open' : REAL_RUN.status,
      opts.source ?? 'sentry',
      `${errorType}: ${message}`.slice(0, 200),
      errorType,
      message,
      'src/cart.js:applyCoupon',
      opts.service ?? 'shop-api',
      REAL_BUNDLE.trace.traceId,
      REAL_BUNDLE.repo.commitSha ?? null,
      opts.repoHint ?? null,
      firstSeen.toISOString(),
    ],
  );
  const bundle = bundleWithTrace(incidentId, opts);
  const sha = await new ArtifactStore(dataDir).put(JSON.stringify(bundle));
  await db.query('insert into bundles (incident_id, sha256, tokens) values ($1, $2, $3)', [incidentId, sha, 1000]);
  if (opts.noRun) return { incidentId, runId: undefined, bundle };
  const runId = newRunId(incidentId);
  await createRun(db, { id: runId, incidentId, bundleSha256: sha });
  await recordReproduction(db, runId, REAL_RUN.reproduction!);
  const run = Run.parse({ ...structuredClone(REAL_RUN), id: runId, incident: { ...REAL_RUN.incident, id: incidentId }, bundleSha256: sha });
  await writeRunOutputs(path.join(dataDir, 'runs', runId), run);
  await finishRun(db, run);
  return { incidentId, runId, bundle };
}
