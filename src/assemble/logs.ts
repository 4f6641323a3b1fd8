// The log section: records of the failing trace first (what this request did), then the error's
// service within ±N seconds (what else was going on), each collapsed into templates. The scan
// over all records does only cheap comparisons; regex work happens per distinct body.
import type { z } from 'zod';
import type { LogRecord } from '../../schemas/telemetry.ts';
import { CAPS, type BundleLogs, type LogEntry } from '../../schemas/bundle.ts';
import { bundleAttributes, type AttributeContext } from './attributes.ts';
import { collapseLogs, logService, severityName, type LogGroup } from './collapse.ts';
import { LIMITS } from './options.ts';
import { nsToIso, nsToMs } from './time.ts';

export interface LogContext {
  traceId: string | null;
  /** When the error happened (ms since the epoch), and as a display time. */
  errorMs: number;
  errorTime: string | null;
  service: string | undefined;
  windowSeconds: number;
  attrs: AttributeContext;
}

export function buildLogs(logs: readonly LogRecord[], ctx: LogContext): z.infer<typeof BundleLogs> {
  const inTrace: LogRecord[] = [];
  const inWindow: LogRecord[] = [];
  const windowMs = ctx.windowSeconds * 1000;
  for (const record of logs) {
    if (ctx.traceId && record.traceId === ctx.traceId) {
      inTrace.push(record);
    } else if (ctx.service !== undefined && logService(record) === ctx.service) {
      if (Math.abs(nsToMs(record.timeUnixNano) - ctx.errorMs) <= windowMs) inWindow.push(record);
    }
  }
  const trace = keepNearest(collapseLogs(inTrace, ctx.errorMs), LIMITS.traceLogEntries, ctx.errorMs);
  const window = keepNearest(collapseLogs(inWindow, ctx.errorMs), LIMITS.windowLogEntries, ctx.errorMs);
  const { redactor } = ctx.attrs;
  return {
    errorTime: ctx.errorTime,
    windowSeconds: ctx.windowSeconds,
    service: ctx.service === undefined ? null : redactor.textCapped(ctx.service, CAPS.name),
    entries: [...trace.kept.map((g) => toEntry(g, 'trace', ctx)), ...window.kept.map((g) => toEntry(g, 'window', ctx))],
    traceRecords: inTrace.length,
    windowRecords: inWindow.length,
    recordsOmitted: trace.omitted + window.omitted,
  };
}

/** At most `limit` groups, those nearest the error; returned in time order. */
function keepNearest(groups: LogGroup[], limit: number, errorMs: number): { kept: LogGroup[]; omitted: number } {
  if (groups.length <= limit) return { kept: groups, omitted: 0 };
  const byDistance = [...groups].sort((a, b) => Math.abs(a.sampleMs - errorMs) - Math.abs(b.sampleMs - errorMs) || a.sampleMs - b.sampleMs);
  const kept = new Set(byDistance.slice(0, limit));
  const omitted = byDistance.slice(limit).reduce((n, g) => n + g.count, 0);
  return { kept: groups.filter((g) => kept.has(g)), omitted };
}

function toEntry(group: LogGroup, origin: 'trace' | 'window', ctx: LogContext): LogEntry {
  const { redactor } = ctx.attrs;
  const sample = group.sample;
  const { attributes } = bundleAttributes(sample.attributes, ctx.attrs);
  const collapsed = group.count > 1;
  return {
    origin,
    severity: severityName(sample),
    count: group.count,
    ...(collapsed ? { template: redactor.textCapped(group.template, CAPS.logBody) } : {}),
    body: redactor.textCapped(sample.body, CAPS.logBody),
    time: nsToIso(sample.timeUnixNano),
    offsetMs: Math.round((group.sampleMs - ctx.errorMs) * 1000) / 1000,
    ...(collapsed ? { firstTime: nsToIso(group.firstNs), lastTime: nsToIso(group.lastNs) } : {}),
    ...(sample.spanId ? { spanId: sample.spanId } : {}),
    // Window entries are all the error's service; trace entries may come from any service.
    ...(origin === 'trace' && group.service ? { service: redactor.textCapped(group.service, CAPS.name) } : {}),
    ...(Object.keys(attributes).length ? { attributes } : {}),
  };
}
