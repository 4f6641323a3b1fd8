// The normalized Alert: what every intake source (Sentry, Datadog, GitHub, OTLP, CI) produces.
// One delivery from one source. Everything later (incident grouping, evidence assembly) reads
// only this shape, never a vendor payload.
import { z } from 'zod';

/** Free text that came from telemetry or a user (messages, stack text, issue bodies). Later
 * stages must show it to a model only inside delimited, untrusted data blocks. */
export const UntrustedText = (max: number) => z.string().max(max);

export const TRACE_ID = /^[0-9a-f]{32}$/;
export const SPAN_ID = /^[0-9a-f]{16}$/;
export const COMMIT_SHA = /^[0-9a-f]{7,40}$/;

export const AlertSource = z.enum(['sentry', 'datadog', 'github', 'otlp', 'ci']);
export type AlertSource = z.infer<typeof AlertSource>;

export const Frame = z.object({
  /** Project-relative path when the source gives one, else the absolute path. */
  file: z.string().max(1024).optional(),
  absPath: z.string().max(2048).optional(),
  function: z.string().max(512).optional(),
  module: z.string().max(512).optional(),
  line: z.number().int().nonnegative().optional(),
  column: z.number().int().nonnegative().optional(),
  inApp: z.boolean().optional(),
  contextLine: z.string().max(2048).optional(),
  preContext: z.array(z.string().max(2048)).max(20).optional(),
  postContext: z.array(z.string().max(2048)).max(20).optional(),
  /** Local variables as the SDK reported them (Sentry sends Python reprs as strings). Unredacted here:
   * the assembler redacts before anything reaches a bundle. */
  vars: z.record(z.string(), z.unknown()).optional(),
});
export type Frame = z.infer<typeof Frame>;

/** One exception of a chain. Frames are ordered caller → callee: the last frame is the crash site. */
export const ExceptionValue = z.object({
  type: z.string().max(512),
  message: UntrustedText(8192),
  module: z.string().max(512).optional(),
  frames: z.array(Frame).max(500),
  /** The stack as text, when that is all the source gave (issue bodies, OTLP exception.stacktrace). */
  rawStack: UntrustedText(65536).optional(),
});
export type ExceptionValue = z.infer<typeof ExceptionValue>;

export const AlertRequest = z.object({
  method: z.string().max(16).optional(),
  url: z.string().max(4096).optional(),
  query: z.string().max(8192).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  data: z.unknown().optional(),
});

export const Alert = z.object({
  source: AlertSource,
  /** The source's idempotency key (Sentry Request-ID, X-GitHub-Delivery, Datadog $ID...). */
  deliveryId: z.string().min(1).max(256),
  receivedAt: z.iso.datetime(),
  /** What happened in the source's words: `event_alert.triggered`, `issues.labeled`. */
  kind: z.string().max(128),
  title: UntrustedText(1024),
  errorType: z.string().max(512),
  message: UntrustedText(8192),
  /** Chained exceptions, oldest first; the last is the raised one. Its frames are `frames`. */
  exceptions: z.array(ExceptionValue).max(20),
  frames: z.array(Frame).max(500),
  traceId: z.string().regex(TRACE_ID).optional(),
  spanId: z.string().regex(SPAN_ID).optional(),
  release: z.string().max(256).optional(),
  commitSha: z.string().regex(COMMIT_SHA).optional(),
  environment: z.string().max(256).optional(),
  service: z.string().max(256).optional(),
  /** owner/name or a URL: which repository the failing code lives in, when the source says. */
  repoHint: z.string().max(512).optional(),
  request: AlertRequest.optional(),
  tags: z.record(z.string(), z.string()),
  link: z.string().max(4096).optional(),
  /** The source has no event with frames yet (Sentry `issue`): fetch its latest event later. */
  needsEvent: z.boolean().optional(),
  /** Source-specific ids worth keeping (Sentry issue id, Datadog monitor id, GitHub issue number). */
  sourceRefs: z.record(z.string(), z.string()),
});
export type Alert = z.infer<typeof Alert>;
