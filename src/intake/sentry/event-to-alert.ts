// A stored Sentry event (webhook `data.event` / `data.error`, legacy plugin `event`, or an API
// event converted by api-event.ts) → Alert. One function, so every Sentry path yields the same
// frames, ids and fingerprint for the same event.
import type { Alert, ExceptionValue, Frame } from '../../../schemas/alert.ts';
import { finalizeAlert } from '../common/finalize-alert.ts';
import { commitFromRelease, normalizeSpanId, normalizeTraceId } from '../../evidence/ids.ts';
import { pairsToRecord, queryToString } from '../common/pairs.ts';
import type { SentryEvent, SentryExceptionValue, SentryFrame } from './schemas.ts';

export interface SentryEventContext {
  deliveryId: string;
  receivedAt: Date;
  /** `event_alert.triggered`, `error.created`, `legacy_plugin.event`, `api.latest_event`. */
  kind: string;
  /** Preferred over the event's own `web_url` (the legacy plugin's issue URL, for instance). */
  link?: string | undefined;
  /** Merged into sourceRefs (triggered rule, project slug...). */
  refs?: Record<string, string | undefined>;
}

export function sentryEventToAlert(event: SentryEvent, context: SentryEventContext): Alert {
  const values = exceptionValues(event);
  const last = values.at(-1);
  const metaType = event.metadata?.type ?? undefined;
  const errorType = last?.type || metaType || 'Error';
  const message = last ? valueText(last.value) || (event.metadata?.value ?? '') : eventMessage(event);
  const exceptions: ExceptionValue[] = values.length
    ? values.map((v) => ({
        type: v.type || metaType || 'Error',
        message: valueText(v.value),
        ...(v.module ? { module: v.module } : {}),
        frames: framesOf(v, event),
      }))
    : // Message-only event (captureMessage, logging integration): one synthetic exception so
      // `exceptions` always ends with the raised error; frames from an attached stacktrace or
      // the crashed/current thread.
      [{ type: errorType, message, frames: convertFrames(event.stacktrace?.frames ?? threadStack(event)?.frames) }];
  const frames = exceptions.at(-1)?.frames ?? [];
  const tags = pairsToRecord(event.tags);
  const release = event.release || undefined;
  const link = context.link || event.web_url || undefined;
  const request = event.request
    ? {
        method: event.request.method ?? undefined,
        url: event.request.url ?? undefined,
        query: queryToString(event.request.query_string),
        headers: pairsToRecord(event.request.headers),
        data: event.request.data ?? undefined,
      }
    : undefined;
  const refs: Record<string, string> = {};
  const candidates: Record<string, string | undefined | null> = {
    issue_id: event.issue_id,
    event_id: event.event_id,
    project: event.project,
    organization: organizationFromUrl(link ?? event.url ?? undefined),
    // The event's API URL names the project by slug (`/api/0/projects/<org>/<slug>/events/…`);
    // `project` itself is the numeric id. The slug maps to a repository (TRACEFIX_SENTRY_PROJECT_REPOS).
    project_slug: projectSlugFromUrl(event.url ?? undefined),
  };
  for (const [key, value] of [...Object.entries(candidates), ...Object.entries(context.refs ?? {})]) {
    if (value) refs[key] = value;
  }

  return finalizeAlert({
    source: 'sentry',
    deliveryId: context.deliveryId,
    receivedAt: context.receivedAt.toISOString(),
    kind: context.kind,
    // Sentry titles message events with the message itself, exceptions as `Type: value`.
    title: event.title || event.metadata?.title || (values.length === 0 ? message : message ? `${errorType}: ${message}` : errorType) || errorType,
    errorType,
    message,
    exceptions,
    frames,
    traceId: normalizeTraceId(event.contexts?.trace?.trace_id),
    spanId: normalizeSpanId(event.contexts?.trace?.span_id),
    release,
    commitSha: commitFromRelease(release),
    environment: event.environment || tags.environment || undefined,
    service: tags.service || undefined,
    request,
    tags,
    link,
    sourceRefs: refs,
  });
}

function exceptionValues(event: SentryEvent): SentryExceptionValue[] {
  const raw = Array.isArray(event.exception) ? event.exception : (event.exception?.values ?? []);
  return raw.filter((v): v is SentryExceptionValue => v !== null);
}

/** Exception values are strings; a few SDKs send numbers or objects. */
function valueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function eventMessage(event: SentryEvent): string {
  const m = event.message;
  const fromMessage =
    typeof m === 'string' ? m : m && typeof m === 'object' ? String((m as { formatted?: unknown }).formatted ?? (m as { message?: unknown }).message ?? '') : '';
  return event.logentry?.formatted || event.logentry?.message || fromMessage || event.metadata?.value || event.metadata?.title || event.title || '';
}

/** An exception's own stacktrace; native and JVM SDKs may put it on the thread instead. */
function framesOf(value: SentryExceptionValue, event: SentryEvent): Frame[] {
  if (value.stacktrace?.frames?.length) return convertFrames(value.stacktrace.frames);
  if (value.thread_id !== undefined && value.thread_id !== null) {
    const thread = event.threads?.values?.find((t) => t?.id === value.thread_id);
    if (thread?.stacktrace?.frames) return convertFrames(thread.stacktrace.frames);
  }
  return [];
}

function threadStack(event: SentryEvent) {
  const threads = (event.threads?.values ?? []).filter((t) => t !== null);
  return (threads.find((t) => t.crashed) ?? threads.find((t) => t.current))?.stacktrace ?? undefined;
}

/** Sentry frames are already caller → callee (oldest first, crash site last): order is kept. */
export function convertFrames(frames: readonly (SentryFrame | null)[] | null | undefined): Frame[] {
  return (frames ?? []).filter((f): f is SentryFrame => f !== null).map(convertFrame);
}

function convertFrame(f: SentryFrame): Frame {
  const frame: Frame = {};
  const file = f.filename || f.abs_path;
  if (file) frame.file = file;
  if (f.abs_path) frame.absPath = f.abs_path;
  if (f.function) frame.function = f.function;
  if (f.module) frame.module = f.module;
  if (typeof f.lineno === 'number') frame.line = f.lineno;
  if (typeof f.colno === 'number') frame.column = f.colno;
  if (typeof f.in_app === 'boolean') frame.inApp = f.in_app;
  if (typeof f.context_line === 'string') frame.contextLine = f.context_line;
  if (f.pre_context) frame.preContext = f.pre_context.map((l) => l ?? '');
  if (f.post_context) frame.postContext = f.post_context.map((l) => l ?? '');
  if (f.vars && typeof f.vars === 'object' && !Array.isArray(f.vars)) frame.vars = f.vars as Record<string, unknown>;
  return frame;
}

/** `https://sentry.io/organizations/<org>/issues/...` or `https://<org>.sentry.io/issues/...`:
 * the organization slug the API needs to fetch events later. */
export function projectSlugFromUrl(url: string | undefined): string | undefined {
  return url ? /\/api\/0\/projects\/[\w.-]+\/([\w.-]+)\//.exec(url)?.[1] : undefined;
}

export function organizationFromUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const path = /\/organizations\/([\w-]+)\//.exec(url);
  if (path?.[1]) return path[1];
  const host = /^https?:\/\/([\w-]+)\.sentry\.io\//.exec(url);
  return host?.[1];
}
