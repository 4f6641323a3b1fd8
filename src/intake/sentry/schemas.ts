// The parts of Sentry's payloads tracefix reads. Shapes per getsentry/sentry-docs (event
// payloads, integration-platform webhooks) and the fixtures in test/fixtures/sentry. Objects are
// non-strict (unknown keys are dropped, never rejected); enums such as `action` are plain
// strings; fields that arrive in several shapes (tags, headers, vars, query) are `unknown` and
// normalized in code.
import { z } from 'zod';

const text = z.string().nullish();
/** Ids are strings in current payloads and numbers in older ones (`project: 1`). */
const id = z.union([z.string(), z.number()]).transform(String);
/** Line/column numbers; a numeric string from an old SDK is accepted. */
const int = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);
/** `in_app` is a boolean, but raven-era payloads sent 0/1. */
const flag = z.union([z.boolean(), z.number()]).transform(Boolean);
const lines = z.array(z.string().nullable()).nullish();

export const SentryFrame = z.object({
  filename: text,
  abs_path: text,
  function: text,
  module: text,
  lineno: int.nullish(),
  colno: int.nullish(),
  in_app: flag.nullish(),
  context_line: text,
  pre_context: lines,
  post_context: lines,
  vars: z.unknown().optional(),
});
export type SentryFrame = z.infer<typeof SentryFrame>;

export const SentryStacktrace = z.object({ frames: z.array(SentryFrame.nullable()).nullish() });

export const SentryExceptionValue = z.object({
  type: text,
  value: z.unknown().optional(),
  module: text,
  stacktrace: SentryStacktrace.nullish(),
  thread_id: id.nullish(),
});
export type SentryExceptionValue = z.infer<typeof SentryExceptionValue>;

export const SentryEvent = z.object({
  event_id: text,
  title: text,
  /** A string in stored events; an object ({formatted, message}) from some SDKs. */
  message: z.unknown().optional(),
  logentry: z.object({ formatted: text, message: text }).nullish(),
  metadata: z.object({ type: text, value: text, filename: text, function: text, title: text }).nullish(),
  /** `{values: [...]}`, or the flat list form the protocol also allows. */
  exception: z
    .union([
      z.object({ values: z.array(SentryExceptionValue.nullable()).nullish() }),
      z.array(SentryExceptionValue.nullable()),
    ])
    .nullish(),
  stacktrace: SentryStacktrace.nullish(),
  threads: z
    .object({
      values: z
        .array(
          z
            .object({
              id: id.nullish(),
              crashed: z.boolean().nullish(),
              current: z.boolean().nullish(),
              stacktrace: SentryStacktrace.nullish(),
            })
            .nullable(),
        )
        .nullish(),
    })
    .nullish(),
  contexts: z.object({ trace: z.object({ trace_id: z.unknown().optional(), span_id: z.unknown().optional() }).nullish() }).nullish(),
  release: text,
  environment: text,
  request: z
    .object({ method: text, url: text, query_string: z.unknown().optional(), headers: z.unknown().optional(), data: z.unknown().optional() })
    .nullish(),
  tags: z.unknown().optional(),
  web_url: text,
  url: text,
  issue_id: id.nullish(),
  project: id.nullish(),
  culprit: text,
});
export type SentryEvent = z.infer<typeof SentryEvent>;

/** Integration-platform envelope: `{action, installation, data, actor}`. */
export const SentryEnvelope = z.object({
  action: z.string().nullish(),
  data: z.record(z.string(), z.unknown()),
});

export const SentryEventAlertData = z.object({
  event: SentryEvent,
  triggered_rule: text,
});

export const SentryErrorData = z.object({ error: SentryEvent });

export const SentryIssue = z.object({
  id,
  shortId: text,
  title: text,
  culprit: text,
  metadata: z.object({ type: text, value: text, filename: text, function: text }).nullish(),
  project: z.object({ id: id.nullish(), slug: text }).nullish(),
  web_url: text,
  permalink: text,
  url: text,
});
export type SentryIssue = z.infer<typeof SentryIssue>;

export const SentryIssueData = z.object({ issue: SentryIssue });

/** Legacy per-project WebHooks plugin body (`get_group_data()`). */
export const SentryLegacyBody = z.object({
  id: id.nullish(),
  project: id.nullish(),
  project_slug: text,
  project_name: text,
  culprit: text,
  message: text,
  url: text,
  level: text,
  triggering_rules: z.array(z.string()).nullish(),
  event: z.record(z.string(), z.unknown()),
});
