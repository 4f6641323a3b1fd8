// The bundle's trace section: the error span in full, the path from the root to it, its direct
// children, and the rest of the trace counted per service + span name (a 10k-span trace becomes
// a few dozen rows; the model needs the shape, not every span).
import type { z } from 'zod';
import type { SpanRecord } from '../../schemas/telemetry.ts';
import { CAPS, type BundleTrace, type SummaryGroup } from '../../schemas/bundle.ts';
import type { AttributeContext } from './attributes.ts';
import type { Correlation } from './correlate.ts';
import { LIMITS } from './options.ts';
import { spanService, toBundleSpan } from './spans.ts';

type Trace = z.infer<typeof BundleTrace>;
type Group = z.infer<typeof SummaryGroup>;

export function buildTrace(corr: Correlation, ctx: AttributeContext): Trace {
  // Error children first (they may be the cause), then by start time.
  const children = [...corr.children].sort((a, b) => Number(b.statusCode === 2) - Number(a.statusCode === 2));
  const shownChildren = children.slice(0, LIMITS.children);
  const shown = new Set<string>([...corr.ancestors, ...shownChildren].map((s) => s.spanId));
  if (corr.errorSpan) shown.add(corr.errorSpan.spanId);
  const { groups, spansOmitted } = summarize(corr.traceSpans, shown, ctx);
  return {
    traceId: corr.traceId,
    selection: corr.selection,
    errorSpan: corr.errorSpan ? toBundleSpan(corr.errorSpan, ctx) : null,
    ancestors: corr.ancestors.map((s) => toBundleSpan(s, ctx)),
    rootMissing: corr.rootMissing,
    children: shownChildren.map((s) => toBundleSpan(s, ctx)).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0)),
    summary: { totalSpans: corr.traceSpans.length, groups, spansOmitted },
  };
}

/** Spans not shown in full, grouped by service + name: groups with errors first, then the
 * biggest. Labels are redacted once per group, not once per span. */
function summarize(spans: readonly SpanRecord[], shown: ReadonlySet<string>, ctx: AttributeContext) {
  const raw = new Map<string, { service: string | undefined; name: string; count: number; errorCount: number; maxDurationMs: number }>();
  for (const span of spans) {
    if (shown.has(span.spanId)) continue;
    const service = spanService(span);
    const key = `${service ?? ''}\0${span.name}`;
    let group = raw.get(key);
    if (!group) {
      group = { service, name: span.name, count: 0, errorCount: 0, maxDurationMs: 0 };
      raw.set(key, group);
    }
    group.count++;
    if (span.statusCode === 2) group.errorCount++;
    // Doubles, not BigInt, over thousands of spans: sub-µs error, irrelevant for a maximum.
    const d = Math.max(0, Math.round((Number(span.endTimeUnixNano) - Number(span.startTimeUnixNano)) / 1000) / 1000);
    if (d > group.maxDurationMs) group.maxDurationMs = d;
  }
  const sorted = [...raw.values()].sort(
    (a, b) =>
      b.errorCount - a.errorCount ||
      b.count - a.count ||
      cmp(a.service ?? '', b.service ?? '') ||
      cmp(a.name, b.name),
  );
  const kept = sorted.slice(0, LIMITS.summaryGroups);
  const spansOmitted = sorted.slice(LIMITS.summaryGroups).reduce((n, g) => n + g.count, 0);
  const groups: Group[] = kept.map((g) => ({
    ...(g.service ? { service: ctx.redactor.textCapped(g.service, CAPS.name) } : {}),
    name: ctx.redactor.textCapped(g.name, CAPS.name),
    count: g.count,
    errorCount: g.errorCount,
    maxDurationMs: g.maxDurationMs,
  }));
  return { groups, spansOmitted };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
