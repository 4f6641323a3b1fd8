// POST /v1/traces and /v1/logs: OTLP/HTTP in JSON or protobuf, optionally gzipped. Registered
// without fastify-plugin on purpose: its content-type parsers, hooks and error handler (which
// answers google.rpc.Status bodies, as OTLP clients expect) stay inside this context.
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { LogRecord, SpanRecord } from '../../../schemas/telemetry.ts';
import type { TraceStore } from '../../traces/types.ts';
import type { IntakeOutcome } from '../types.ts';
import { alertRuleFromConfig, compileRule, type OtlpAlertRule } from './alert-rule.ts';
import { alertsFromLogs, alertsFromSpans, isExceptionLog } from './alerts.ts';
import { checkBearer } from './auth.ts';
import { OtlpDecodeError, rejectionMessage, type Decoded } from '../../traces/otlp/decoded.ts';
import type { StackParser } from './exception-alert.ts';
import { contentEncoding, gunzipBody } from '../../traces/otlp/gzip-body.ts';
import { logsFromRequest } from '../../traces/otlp/logs-request.ts';
import { decodeLogsRequest, decodeTraceRequest } from '../../traces/otlp/protobuf.ts';
import {
  encodingOf,
  JSON_TYPE,
  PROTOBUF_TYPE,
  sendExportResponse,
  sendStatus,
  type Encoding,
  type Signal,
} from '../../traces/otlp/responses.ts';
import { spansFromRequest } from '../../traces/otlp/traces-request.ts';

export interface OtlpRoutesOptions {
  traceStore: TraceStore;
  /** Config, or anything shaped like its `otlp` section (`alerts` optional until config has it). */
  config: { otlp: { token: string | undefined; bodyLimit: number; alerts?: Partial<OtlpAlertRule> } };
  /** Receives the alerts of each export (wired to acceptOutcome). A throw answers 503 so the
   * exporter retries; spans dedupe by id and alerts by deliveryId. */
  onAlerts?: (outcomes: IntakeOutcome[]) => Promise<unknown> | unknown;
  /** Overrides the rule from config. */
  alertRule?: OtlpAlertRule;
  /** exception.stacktrace → frames; default framesFromStackText (src/evidence/stack-text.ts). */
  parseStack?: StackParser;
}

/** Traces looked up per logs export to resolve routes for the route filter. */
const MAX_ROUTE_LOOKUPS = 20;

export const otlpRoutes: FastifyPluginAsync<OtlpRoutesOptions> = async (app, options) => {
  const { traceStore, config } = options;
  const limit = config.otlp.bodyLimit;
  const rule = options.alertRule ?? alertRuleFromConfig(config);
  const matcher = compileRule(rule);

  app.removeAllContentTypeParsers();
  app.addContentTypeParser([JSON_TYPE, PROTOBUF_TYPE], { parseAs: 'buffer', bodyLimit: limit }, (_req, body, done) => {
    done(null, body);
  });
  app.setErrorHandler((error: FastifyError, request, reply) => answerError(error, request, reply, limit));

  // Authentication and the media checks run before the body is read: a stranger's 16 MiB costs nothing.
  app.addHook('onRequest', async (request, reply) => {
    const denied = checkBearer(request.headers.authorization, config.otlp.token);
    const encoding = encodingOf(request.headers['content-type']) ?? 'json';
    if (denied) {
      reply.header('www-authenticate', 'Bearer');
      return sendStatus(reply, 401, encoding, denied);
    }
    if (!encodingOf(request.headers['content-type'])) {
      return sendStatus(reply, 415, 'json', `Content-Type must be ${JSON_TYPE} or ${PROTOBUF_TYPE}`);
    }
    if (!contentEncoding(request.headers['content-encoding'])) {
      return sendStatus(reply, 415, encoding, 'Content-Encoding must be gzip or identity');
    }
    return undefined;
  });
  app.addHook('preParsing', async (request, _reply, payload) =>
    contentEncoding(request.headers['content-encoding']) === 'gzip' ? gunzipBody(payload, limit) : payload,
  );

  const routeOptions = { bodyLimit: limit };
  app.post('/v1/traces', routeOptions, async (request, reply) => {
    const encoding = encodingOf(request.headers['content-type'])!;
    const decoded = decode(request, reply, 'traces', encoding);
    if (!decoded) return reply;
    const spans = decoded.records as SpanRecord[];
    if (!(await store(request, reply, encoding, () => traceStore.writeSpans(spans)))) return reply;
    if (matcher.enabled && options.onAlerts) {
      const alerts = alertsFromSpans(spans, rule, parseOptions(options));
      if (!(await deliver(request, reply, encoding, alerts, options.onAlerts))) return reply;
    }
    return finish(request, reply, 'traces', encoding, decoded);
  });

  app.post('/v1/logs', routeOptions, async (request, reply) => {
    const encoding = encodingOf(request.headers['content-type'])!;
    const decoded = decode(request, reply, 'logs', encoding);
    if (!decoded) return reply;
    const logs = decoded.records as LogRecord[];
    if (!(await store(request, reply, encoding, () => traceStore.writeLogs(logs)))) return reply;
    if (matcher.enabled && options.onAlerts) {
      const candidates = logs.filter(isExceptionLog);
      if (candidates.length) {
        const spans = matcher.needsRoute ? await tracesOf(traceStore, candidates) : [];
        const alerts = alertsFromLogs(candidates, rule, { ...parseOptions(options), spans });
        if (!(await deliver(request, reply, encoding, alerts, options.onAlerts))) return reply;
      }
    }
    return finish(request, reply, 'logs', encoding, decoded);
  });
};

function parseOptions(options: OtlpRoutesOptions) {
  return options.parseStack ? { parseStack: options.parseStack } : {};
}

/** The decoded request, or undefined after answering 400. */
function decode(
  request: FastifyRequest,
  reply: FastifyReply,
  signal: Signal,
  encoding: Encoding,
): Decoded<SpanRecord | LogRecord> | undefined {
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const messageName = signal === 'traces' ? 'ExportTraceServiceRequest' : 'ExportLogsServiceRequest';
  let message: unknown;
  try {
    if (encoding === 'json') message = JSON.parse(body.toString('utf8'));
    else message = signal === 'traces' ? decodeTraceRequest(body) : decodeLogsRequest(body);
  } catch (error) {
    const what = encoding === 'json' ? 'valid JSON' : `a protobuf ${messageName}`;
    sendStatus(reply, 400, encoding, `The body is not ${what}: ${(error as Error).message}`);
    return undefined;
  }
  try {
    return signal === 'traces' ? spansFromRequest(message) : logsFromRequest(message);
  } catch (error) {
    if (!(error instanceof OtlpDecodeError)) throw error;
    sendStatus(reply, 400, encoding, error.message);
    return undefined;
  }
}

async function store(request: FastifyRequest, reply: FastifyReply, encoding: Encoding, write: () => Promise<void>) {
  try {
    await write();
    return true;
  } catch (error) {
    request.log.error({ err: error }, 'OTLP write to the trace store failed');
    sendStatus(reply, 503, encoding, 'The trace store is unavailable; retry later');
    return false;
  }
}

async function deliver(
  request: FastifyRequest,
  reply: FastifyReply,
  encoding: Encoding,
  alerts: ReturnType<typeof alertsFromSpans>,
  onAlerts: NonNullable<OtlpRoutesOptions['onAlerts']>,
) {
  if (alerts.length === 0) return true;
  try {
    await onAlerts(alerts.map((alert): IntakeOutcome => ({ kind: 'alert', alert })));
    request.log.info({ alerts: alerts.map((a) => a.deliveryId) }, 'OTLP alerts accepted');
    return true;
  } catch (error) {
    request.log.error({ err: error }, 'OTLP alerts could not be accepted');
    sendStatus(reply, 503, encoding, 'Alerts could not be recorded; retry later');
    return false;
  }
}

async function tracesOf(traceStore: TraceStore, logs: readonly LogRecord[]): Promise<SpanRecord[]> {
  const ids = [...new Set(logs.map((l) => l.traceId).filter((id): id is string => id !== undefined))];
  const traces = await Promise.all(ids.slice(0, MAX_ROUTE_LOOKUPS).map((id) => traceStore.getTrace(id)));
  return traces.flat();
}

function finish(request: FastifyRequest, reply: FastifyReply, signal: Signal, encoding: Encoding, decoded: Decoded<unknown>) {
  const noun = signal === 'traces' ? 'spans' : 'log records';
  const message = rejectionMessage(decoded, noun);
  if (decoded.rejected > 0) {
    request.log.info({ signal, accepted: decoded.records.length, rejected: decoded.rejected, reasons: decoded.reasons }, 'OTLP records rejected');
  }
  return sendExportResponse(reply, signal, encoding, decoded.rejected, message);
}

function answerError(error: FastifyError, request: FastifyRequest, reply: FastifyReply, limit: number) {
  const encoding = encodingOf(request.headers['content-type']) ?? 'json';
  const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
  if (status >= 500) {
    request.log.error({ err: error }, 'OTLP request failed');
    return sendStatus(reply, status, encoding, 'Internal error; see the service log');
  }
  const message = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? `The body is larger than ${limit} bytes (TRACEFIX_OTLP_BODY_LIMIT sets the limit)` : error.message;
  request.log.info({ code: error.code, statusCode: status }, 'OTLP request rejected');
  return sendStatus(reply, status, encoding, message);
}
