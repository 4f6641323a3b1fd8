// Correlation: which alert speaks for the incident, which span is the error, and where that span
// sits in its trace (ancestors to the root, direct children, everything else).
import type { Alert } from '../../schemas/alert.ts';
import type { SpanRecord } from '../../schemas/telemetry.ts';
import { nsToMs } from './time.ts';

export type Selection = 'alert-span-id' | 'exception-event' | 'deepest-error' | 'none';

export interface Correlation {
  alert: Alert;
  traceId: string | null;
  /** Every span of the chosen trace. */
  traceSpans: SpanRecord[];
  selection: Selection;
  errorSpan: SpanRecord | null;
  /** Root first. */
  ancestors: SpanRecord[];
  rootMissing: boolean;
  /** Direct children of the error span, by start time. */
  children: SpanRecord[];
}

/** The latest alert with frames (it has the most to say about the crash site); without any,
 * the latest alert. */
export function pickAlert(alerts: readonly Alert[]): Alert {
  if (alerts.length === 0) throw new Error('assembleBundle needs at least one alert');
  const latest = (list: readonly Alert[]) =>
    list.reduce((best, a) => (Date.parse(a.receivedAt) >= Date.parse(best.receivedAt) ? a : best));
  const withFrames = alerts.filter((a) => a.frames.length > 0 || a.exceptions.some((e) => e.frames.length > 0));
  return latest(withFrames.length ? withFrames : alerts);
}

export function correlate(alert: Alert, spans: readonly SpanRecord[]): Correlation {
  // The alert's trace when it names one; otherwise whatever trace the caller fetched (an OTLP
  // alert names its trace, a GitHub one never does).
  let candidates = alert.traceId ? spans.filter((s) => s.traceId === alert.traceId) : [...spans];
  const { span: errorSpan, selection } = selectErrorSpan(alert, candidates);
  if (!alert.traceId && errorSpan) candidates = candidates.filter((s) => s.traceId === errorSpan.traceId);
  const traceId = alert.traceId ?? errorSpan?.traceId ?? null;
  if (!errorSpan) {
    return { alert, traceId, traceSpans: candidates, selection, errorSpan: null, ancestors: [], rootMissing: false, children: [] };
  }
  const byId = new Map(candidates.map((s) => [s.spanId, s]));
  const ancestors: SpanRecord[] = [];
  const seen = new Set([errorSpan.spanId]);
  let parentId = errorSpan.parentSpanId;
  let rootMissing = false;
  while (parentId) {
    const parent = byId.get(parentId);
    if (!parent || seen.has(parentId)) {
      // A parent the store never got (sampled out, another service not exporting) or a cycle.
      rootMissing = !parent;
      break;
    }
    seen.add(parentId);
    ancestors.push(parent);
    parentId = parent.parentSpanId;
  }
  ancestors.reverse();
  const children = candidates
    .filter((s) => s.parentSpanId === errorSpan.spanId && s.spanId !== errorSpan.spanId)
    .sort(byStart);
  return { alert, traceId, traceSpans: candidates, selection, errorSpan, ancestors, rootMissing, children };
}

function selectErrorSpan(alert: Alert, spans: readonly SpanRecord[]): { span: SpanRecord | null; selection: Selection } {
  if (alert.spanId) {
    const exact = spans.find((s) => s.spanId === alert.spanId);
    if (exact) return { span: exact, selection: 'alert-span-id' };
  }
  const errors = spans.filter((s) => s.statusCode === 2);
  // The error span whose exception event is closest in time to the alert; one whose
  // exception.type matches the alert's error type wins over a closer one that does not.
  const alertMs = Date.parse(alert.receivedAt);
  let best: { span: SpanRecord; typeMiss: number; distance: number } | null = null;
  for (const span of errors) {
    for (const event of span.events) {
      if (event.name !== 'exception') continue;
      const typeMiss = event.attributes['exception.type'] === alert.errorType ? 0 : 1;
      const distance = Math.abs(nsToMs(event.timeUnixNano) - alertMs);
      if (!best || typeMiss < best.typeMiss || (typeMiss === best.typeMiss && distance < best.distance)) {
        best = { span, typeMiss, distance };
      }
    }
  }
  if (best) return { span: best.span, selection: 'exception-event' };
  if (errors.length === 0) return { span: null, selection: 'none' };
  // The deepest error span: errors propagate up, and the innermost one is nearest the cause.
  const depth = depthFunction(spans);
  let deepest = errors[0] as SpanRecord;
  for (const span of errors) {
    const d = depth(span);
    const bestDepth = depth(deepest);
    if (d > bestDepth || (d === bestDepth && nsToMs(span.endTimeUnixNano) > nsToMs(deepest.endTimeUnixNano))) deepest = span;
  }
  return { span: deepest, selection: 'deepest-error' };
}

/** Depth of each span below its root, memoized; a missing parent or a cycle ends the walk. */
function depthFunction(spans: readonly SpanRecord[]): (span: SpanRecord) => number {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const memo = new Map<string, number>();
  return (span) => {
    const path: SpanRecord[] = [];
    const onPath = new Set<string>();
    let current: SpanRecord | undefined = span;
    let base = 0;
    while (current) {
      const known = memo.get(current.spanId);
      if (known !== undefined) {
        base = known + 1;
        break;
      }
      if (onPath.has(current.spanId)) break;
      onPath.add(current.spanId);
      path.push(current);
      current = current.parentSpanId ? byId.get(current.parentSpanId) : undefined;
    }
    // path[last] is the shallowest unknown span.
    for (let i = path.length - 1; i >= 0; i--) memo.set((path[i] as SpanRecord).spanId, base + (path.length - 1 - i));
    return memo.get(span.spanId) ?? 0;
  };
}

export function byStart(a: SpanRecord, b: SpanRecord): number {
  return compareNs(a.startTimeUnixNano, b.startTimeUnixNano) || (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0);
}

/** Compares decimal ns strings exactly (no leading zeros in OTLP output; length first). */
export function compareNs(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
