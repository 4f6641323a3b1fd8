// Reads the exported files `tracefix bundle` is given and turns each into alerts, spans or logs
// through the same parsers the service uses. A file that is not what its flag says is a
// UsageError naming the file and the problem (exit 2).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Alert } from '../../schemas/alert.ts';
import type { LogRecord, SpanRecord } from '../../schemas/telemetry.ts';
import { RequestError, UsageError } from '../errors.ts';
import { parseGithubDelivery } from '../intake/github/parse-delivery.ts';
import { logsFromRequest } from '../traces/otlp/logs-request.ts';
import { decodeLogsRequest, decodeTraceRequest } from '../traces/otlp/protobuf.ts';
import { spansFromRequest } from '../traces/otlp/traces-request.ts';
import { sentryEventToAlert } from '../intake/sentry/event-to-alert.ts';
import { parseSentryDelivery } from '../intake/sentry/parse-delivery.ts';
import { SentryEvent } from '../intake/sentry/schemas.ts';
import type { IntakeOutcome } from '../intake/types.ts';

/** A file named on the command line; unreadable is a UsageError naming the flag and the file. */
export async function read(flag: string, file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    throw new UsageError(`${flag} ${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export function parseJson(flag: string, file: string, raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new UsageError(`${flag} ${file}: not JSON (${(error as Error).message})`);
  }
}

function describe(error: unknown): string {
  if (error instanceof RequestError) {
    const first = error.details.slice(0, 3).map((d) => `${d.path}: ${d.message}`);
    return first.length ? `${error.message} (${first.join('; ')})` : error.message;
  }
  return (error as Error).message;
}

function alertOf(flag: string, file: string, outcome: IntakeOutcome): Alert {
  if (outcome.kind !== 'alert') throw new UsageError(`${flag} ${file}: no alert in it (${outcome.reason})`);
  return outcome.alert;
}

/** A Sentry webhook delivery (event_alert / error) or a bare event, as exported from Sentry. */
export async function readSentry(file: string): Promise<Alert> {
  const raw = await read('--sentry', file);
  const json = parseJson('--sentry', file, raw) as Record<string, unknown>;
  const id = createHash('sha256').update(raw).digest('hex').slice(0, 32);
  try {
    if (json && typeof json === 'object' && 'data' in json && 'action' in json) {
      const data = json.data as Record<string, unknown>;
      const resource = data && 'error' in data ? 'error' : data && 'issue' in data ? 'issue' : 'event_alert';
      const delivery = { raw, headers: { 'sentry-hook-resource': resource, 'request-id': id }, receivedAt: new Date() };
      return alertOf('--sentry', file, parseSentryDelivery(delivery));
    }
    const event = SentryEvent.safeParse(json);
    if (!event.success || !('exception' in json || 'message' in json || 'logentry' in json)) {
      throw new UsageError(`--sentry ${file}: not a Sentry event or webhook delivery (no exception, message or data)`);
    }
    return sentryEventToAlert(event.data, { deliveryId: `file:${id}`, receivedAt: new Date(), kind: 'file.event' });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--sentry ${file}: ${describe(error)}`);
  }
}

/** A GitHub `issues` webhook payload; the label it carries is taken as the trigger. */
export async function readGithubIssue(file: string): Promise<Alert> {
  const raw = await read('--github-issue', file);
  const json = parseJson('--github-issue', file, raw) as { issue?: unknown; label?: { name?: string } };
  if (!json || typeof json !== 'object' || !json.issue) {
    throw new UsageError(`--github-issue ${file}: not a GitHub issues webhook payload (no "issue")`);
  }
  const label = json.label?.name ?? 'tracefix';
  const withLabel = Buffer.from(JSON.stringify({ ...json, action: 'labeled', label: { ...(json.label ?? {}), name: label } }));
  const delivery = {
    raw: withLabel,
    headers: { 'x-github-event': 'issues', 'x-github-delivery': createHash('sha256').update(raw).digest('hex').slice(0, 32) },
    receivedAt: new Date(),
  };
  try {
    return alertOf('--github-issue', file, parseGithubDelivery(delivery, { label }));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--github-issue ${file}: ${describe(error)}`);
  }
}

/** An OTLP export request: JSON, or protobuf when the file is not JSON. */
async function readOtlp<T>(
  flag: string,
  file: string,
  key: 'resourceSpans' | 'resourceLogs',
  decode: (b: Uint8Array) => unknown,
  convert: (req: unknown) => { records: T[] },
): Promise<T[]> {
  const raw = await read(flag, file);
  let request: unknown;
  try {
    request = JSON.parse(raw.toString('utf8'));
  } catch {
    try {
      request = decode(raw);
    } catch (error) {
      throw new UsageError(`${flag} ${file}: neither OTLP JSON nor OTLP protobuf (${(error as Error).message})`);
    }
  }
  if (!request || typeof request !== 'object' || !Array.isArray((request as Record<string, unknown>)[key])) {
    throw new UsageError(`${flag} ${file}: not an OTLP export (no "${key}" array)`);
  }
  try {
    return convert(request).records;
  } catch (error) {
    throw new UsageError(`${flag} ${file}: ${describe(error)}`);
  }
}

export const readOtlpTraces = (file: string): Promise<SpanRecord[]> =>
  readOtlp('--otlp-traces', file, 'resourceSpans', decodeTraceRequest, (r) => spansFromRequest(r, { base64: false }));

export const readOtlpLogs = (file: string): Promise<LogRecord[]> =>
  readOtlp('--otlp-logs', file, 'resourceLogs', decodeLogsRequest, (r) => logsFromRequest(r, { base64: false }));

/** The repository's HEAD, for alerts that do not say which commit ran. */
export function repoHead(repo: string): { dir: string; commit: string } {
  const dir = path.resolve(repo);
  try {
    const commit = execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    return { dir, commit };
  } catch {
    throw new UsageError(`--repo ${repo}: not a git repository with a commit`);
  }
}
