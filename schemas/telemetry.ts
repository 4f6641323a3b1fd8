// Spans and log records as tracefix stores them: what the OTLP receiver (and external trace
// sources such as Tempo or Jaeger) produce and what the assembler reads. Ids are lower-case hex,
// times are nanoseconds since the epoch as decimal strings (they pass 2^53).
import { z } from 'zod';

export const AttributeValue: z.ZodType<unknown> = z.unknown();
export const Attributes = z.record(z.string(), AttributeValue);

export const SpanEvent = z.object({
  name: z.string(),
  timeUnixNano: z.string().regex(/^\d+$/),
  attributes: Attributes,
});

export const SpanRecord = z.object({
  traceId: z.string().regex(/^[0-9a-f]{32}$/),
  spanId: z.string().regex(/^[0-9a-f]{16}$/),
  parentSpanId: z.string().regex(/^[0-9a-f]{16}$/).optional(),
  name: z.string(),
  /** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: z.number().int().min(0).max(5),
  startTimeUnixNano: z.string().regex(/^\d+$/),
  endTimeUnixNano: z.string().regex(/^\d+$/),
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  statusCode: z.number().int().min(0).max(2),
  statusMessage: z.string().optional(),
  service: z.string().optional(),
  attributes: Attributes,
  resource: Attributes,
  events: z.array(SpanEvent),
});
export type SpanRecord = z.infer<typeof SpanRecord>;

export const LogRecord = z.object({
  timeUnixNano: z.string().regex(/^\d+$/),
  /** OTLP severity number: 9 INFO, 13 WARN, 17 ERROR, 21 FATAL. */
  severityNumber: z.number().int().min(0).max(24),
  severityText: z.string().optional(),
  body: z.string(),
  traceId: z.string().regex(/^[0-9a-f]{32}$/).optional(),
  spanId: z.string().regex(/^[0-9a-f]{16}$/).optional(),
  eventName: z.string().optional(),
  service: z.string().optional(),
  attributes: Attributes,
  resource: Attributes,
});
export type LogRecord = z.infer<typeof LogRecord>;
