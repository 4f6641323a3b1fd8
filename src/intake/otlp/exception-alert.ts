// One exception seen in OTLP data (a span's `exception` event or an exception log record) → an
// Alert. Both forms carry the same semconv attributes, so the mapping lives here once.
import { createHash } from 'node:crypto';
import { Alert, COMMIT_SHA, type Frame } from '../../../schemas/alert.ts';
import { framesFromStackText } from '../../evidence/stack-text.ts';
import { intAttr, stringAttr } from '../../traces/otlp/values.ts';

/** Turns language-native stack text into frames, caller → callee (the last frame is where it was
 * thrown), as the Alert schema orders them. `language` is the resource's telemetry.sdk.language. */
export type StackParser = (stack: string, context: { language?: string }) => Frame[];

export interface ExceptionOccurrence {
  kind: 'span.exception' | 'log.exception';
  traceId?: string;
  spanId?: string;
  /** Where exception.* live: the span event's or the log record's attributes. */
  exception: Record<string, unknown>;
  /** Where to look for code.* (event/log attributes first, then the span's). */
  codeSources: Record<string, unknown>[];
  resource: Record<string, unknown>;
  service?: string;
  spanName?: string;
  statusMessage?: string;
  route?: string;
  /** The span's or log's own attributes, for the request method/URL. */
  attributes: Record<string, unknown>;
  timeUnixNano: string;
}

export interface AlertOptions {
  /** Default: framesFromStackText (src/evidence/stack-text.ts: V8 and CPython). */
  parseStack?: StackParser;
  now?: Date;
}

const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

export function exceptionAlert(o: ExceptionOccurrence, options: AlertOptions = {}): Alert | undefined {
  const type = stringAttr(o.exception, 'exception.type');
  const message = stringAttr(o.exception, 'exception.message') ?? o.statusMessage ?? '';
  if (type === undefined && message === '') return undefined; // semconv: one of them is required
  const errorType = clip(type ?? 'Error', 512);
  const stack = stringAttr(o.exception, 'exception.stacktrace');
  const language = stringAttr(o.resource, 'telemetry.sdk.language');
  let frames: Frame[] = [];
  if (stack) {
    try {
      frames = (options.parseStack ?? framesFromStackText)(stack, language === undefined ? {} : { language }).slice(-500);
    } catch {
      frames = []; // a parser bug must not lose the alert; rawStack still carries the text
    }
  }
  if (frames.length === 0) frames = codeFrame(o.codeSources);

  const commit = stringAttr(o.resource, 'vcs.ref.head.revision')?.toLowerCase();
  const environment = stringAttr(o.resource, 'deployment.environment.name', 'deployment.environment');
  const release = stringAttr(o.resource, 'service.version');
  const repoHint = stringAttr(o.resource, 'vcs.repository.url.full');
  const method = stringAttr(o.attributes, 'http.request.method', 'http.method');
  const url = stringAttr(o.attributes, 'url.full', 'http.url');
  const tags: Record<string, string> = {};
  const tag = (key: string, value: string | undefined) => {
    if (value !== undefined) tags[key] = clip(value, 256);
  };
  tag('service.name', o.service);
  tag('span.name', o.spanName);
  tag('http.route', o.route);
  tag('telemetry.sdk.language', language);
  const sourceRefs: Record<string, string> = { timeUnixNano: o.timeUnixNano };
  if (o.traceId) sourceRefs.traceId = o.traceId;
  if (o.spanId) sourceRefs.spanId = o.spanId;

  const alert: Alert = {
    source: 'otlp',
    deliveryId: deliveryId(o, errorType, message),
    receivedAt: (options.now ?? new Date()).toISOString(),
    kind: o.kind,
    title: clip(message ? `${errorType}: ${message}` : errorType, 1024),
    errorType,
    message: clip(message, 8192),
    exceptions: [
      { type: errorType, message: clip(message, 8192), frames, ...(stack ? { rawStack: clip(stack, 65536) } : {}) },
    ],
    frames,
    tags,
    sourceRefs,
  };
  if (o.traceId) alert.traceId = o.traceId;
  if (o.spanId) alert.spanId = o.spanId;
  if (release) alert.release = clip(release, 256);
  if (commit && COMMIT_SHA.test(commit)) alert.commitSha = commit;
  if (environment) alert.environment = clip(environment, 256);
  if (o.service) alert.service = clip(o.service, 256);
  if (repoHint) alert.repoHint = clip(repoHint, 512);
  if (method || url) alert.request = { ...(method ? { method: clip(method, 16) } : {}), ...(url ? { url: clip(url, 4096) } : {}) };
  // The parser is someone else's code and attribute values are the sender's: validate the result.
  const parsed = Alert.safeParse(alert);
  return parsed.success ? parsed.data : undefined;
}

/** `otlp:<traceId>:<spanId>`: a re-export of the same span (exporter retry) or the same exception
 * sent both as a span event and as a log record (OTEL_SEMCONV_EXCEPTION_SIGNAL_OPT_IN=logs/dup)
 * is one delivery. Without ids, a hash of what identifies the occurrence. */
function deliveryId(o: ExceptionOccurrence, type: string, message: string): string {
  if (o.traceId && o.spanId) return `otlp:${o.traceId}:${o.spanId}`;
  const hash = createHash('sha256')
    .update([o.traceId ?? '', o.service ?? '', o.timeUnixNano, type, message].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
  return `otlp:log:${hash}`;
}

/** One frame from code.* attributes (new names since semconv 1.30, old ones before), used when
 * there is no stack text to parse. */
function codeFrame(sources: Record<string, unknown>[]): Frame[] {
  for (const attrs of sources) {
    const file = stringAttr(attrs, 'code.file.path', 'code.filepath');
    const line = intAttr(attrs, 'code.line.number', 'code.lineno');
    const column = intAttr(attrs, 'code.column.number', 'code.column');
    const fn = stringAttr(attrs, 'code.function.name', 'code.function');
    const namespace = stringAttr(attrs, 'code.namespace');
    if (file === undefined && fn === undefined) continue;
    // Before 1.31 the function name was short and the namespace separate; fold them as 1.31 does.
    const qualified = fn !== undefined && namespace !== undefined && !fn.startsWith(`${namespace}.`) ? `${namespace}.${fn}` : fn;
    const frame: Frame = {};
    if (file !== undefined) frame.file = clip(file, 1024);
    if (qualified !== undefined) frame.function = clip(qualified, 512);
    if (namespace !== undefined) frame.module = clip(namespace, 512);
    if (line !== undefined) frame.line = line;
    if (column !== undefined) frame.column = column;
    return [frame];
  }
  return [];
}
