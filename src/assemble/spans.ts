// One stored span → a bundle span: times as RFC 3339 + duration, status and kind by name,
// attributes through the allowlist and the redactor, events capped (exception events first).
import type { SpanRecord } from '../../schemas/telemetry.ts';
import { CAPS, type BundleSpan } from '../../schemas/bundle.ts';
import { bundleAttributes, type AttributeContext } from './attributes.ts';
import { LIMITS } from './options.ts';
import { nsToIso } from './time.ts';

const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;
const STATUSES = ['unset', 'ok', 'error'] as const;

/** Exception and code location attributes are kept on events whatever the allowlist says: they
 * are the error itself. */
const EVENT_ALWAYS = (key: string) => key.startsWith('exception.') || key.startsWith('code.');

export function spanService(span: Pick<SpanRecord, 'service' | 'resource'>): string | undefined {
  if (span.service !== undefined) return span.service;
  const fromResource = span.resource['service.name'];
  return typeof fromResource === 'string' ? fromResource : undefined;
}

/** Duration in ms with µs precision; BigInt because the ns values pass 2^53. */
export function durationMs(span: Pick<SpanRecord, 'startTimeUnixNano' | 'endTimeUnixNano'>): number {
  const ns = BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano);
  return ns > 0n ? Number(ns / 1000n) / 1000 : 0;
}

export function toBundleSpan(span: SpanRecord, ctx: AttributeContext): BundleSpan {
  const { redactor } = ctx;
  const { attributes, omitted } = bundleAttributes(span.attributes, ctx);
  const service = spanService(span);
  // Exception events first: with many events, those are the ones to keep.
  const events = [...span.events]
    .sort((a, b) => Number(b.name === 'exception') - Number(a.name === 'exception'))
    .slice(0, LIMITS.spanEvents)
    .map((event) => ({
      name: redactor.textCapped(event.name, CAPS.name),
      time: nsToIso(event.timeUnixNano),
      attributes: bundleAttributes(event.attributes, ctx, EVENT_ALWAYS).attributes,
    }));
  return {
    spanId: span.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    name: redactor.textCapped(span.name, CAPS.name),
    ...(service ? { service: redactor.textCapped(service, CAPS.name) } : {}),
    kind: KINDS[span.kind] ?? 'unspecified',
    start: nsToIso(span.startTimeUnixNano),
    durationMs: durationMs(span),
    status: STATUSES[span.statusCode] ?? 'unset',
    ...(span.statusMessage ? { statusMessage: redactor.textCapped(span.statusMessage, CAPS.message) } : {}),
    attributes,
    attributesOmitted: omitted,
    events,
  };
}
