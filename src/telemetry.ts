// tracefix's own telemetry: the pino logger (with secrets redacted at the logger) and the
// OpenTelemetry SDK. Library code uses only @opentelemetry/api through instrument(); the
// entrypoints call startTelemetry() once.
import { context, isSpanContextValid, SpanStatusCode, trace, type Attributes, type SpanContext } from '@opentelemetry/api';
import { pino, type Logger } from 'pino';
import type { Config } from './config.ts';

export type { Logger } from 'pino';

/** Paths pino replaces with "[redacted]": credentials in headers and any field named like a secret. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["sentry-hook-signature"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-hub-signature"]',
  'req.headers["dd-api-key"]',
  'req.headers["x-tracefix-token"]',
  'headers.authorization',
  'headers.cookie',
  '*.authorization',
  '*.token',
  '*.secret',
  '*.password',
  '*.apiKey',
  '*.clientSecret',
  '*.webhookSecret',
  // The LLM key, when a whole config or its llm section is logged (`{ config }`, `{ llm }`).
  '*.llm.apiKey',
  '*.*.llm.apiKey',
  'token',
  'secret',
  'password',
  'apiKey',
];

export function createLogger(config: Pick<Config, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: 'tracefix' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // The request URL can carry a secret token (legacy Sentry plugin); never log the path's tail.
      serializers: { req: serializeRequest },
    },
    destination,
  );
}

function serializeRequest(req: { id?: string; method?: string; url?: string; headers?: Record<string, unknown> }) {
  return {
    id: req.id,
    method: req.method,
    url: req.url?.replace(/(\/webhooks\/sentry\/legacy\/)[^/?]+/, '$1[redacted]'),
    delivery: req.headers?.['x-github-delivery'] ?? req.headers?.['request-id'],
  };
}

const tracer = trace.getTracer('tracefix');

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The W3C traceparent of the active span, for a job to carry; undefined without a recording trace. */
export function currentTraceparent(): string | undefined {
  const ctx = trace.getActiveSpan()?.spanContext();
  if (!ctx || !isSpanContextValid(ctx)) return undefined;
  return `00-${ctx.traceId}-${ctx.spanId}-${(ctx.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

/** Runs fn with `traceparent` (from a job) as the remote parent, so its spans continue that trace. */
export function withTraceparent<T>(traceparent: string | undefined, fn: () => T): T {
  const m = traceparent ? TRACEPARENT.exec(traceparent) : null;
  if (!m) return fn();
  const parent: SpanContext = { traceId: m[1]!, spanId: m[2]!, traceFlags: Number.parseInt(m[3]!, 16), isRemote: true };
  if (!isSpanContextValid(parent)) return fn();
  return context.with(trace.setSpanContext(context.active(), parent), fn);
}

/** Runs fn in a span; records the exception and error status, always ends the span. */
export async function instrument<T>(name: string, attributes: Attributes, fn: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

export interface TelemetryHandle {
  shutdown(): Promise<void>;
}

/** Starts the OpenTelemetry SDK. An exporter is configured only when an OTLP endpoint is set; a
 * failure to start is logged and never takes the service down. */
export async function startTelemetry(config: Config, log: Logger): Promise<TelemetryHandle> {
  try {
    const { NodeSDK } = await import('@opentelemetry/sdk-node');
    const { resourceFromAttributes } = await import('@opentelemetry/resources');
    let traceExporter;
    if (config.telemetry.otlpEndpoint) {
      const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
      traceExporter = new OTLPTraceExporter({ url: `${config.telemetry.otlpEndpoint.replace(/\/+$/, '')}/v1/traces` });
    }
    const sdk = new NodeSDK({
      resource: resourceFromAttributes({ 'service.name': config.telemetry.serviceName }),
      ...(traceExporter ? { traceExporter } : {}),
      instrumentations: [],
      // The SDK would otherwise read OTEL_* itself; config.ts is the one reader of the environment.
      autoDetectResources: false,
    });
    sdk.start();
    return { shutdown: () => sdk.shutdown().catch(() => undefined) };
  } catch (error) {
    log.warn({ err: error }, 'OpenTelemetry SDK could not start; continuing without it');
    return { shutdown: async () => undefined };
  }
}
