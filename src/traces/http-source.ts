// The HTTP side shared by the external trace sources: a GET with a timeout, an optional bearer
// token, a size cap, and 404 meaning "no such trace".
import { AppError } from '../errors.ts';

export interface HttpSourceOptions {
  /** Base URL of the query API (Tempo: http://tempo:3200, Jaeger query: http://jaeger:16686). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` (Grafana Cloud, an auth proxy). */
  token?: string;
  timeoutMs?: number;
  /** Responses larger than this are refused rather than parsed. Default 64 MiB. */
  maxBytes?: number;
  fetch?: typeof fetch;
}

export class TraceSourceError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('TF_TRACE_SOURCE', message, options);
  }
}

/** The parsed JSON body, or undefined on 404. Other failures throw TraceSourceError. */
export async function getJson(options: HttpSourceOptions, path: string, source: string): Promise<unknown> {
  const url = `${options.baseUrl.replace(/\/+$/, '')}${path}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, { headers, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
  } catch (error) {
    throw new TraceSourceError(`${source} is unreachable: ${(error as Error).message}`, { cause: error });
  }
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new TraceSourceError(`${source} answered ${response.status} for ${path}`);
  }
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel();
    throw new TraceSourceError(`${source} sent a trace larger than ${maxBytes} bytes`);
  }
  const text = await response.text();
  if (text.length > maxBytes) throw new TraceSourceError(`${source} sent a trace larger than ${maxBytes} bytes`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TraceSourceError(`${source} sent a body that is not JSON`, { cause: error });
  }
}
