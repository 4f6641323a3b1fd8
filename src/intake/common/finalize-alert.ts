// The last step of every parser: fit a drafted Alert into the schema's limits (payloads are
// third-party and unbounded), then validate it. Truncation keeps what matters for repair: the
// newest frames (the crash site is last), the newest exceptions, the context nearest the line.
import { Alert, type ExceptionValue, type Frame } from '../../../schemas/alert.ts';
import { badPayload, formatPath } from './payload.ts';

const MAX_FRAMES = 500;
const MAX_EXCEPTIONS = 20;
const MAX_CONTEXT_LINES = 20;

export function clip(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

function clipOptional(value: string | undefined, max: number): string | undefined {
  return value === undefined ? undefined : clip(value, max);
}

export function clampFrame(frame: Frame): Frame {
  const out: Frame = {};
  if (frame.file !== undefined) out.file = clip(frame.file, 1024);
  if (frame.absPath !== undefined) out.absPath = clip(frame.absPath, 2048);
  if (frame.function !== undefined) out.function = clip(frame.function, 512);
  if (frame.module !== undefined) out.module = clip(frame.module, 512);
  if (frame.line !== undefined && Number.isInteger(frame.line) && frame.line >= 0) out.line = frame.line;
  if (frame.column !== undefined && Number.isInteger(frame.column) && frame.column >= 0) out.column = frame.column;
  if (frame.inApp !== undefined) out.inApp = frame.inApp;
  if (frame.contextLine !== undefined) out.contextLine = clip(frame.contextLine, 2048);
  if (frame.preContext) out.preContext = frame.preContext.slice(-MAX_CONTEXT_LINES).map((l) => clip(l, 2048));
  if (frame.postContext) out.postContext = frame.postContext.slice(0, MAX_CONTEXT_LINES).map((l) => clip(l, 2048));
  if (frame.vars !== undefined) out.vars = frame.vars;
  return out;
}

export function clampFrames(frames: readonly Frame[]): Frame[] {
  return frames.slice(-MAX_FRAMES).map(clampFrame);
}

export function clampException(exception: ExceptionValue): ExceptionValue {
  return {
    type: clip(exception.type || 'Error', 512),
    message: clip(exception.message, 8192),
    ...(exception.module !== undefined ? { module: clip(exception.module, 512) } : {}),
    frames: clampFrames(exception.frames),
    ...(exception.rawStack !== undefined ? { rawStack: clip(exception.rawStack, 65536) } : {}),
  };
}

/** Clamps every bounded field, drops undefined keys, and validates. A failure here means a
 * parser produced something the schema forbids: reported as a 400 naming the alert paths. */
export function finalizeAlert(draft: Alert): Alert {
  const clamped: Alert = {
    ...draft,
    deliveryId: clip(draft.deliveryId, 256),
    kind: clip(draft.kind, 128),
    title: clip(draft.title || draft.message || draft.errorType, 1024),
    errorType: clip(draft.errorType || 'Error', 512),
    message: clip(draft.message, 8192),
    exceptions: draft.exceptions.slice(-MAX_EXCEPTIONS).map(clampException),
    frames: clampFrames(draft.frames),
    release: clipOptional(draft.release, 256),
    environment: clipOptional(draft.environment, 256),
    service: clipOptional(draft.service, 256),
    repoHint: clipOptional(draft.repoHint, 512),
    link: clipOptional(draft.link, 4096),
  };
  if (draft.request) {
    const { method, url, query, headers, data } = draft.request;
    clamped.request = {
      ...(method ? { method: clip(method, 16) } : {}),
      ...(url ? { url: clip(url, 4096) } : {}),
      ...(query ? { query: clip(query, 8192) } : {}),
      ...(headers && Object.keys(headers).length > 0 ? { headers } : {}),
      ...(data !== undefined && data !== null ? { data } : {}),
    };
    if (Object.keys(clamped.request).length === 0) delete clamped.request;
  }
  for (const key of Object.keys(clamped) as (keyof Alert)[]) {
    if (clamped[key] === undefined) delete clamped[key];
  }
  const result = Alert.safeParse(clamped);
  if (result.success) return result.data;
  throw badPayload(
    'The payload could not be normalized into an alert',
    result.error.issues.map((issue) => ({ path: `alert.${formatPath(issue.path)}`, message: issue.message })),
  );
}
