// Error spans and exception log records → Alerts, under the opt-in rule. Pure: no I/O, so the
// receiver, the CLI and tests all call the same functions.
import type { Alert } from '../../../schemas/alert.ts';
import type { LogRecord, SpanRecord } from '../../../schemas/telemetry.ts';
import { compileRule, type OtlpAlertRule } from './alert-rule.ts';
import { exceptionAlert, type AlertOptions } from './exception-alert.ts';
import { stringAttr } from '../../traces/otlp/values.ts';

const STATUS_ERROR = 2;
const SEVERITY_UNSPECIFIED = 0;
const SEVERITY_ERROR = 17;

/** Spans with status ERROR that carry an `exception` event (the span-event form of
 * semconv exceptions). The last exception event is the one that ended the span. */
export function alertsFromSpans(spans: readonly SpanRecord[], rule: OtlpAlertRule, options: AlertOptions = {}): Alert[] {
  const matcher = compileRule(rule);
  if (!matcher.enabled) return [];
  let byId: Map<string, SpanRecord> | undefined; // built on the first error span: most batches have none
  const alerts: Alert[] = [];
  for (const span of spans) {
    if (span.statusCode !== STATUS_ERROR) continue;
    const event = span.events.findLast((e) => e.name === 'exception');
    if (!event) continue;
    byId ??= new Map(spans.map((s) => [s.spanId, s]));
    const route = routeOf(span, byId);
    if (!matcher.matches(span.service, route)) continue;
    const alert = exceptionAlert(
      {
        kind: 'span.exception',
        traceId: span.traceId,
        spanId: span.spanId,
        exception: event.attributes,
        codeSources: [event.attributes, span.attributes],
        resource: span.resource,
        ...(span.service ? { service: span.service } : {}),
        spanName: span.name,
        ...(span.statusMessage ? { statusMessage: span.statusMessage } : {}),
        ...(route ? { route } : {}),
        attributes: span.attributes,
        timeUnixNano: event.timeUnixNano,
      },
      options,
    );
    if (alert) alerts.push(alert);
  }
  return alerts;
}

/** Whether a log record is an exception in the sense of semconv's exceptions-logs.md: exception.*
 * attributes, and either severity ERROR or above, or an `exception`/`*.exception` event name with
 * no severity. A handled exception logged at WARN (semconv's advice) does not alert. */
export function isExceptionLog(log: LogRecord): boolean {
  if (stringAttr(log.attributes, 'exception.type', 'exception.message') === undefined) return false;
  if (log.severityNumber >= SEVERITY_ERROR) return true;
  const named = log.eventName === 'exception' || (log.eventName?.endsWith('.exception') ?? false);
  return named && log.severityNumber === SEVERITY_UNSPECIFIED;
}

/** Exception log records (the form semconv ≥ 1.40 recommends). `spans`, when given, are the
 * records' traces: they supply the route (for the route filter) and the span name. */
export function alertsFromLogs(
  logs: readonly LogRecord[],
  rule: OtlpAlertRule,
  options: AlertOptions & { spans?: readonly SpanRecord[] } = {},
): Alert[] {
  const matcher = compileRule(rule);
  if (!matcher.enabled) return [];
  const byId = new Map((options.spans ?? []).map((s) => [s.spanId, s]));
  const alerts: Alert[] = [];
  for (const log of logs) {
    if (!isExceptionLog(log)) continue;
    const span = log.spanId ? byId.get(log.spanId) : undefined;
    const route = stringAttr(log.attributes, 'http.route') ?? (span ? routeOf(span, byId) : undefined);
    if (!matcher.matches(log.service, route)) continue;
    const alert = exceptionAlert(
      {
        kind: 'log.exception',
        ...(log.traceId ? { traceId: log.traceId } : {}),
        ...(log.spanId ? { spanId: log.spanId } : {}),
        exception: log.attributes,
        codeSources: span ? [log.attributes, span.attributes] : [log.attributes],
        resource: log.resource,
        ...(log.service ? { service: log.service } : {}),
        ...(span ? { spanName: span.name } : {}),
        ...(route ? { route } : {}),
        attributes: span ? { ...span.attributes, ...log.attributes } : log.attributes,
        timeUnixNano: log.timeUnixNano,
      },
      options,
    );
    if (alert) alerts.push(alert);
  }
  return alerts;
}

/** http.route of the span or its nearest ancestor in the same batch: the error is usually raised
 * in a child (a db or internal span) of the server span that knows the route. */
function routeOf(span: SpanRecord, byId: Map<string, SpanRecord>): string | undefined {
  let current: SpanRecord | undefined = span;
  for (let depth = 0; current && depth < 64; depth++) {
    const route = stringAttr(current.attributes, 'http.route');
    if (route) return route;
    current = current.parentSpanId ? byId.get(current.parentSpanId) : undefined;
  }
  return undefined;
}
