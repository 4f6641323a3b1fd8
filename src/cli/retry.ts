// `tracefix retry <incident id> [--engine e]` and `tracefix retry --config-failures`: a new run of an
// incident, through retryIncident() like the API. With Postgres (DATABASE_URL) the CLI writes the
// retry itself and the service's dispatcher enqueues it; embedded PGlite belongs to the running
// service's process, so there the CLI asks the service over HTTP (--url, default its HOST:PORT).
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config.ts';
import { resolveDashboardToken } from '../dashboard/dashboard-token.ts';
import { UsageError } from '../errors.ts';
import { openDatabase } from '../store/open-db.ts';
import { retryConfigFailures, RETRY_ENGINES, RetryError, retryIncident, type RetryEngine } from '../store/retry-incident.ts';

const USAGE = `Usage: tracefix retry <incident id> [--engine auto|templates|llm] [--url <service URL>]
       tracefix retry --config-failures [--engine auto|templates|llm] [--url <service URL>]

Runs an incident again (assemble → reproduce → repair), typically after fixing the configuration
its last run failed on (a repository mapping, the sandbox images). --config-failures retries every
incident whose last run failed for a configuration reason. With DATABASE_URL the retry is written
to the database directly; with the embedded database the running service is asked over HTTP
(--url, default http://127.0.0.1:<PORT>). Exit 0 queued, 1 not retried (busy), 2 bad input.
`;

const INCIDENT_ID = /^inc_[0-9a-z]{9}[0-9a-f]{16}$/;

function serviceUrl(config: Config, given: string | undefined): string {
  if (given) return given.replace(/\/+$/, '');
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

async function overHttp(url: string, path: string, engine: RetryEngine | undefined, token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  let res: Response;
  try {
    res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(engine ? { engine } : {}),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new UsageError(`cannot reach the service at ${url} (${(error as Error).message}): start it (tracefix serve) or pass --url`);
  }
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

export async function retry(args: string[]): Promise<number> {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        engine: { type: 'string' },
        'config-failures': { type: 'boolean' },
        url: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const engine = values.engine as RetryEngine | undefined;
  if (engine !== undefined && !RETRY_ENGINES.includes(engine)) throw new UsageError(`--engine must be one of: ${RETRY_ENGINES.join(', ')}`);
  const bulk = values['config-failures'] ?? false;
  const id = positionals[0];
  if (bulk === Boolean(id) || positionals.length > 1) throw new UsageError(`give one incident id, or --config-failures\n\n${USAGE}`);
  if (id && !INCIDENT_ID.test(id)) throw new UsageError(`${id} is not an incident id (inc_…; GET /api/incidents lists them)`);
  const config = loadConfig();

  if (!config.databaseUrl || values.url) {
    const url = serviceUrl(config, values.url);
    // The API needs the dashboard token: TRACEFIX_DASHBOARD_TOKEN, or the one serve keeps in the data dir.
    const { token } = await resolveDashboardToken(config);
    const { status, body } = await overHttp(url, bulk ? '/api/incidents/retry-failed' : `/api/incidents/${id}/retry`, engine, token);
    if (status === 202) return report(bulk, body);
    process.stderr.write(`tracefix retry: ${String(body.message ?? `HTTP ${status}`)}\n`);
    return status === 409 ? 1 : 2;
  }
  const db = await openDatabase(config);
  try {
    if (bulk) return report(true, await retryConfigFailures(db, config, { ...(engine ? { engine } : {}), requestedBy: 'cli' }));
    return report(false, await retryIncident(db, config, id!, { ...(engine ? { engine } : {}), requestedBy: 'cli' }));
  } catch (error) {
    if (!(error instanceof RetryError)) throw error;
    process.stderr.write(`tracefix retry: ${error.message}\n`);
    return error.reason === 'busy' ? 1 : 2;
  } finally {
    await db.close();
  }
}

function report(bulk: boolean, result: object): number {
  const r = result as { incidentId?: string; engine?: string; jobId?: string; retried?: { incidentId: string }[]; skipped?: { incidentId: string; reason: string }[] };
  if (!bulk) {
    process.stdout.write(`queued ${r.incidentId} (engine ${r.engine}, job ${r.jobId})\n`);
    return 0;
  }
  for (const x of r.retried ?? []) process.stdout.write(`queued ${x.incidentId}\n`);
  for (const x of r.skipped ?? []) process.stdout.write(`skipped ${x.incidentId}: ${x.reason}\n`);
  process.stdout.write(`${r.retried?.length ?? 0} queued, ${r.skipped?.length ?? 0} skipped\n`);
  return 0;
}
