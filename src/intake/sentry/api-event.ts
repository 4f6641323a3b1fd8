// The Sentry REST API serializes events differently from webhooks (EventSerializer): camelCase
// frame keys (`absPath`, `lineNo`, `inApp`), source context as `[[lineNo, line], ...]`, the
// interfaces inside `entries: [{type, data}]`, tags as `{key, value}`, `release` as an object.
// This converts that shape into the stored-event shape so event-to-alert.ts serves both
// (sample: getsentry/sentry api-docs/paths/events/latest-event.json, fixture
// test/fixtures/sentry/api-issue-latest-event.json).
import { z } from 'zod';
import { SentryEvent } from './schemas.ts';

const text = z.string().nullish();
const id = z.union([z.string(), z.number()]).transform(String);

const ApiFrame = z.object({
  filename: text,
  absPath: text,
  function: text,
  module: text,
  lineNo: z.number().int().nullish(),
  colNo: z.number().int().nullish(),
  inApp: z.boolean().nullish(),
  context: z.array(z.array(z.unknown())).nullish(),
  vars: z.unknown().optional(),
});
type ApiFrame = z.infer<typeof ApiFrame>;

const ApiStacktrace = z.object({ frames: z.array(ApiFrame.nullable()).nullish() }).nullish();

export const SentryApiEvent = z.object({
  eventID: text,
  id: text,
  groupID: id.nullish(),
  projectID: id.nullish(),
  title: text,
  message: text,
  culprit: text,
  metadata: z.unknown().optional(),
  tags: z.unknown().optional(),
  contexts: z.unknown().optional(),
  release: z.unknown().optional(),
  entries: z.array(z.object({ type: z.string(), data: z.unknown().optional() })).nullish(),
});
export type SentryApiEvent = z.infer<typeof SentryApiEvent>;

const ExceptionEntry = z.object({
  values: z
    .array(
      z
        .object({ type: text, value: z.unknown().optional(), module: text, threadId: id.nullish(), stacktrace: ApiStacktrace })
        .nullable(),
    )
    .nullish(),
});
const MessageEntry = z.object({ formatted: text, message: text });
const RequestEntry = z.object({ method: text, url: text, query: z.unknown().optional(), headers: z.unknown().optional(), data: z.unknown().optional() });
const ThreadsEntry = z.object({
  values: z
    .array(z.object({ id: id.nullish(), crashed: z.boolean().nullish(), current: z.boolean().nullish(), stacktrace: ApiStacktrace }).nullable())
    .nullish(),
});

/** `[[lineNo, line], ...]` around the frame's line → Sentry's pre_context / context_line / post_context. */
function splitContext(frame: ApiFrame) {
  const context = (frame.context ?? []).filter((pair) => typeof pair[0] === 'number' && typeof pair[1] === 'string') as [number, string][];
  const at = context.findIndex(([n]) => n === frame.lineNo);
  if (at < 0) return {};
  return {
    pre_context: context.slice(0, at).map(([, l]) => l),
    context_line: context[at]?.[1],
    post_context: context.slice(at + 1).map(([, l]) => l),
  };
}

function toStoredFrames(stack: z.infer<typeof ApiStacktrace>) {
  if (!stack) return undefined;
  return {
    frames: (stack.frames ?? [])
      .filter((f): f is ApiFrame => f !== null)
      .map((f) => ({
        filename: f.filename,
        abs_path: f.absPath,
        function: f.function,
        module: f.module,
        lineno: f.lineNo,
        colno: f.colNo,
        in_app: f.inApp,
        vars: f.vars,
        ...splitContext(f),
      })),
  };
}

function releaseVersion(release: unknown): string | undefined {
  if (typeof release === 'string') return release;
  if (release && typeof release === 'object' && typeof (release as { version?: unknown }).version === 'string') {
    return (release as { version: string }).version;
  }
  return undefined;
}

/** API event → the stored-event shape, validated by the same SentryEvent schema as webhooks. */
export function apiEventToStoredEvent(api: SentryApiEvent, webUrl?: string) {
  const stored: Record<string, unknown> = {
    event_id: api.eventID ?? api.id,
    issue_id: api.groupID,
    project: api.projectID,
    title: api.title,
    message: api.message,
    culprit: api.culprit,
    metadata: api.metadata,
    tags: api.tags,
    contexts: api.contexts,
    release: releaseVersion(api.release),
    web_url: webUrl,
  };
  for (const entry of api.entries ?? []) {
    if (entry.type === 'exception') {
      const data = ExceptionEntry.parse(entry.data);
      stored.exception = {
        values: (data.values ?? []).filter((v) => v !== null).map((v) => ({
          type: v.type,
          value: v.value,
          module: v.module,
          thread_id: v.threadId,
          stacktrace: toStoredFrames(v.stacktrace),
        })),
      };
    } else if (entry.type === 'message') {
      stored.logentry = MessageEntry.parse(entry.data);
    } else if (entry.type === 'request') {
      const r = RequestEntry.parse(entry.data);
      stored.request = { method: r.method, url: r.url, query_string: r.query, headers: r.headers, data: r.data };
    } else if (entry.type === 'stacktrace') {
      stored.stacktrace = toStoredFrames(ApiStacktrace.parse(entry.data));
    } else if (entry.type === 'threads') {
      const t = ThreadsEntry.parse(entry.data);
      stored.threads = {
        values: (t.values ?? []).filter((v) => v !== null).map((v) => ({ ...v, stacktrace: toStoredFrames(v.stacktrace) })),
      };
    }
  }
  // The API has no top-level `environment`; the environment tag carries it.
  return SentryEvent.parse(stored);
}
