// Spans and log records through the OpenTelemetry API when it is installed (production, where
// instrument.ts starts the SDK); no-ops otherwise, so the service and its tests need no package.
import type { Attributes, Span } from '@opentelemetry/api';

type Api = typeof import('@opentelemetry/api');
type LogsApi = typeof import('@opentelemetry/api-logs');

let api: Api | undefined;
let logsApi: LogsApi | undefined;
try {
  api = await import('@opentelemetry/api');
  logsApi = await import('@opentelemetry/api-logs');
} catch {
  api = undefined;
}

const tracer = api?.trace.getTracer('catalog-ts', '3.1.0');
const logger = logsApi?.logs.getLogger('catalog-ts', '3.1.0');
const SEVERITY = { debug: 5, info: 9, warn: 13, error: 17 } as const;
const recorded = new WeakSet<object>();
let toConsole = false;

function fail(s: Span, error: unknown): void {
  if (error instanceof Error && !recorded.has(error)) {
    s.recordException(error);
    recorded.add(error);
  }
  s.setStatus({ code: 2, message: error instanceof Error ? error.message : String(error) });
}

/** Runs `fn` in a span (kind 1 = server, 0 = internal); the span ends when `fn` is done. */
export function span<T>(name: string, attributes: Attributes, fn: (s?: Span) => T, kind: 0 | 1 = 0): T {
  if (!tracer) return fn();
  return tracer.startActiveSpan(name, { attributes, kind }, (s) => {
    try {
      const result = fn(s);
      if (result instanceof Promise) {
        return result.then(
          (value: unknown) => {
            s.end();
            return value;
          },
          (error: unknown) => {
            fail(s, error);
            s.end();
            throw error;
          },
        ) as T;
      }
      s.end();
      return result;
    } catch (error) {
      fail(s, error);
      s.end();
      throw error;
    }
  });
}

type Level = keyof typeof SEVERITY;

function emit(level: Level, body: string, attributes: Attributes = {}, error?: Error): void {
  if (toConsole) process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: body, ...attributes })}\n`);
  const attrs: Attributes = { ...attributes };
  if (error) {
    attrs['exception.type'] = error.name;
    attrs['exception.message'] = error.message;
    if (error.stack) attrs['exception.stacktrace'] = error.stack;
  }
  logger?.emit({ severityNumber: SEVERITY[level], severityText: level.toUpperCase(), body, attributes: attrs });
}

export const log = {
  info: (body: string, attributes?: Attributes) => emit('info', body, attributes),
  warn: (body: string, attributes?: Attributes) => emit('warn', body, attributes),
  error: (body: string, attributes: Attributes, error: Error) => emit('error', body, attributes, error),
  /** Log lines also go to stdout (the server does this; tests stay quiet). */
  toConsole: () => {
    toConsole = true;
  },
};
