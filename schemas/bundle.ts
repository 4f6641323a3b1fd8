// The bundle: the evidence for one incident and the one input of every later stage (reproduction,
// repair, the LLM prompt). Built by src/assemble/ from the incident's alerts, its trace and the
// logs around it; already redacted and cut to a token budget; stored as canonical JSON + sha256.
// Every free-text field is `untrusted()`: see schemas/untrusted.ts for why and how to present it.
import { z } from 'zod';
import { AlertSource, COMMIT_SHA, SPAN_ID, TRACE_ID } from './alert.ts';
import { Framework } from './test-results.ts';
import { untrusted, untrustedPaths } from './untrusted.ts';

export const BUNDLE_VERSION = 1;

/** Length caps of the bundle's text fields; the assembler cuts text to these. */
export const CAPS = {
  title: 1024,
  message: 8192,
  rawStack: 8192,
  name: 512,
  path: 1024,
  contextLine: 512,
  contextLines: 10,
  attrKey: 256,
  attrValue: 1024,
  logBody: 2048,
  url: 2048,
  headerValue: 1024,
  requestBody: 4096,
  env: 256,
  /** Locals: strings ≤ 256 chars (marker included), ≤ 20 keys per object, ≤ 20 array items, depth ≤ 3. */
  localString: 256,
  localKey: 128,
  localKeys: 20,
  localItems: 20,
  localDepth: 3,
} as const;

const IsoTime = z.string().max(40).describe('RFC 3339 UTC time, nanosecond precision when the source had it');

/** An attribute value after allowlisting and redaction: scalars; arrays/objects are JSON text. */
export const AttrValue = z.union([untrusted(CAPS.attrValue), z.number(), z.boolean(), z.null()]);
export const Attrs = z.record(untrusted(CAPS.attrKey, 'Attribute key'), AttrValue);

export type LocalValue = string | number | boolean | null | LocalValue[] | { [key: string]: LocalValue };
/** A frame local after redaction and truncation. Truncation is marked in place: strings end with
 * `…[+N chars]`, arrays end with `"…[+N items]"`, objects get a `"…": "+N keys"` entry, and a
 * value deeper than the depth cap becomes `"[depth>3: object with N keys]"`. */
export const LocalValue: z.ZodType<LocalValue> = z
  .lazy(() =>
    z.union([
      untrusted(CAPS.localString),
      z.number(),
      z.boolean(),
      z.null(),
      z.array(LocalValue).max(CAPS.localItems + 1),
      z.record(untrusted(CAPS.localKey, 'Local name'), LocalValue),
    ]),
  )
  .meta({ id: 'LocalValue' });

export const BundleFrame = z.object({
  file: untrusted(CAPS.path).optional(),
  absPath: untrusted(CAPS.path).optional(),
  function: untrusted(CAPS.name).optional(),
  module: untrusted(CAPS.name).optional(),
  line: z.number().int().nonnegative().optional(),
  column: z.number().int().nonnegative().optional(),
  inApp: z.boolean().describe('false = library code; unknown counts as in-app (as the fingerprint does)'),
  contextLine: untrusted(CAPS.contextLine).optional(),
  preContext: z.array(untrusted(CAPS.contextLine)).max(CAPS.contextLines).optional(),
  postContext: z.array(untrusted(CAPS.contextLine)).max(CAPS.contextLines).optional(),
  locals: z.record(untrusted(CAPS.localKey, 'Local name'), LocalValue).optional(),
  localsTruncated: z.boolean().optional().describe('Some local was cut; the cut is marked in place (…[+N chars], …[+N items], "…": "+N keys", [depth>3: …])'),
});
export type BundleFrame = z.infer<typeof BundleFrame>;

export const ExceptionCause = z.object({
  type: untrusted(CAPS.name),
  message: untrusted(CAPS.message),
  module: untrusted(CAPS.name).optional(),
  frames: z.array(BundleFrame).max(50).describe('Innermost first'),
  framesOmitted: z.number().int().nonnegative(),
});

export const BundleException = z.object({
  type: untrusted(CAPS.name),
  message: untrusted(CAPS.message),
  module: untrusted(CAPS.name).optional(),
  frames: z.array(BundleFrame).max(200).describe('Innermost first: frames[0] is the crash site, then its callers'),
  topInAppFrame: z.number().int().min(-1).describe("Index in frames of the innermost in-app frame (the fingerprint's frame); -1 without frames"),
  framesOmitted: z.number().int().nonnegative().describe('Frames left out (stack cap or token budget)'),
  rawStack: untrusted(CAPS.rawStack, 'The stack as text, when the source had no structured frames').optional(),
  causes: z.array(ExceptionCause).max(10).describe('Chained causes, the direct cause of the raised exception first'),
});

export const SpanStatus = z.enum(['unset', 'ok', 'error']);
export const SpanKindName = z.enum(['unspecified', 'internal', 'server', 'client', 'producer', 'consumer']);

export const BundleSpanEvent = z.object({ name: untrusted(CAPS.name), time: IsoTime, attributes: Attrs });

export const BundleSpan = z.object({
  spanId: z.string().regex(SPAN_ID),
  parentSpanId: z.string().regex(SPAN_ID).optional(),
  name: untrusted(CAPS.name),
  service: untrusted(CAPS.name).optional(),
  kind: SpanKindName,
  start: IsoTime,
  durationMs: z.number().nonnegative(),
  status: SpanStatus,
  statusMessage: untrusted(CAPS.message).optional(),
  attributes: Attrs,
  attributesOmitted: z.number().int().nonnegative().describe('Attributes left out: not in the allowlist, or dropped for the token budget'),
  events: z.array(BundleSpanEvent).max(20),
});
export type BundleSpan = z.infer<typeof BundleSpan>;

export const SummaryGroup = z.object({
  service: untrusted(CAPS.name).optional(),
  name: untrusted(CAPS.name),
  count: z.number().int().positive(),
  errorCount: z.number().int().nonnegative(),
  maxDurationMs: z.number().nonnegative(),
});

export const BundleTrace = z.object({
  traceId: z.string().regex(TRACE_ID).nullable(),
  selection: z
    .enum(['alert-span-id', 'exception-event', 'deepest-error', 'none'])
    .describe("How the error span was found: the alert's span id, the error span whose exception event is closest to the alert, the deepest error span, or not at all"),
  errorSpan: BundleSpan.nullable(),
  ancestors: z.array(BundleSpan).describe("The error span's ancestors, the root first"),
  rootMissing: z.boolean().describe('The root was not reached: a parent span is missing from the store'),
  children: z.array(BundleSpan).describe('Direct children of the error span, by start time'),
  summary: z
    .object({
      totalSpans: z.number().int().nonnegative(),
      groups: z.array(SummaryGroup),
      spansOmitted: z.number().int().nonnegative().describe('Spans in no listed span or group (caps, token budget)'),
    })
    .describe('The rest of the trace, counted per service + span name'),
});

/** One log line, or a run of similar lines collapsed into a template (count > 1). */
export const LogEntry = z.object({
  origin: z.enum(['trace', 'window']).describe('trace: carries the failing trace id; window: same service, near the error in time'),
  severity: untrusted(16),
  count: z.number().int().positive(),
  template: untrusted(CAPS.logBody, 'The line with numbers, ids, hex, uuids and quoted text masked; only when count > 1').optional(),
  body: untrusted(CAPS.logBody, 'The sample: the occurrence closest in time to the error'),
  time: IsoTime,
  offsetMs: z.number().describe('Sample time minus error time'),
  firstTime: IsoTime.optional(),
  lastTime: IsoTime.optional(),
  spanId: z.string().regex(SPAN_ID).optional(),
  service: untrusted(CAPS.name).optional(),
  attributes: Attrs.optional(),
});
export type LogEntry = z.infer<typeof LogEntry>;

export const BundleLogs = z.object({
  errorTime: IsoTime.nullable(),
  windowSeconds: z.number().nonnegative(),
  service: untrusted(CAPS.name).nullable(),
  entries: z.array(LogEntry).describe('Trace entries first (by time), then window entries (by time)'),
  traceRecords: z.number().int().nonnegative(),
  windowRecords: z.number().int().nonnegative(),
  recordsOmitted: z.number().int().nonnegative().describe('Records in no entry (entry caps, token budget)'),
});

export const ReproRequest = z.object({
  method: untrusted(16).optional(),
  route: untrusted(CAPS.url).optional(),
  path: untrusted(CAPS.url).optional(),
  url: untrusted(CAPS.url).optional(),
  query: untrusted(CAPS.url).optional(),
  headers: z.record(untrusted(CAPS.attrKey, 'Header name'), untrusted(CAPS.headerValue)).optional(),
  body: untrusted(CAPS.requestBody).optional(),
  bodyTruncated: z.boolean().optional(),
  userAgent: untrusted(CAPS.headerValue).optional(),
  statusCode: z.number().int().optional(),
  sources: z.array(z.enum(['span', 'alert'])),
});

/** The failing test a `ci` incident came from (`tracefix bundle --from-test`): it is the
 * reproduction, so the reproduce stage runs it through the gates instead of synthesizing one. */
export const ReproTest = z.object({
  framework: Framework,
  target: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('test-id'), testId: untrusted(4096, 'Runner test id') }),
    z.object({ kind: z.literal('test-file'), file: untrusted(CAPS.path, 'Workspace-relative test file') }),
    z.object({ kind: z.literal('command'), command: untrusted(4096, 'Command that runs the failing test') }),
  ]),
  testFile: untrusted(CAPS.path, 'Workspace-relative file of the failing test').optional(),
});
export type ReproTest = z.infer<typeof ReproTest>;

export const BundleRepro = z.object({
  request: ReproRequest.nullable(),
  inputs: z.array(
    z.object({
      frameIndex: z.number().int().nonnegative(),
      function: untrusted(CAPS.name).optional(),
      file: untrusted(CAPS.path).optional(),
      line: z.number().int().nonnegative().optional(),
      names: z.array(untrusted(CAPS.localKey)).max(CAPS.localKeys + 1),
    }),
  ).describe('Function inputs: frames whose locals are the inputs (the crash frame and in-app callers); the values live once, in exception.frames[frameIndex].locals'),
  env: z.object({
    tz: untrusted(CAPS.env).optional(),
    locale: untrusted(CAPS.env).optional(),
    deploymentEnvironment: untrusted(CAPS.env).optional(),
    featureFlags: Attrs,
  }),
  test: ReproTest.optional(),
});

export const BundleEnvironment = z.object({
  runtime: z.object({ name: untrusted(CAPS.env).optional(), version: untrusted(CAPS.env).optional() }).optional(),
  os: z.object({ name: untrusted(CAPS.env).optional(), version: untrusted(CAPS.env).optional() }).optional(),
  arch: untrusted(CAPS.env).optional(),
  browser: untrusted(CAPS.env).optional(),
  sdkLanguage: untrusted(CAPS.env).optional(),
  service: z.object({ name: untrusted(CAPS.env).optional(), version: untrusted(CAPS.env).optional() }).optional(),
});

export const CommitSource = z.enum(['alert.release', 'alert.commitSha', 'resource.vcs.ref.head.revision', 'release-map', 'none']);

export const BundleRepo = z.object({
  url: untrusted(CAPS.url).optional(),
  name: untrusted(CAPS.name, 'owner/name when known').optional(),
  repoSource: z.enum(['service-map', 'sentry-project-map', 'alert.repoHint', 'resource.vcs.repository.url.full', 'none']),
  commitSha: z.string().regex(COMMIT_SHA).optional(),
  commitSource: CommitSource,
  release: untrusted(CAPS.env).optional(),
});

export const BundleIncident = z.object({
  id: z.string().min(1).max(128),
  fingerprint: z.string().max(128),
  source: AlertSource,
  title: untrusted(CAPS.title),
  firstSeen: IsoTime,
  lastSeen: IsoTime,
  count: z.number().int().positive(),
  links: z.array(untrusted(CAPS.url)).max(10),
});

/** What the budget may drop, in the order it drops it (src/assemble/budget.ts says why). */
export const BudgetStep = z.enum([
  'window-log-templates', 'window-logs', 'trace-log-templates', 'trace-logs', 'span-attributes', 'span-events',
  'summary-groups', 'request-headers', 'outer-frame-locals', 'outer-frame-context', 'near-logs', 'cause-frames', 'children',
  'library-frames', 'ancestors', 'request-body', 'inner-frames',
]);

export const BundleBudget = z.object({
  tokenizer: z.enum(['o200k_base', 'cl100k_base']),
  limit: z.number().int().positive(),
  tokensBefore: z.number().int().nonnegative().describe('Tokens of the canonical JSON before anything was dropped'),
  tokensAfter: z.number().int().nonnegative().describe('Tokens of the stored canonical JSON'),
  overBudget: z.boolean().describe('Still over the limit after every allowed drop'),
  dropped: z
    .array(z.object({ step: BudgetStep, items: z.number().int().positive(), tokens: z.number().int().describe("Estimated from each item's own JSON") }))
    .describe('What the budget dropped, step by step'),
});

export const BundleRedaction = z.object({
  scheme: z.literal('hmac-sha256'),
  scope: z.literal('incident').describe('Pseudonyms are keyed per incident: equal within this bundle, unlinkable across incidents'),
  keyId: z.string().regex(/^[0-9a-f]{8}$/).describe('First 8 hex of sha256(key): which key made the pseudonyms'),
  counts: z.record(z.string().max(64), z.number().int().positive()).describe('Replacements per kind (email, ipv4, jwt, …, custom pattern names); never values'),
  total: z.number().int().nonnegative(),
});

export const Bundle = z
  .object({
    version: z.literal(BUNDLE_VERSION),
    incident: BundleIncident,
    repo: BundleRepo,
    exception: BundleException,
    trace: BundleTrace,
    logs: BundleLogs,
    repro: BundleRepro,
    environment: BundleEnvironment,
    redaction: BundleRedaction,
    budget: BundleBudget,
  })
  .meta({ title: 'tracefix bundle', description: 'The evidence for one incident: redacted, token-budgeted.' });
export type Bundle = z.infer<typeof Bundle>;

/** Contracts that schemas/generate.ts writes as `<name>.schema.json`. */
export const CONTRACTS = { bundle: Bundle } as const;

/** Every untrusted path of the bundle (`exception.message`, `logs.entries[].body`, …): what a
 * prompt builder must wrap as delimited data. */
export function bundleUntrustedPaths(): string[] {
  return untrustedPaths(Bundle);
}
