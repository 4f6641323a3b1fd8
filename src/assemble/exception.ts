// The exception section: the raised exception with its frames innermost first (frames[0] is the
// crash site), each frame's locals pruned + redacted, and the chained causes. An alert without
// structured frames (an OTLP span event, an issue body) keeps its stack as text.
import type { z } from 'zod';
import type { Alert, ExceptionValue, Frame } from '../../schemas/alert.ts';
import type { SpanRecord } from '../../schemas/telemetry.ts';
import { CAPS, type BundleException, type BundleFrame } from '../../schemas/bundle.ts';
import { frameLocals } from './locals.ts';
import { LIMITS } from './options.ts';
import type { Redactor } from './redactor.ts';

type Exception = z.infer<typeof BundleException>;

export function buildException(alert: Alert, errorSpan: SpanRecord | null, redactor: Redactor): Exception {
  const values: ExceptionValue[] = alert.exceptions.length
    ? alert.exceptions
    : [{ type: alert.errorType, message: alert.message, frames: alert.frames }];
  const main = values.at(-1) as ExceptionValue;
  const frames = alert.frames.length ? alert.frames : main.frames;
  const event = errorSpan?.events.find((e) => e.name === 'exception');
  const eventText = (key: string) => (typeof event?.attributes[key] === 'string' ? (event.attributes[key] as string) : undefined);

  const inner = [...frames].reverse();
  const shown = inner.slice(0, LIMITS.frames).map((f) => toBundleFrame(f, redactor));
  const type = main.type || alert.errorType || eventText('exception.type') || 'Error';
  const message = main.message || alert.message || eventText('exception.message') || '';
  const rawStack = main.rawStack ?? (frames.length === 0 ? eventText('exception.stacktrace') : undefined);
  return {
    type: redactor.textCapped(type, CAPS.name),
    message: redactor.textCapped(message, CAPS.message),
    ...(main.module ? { module: redactor.textCapped(main.module, CAPS.name) } : {}),
    frames: shown,
    topInAppFrame: topInApp(shown),
    framesOmitted: inner.length - shown.length,
    ...(rawStack ? { rawStack: redactor.textCapped(rawStack, CAPS.rawStack) } : {}),
    causes: values
      .slice(0, -1)
      .reverse()
      .slice(0, LIMITS.causes)
      .map((cause) => {
        const causeFrames = [...cause.frames].reverse();
        return {
          type: redactor.textCapped(cause.type || 'Error', CAPS.name),
          message: redactor.textCapped(cause.message, CAPS.message),
          ...(cause.module ? { module: redactor.textCapped(cause.module, CAPS.name) } : {}),
          frames: causeFrames.slice(0, LIMITS.causeFrames).map((f) => toBundleFrame(f, redactor)),
          framesOmitted: Math.max(0, causeFrames.length - LIMITS.causeFrames),
        };
      }),
  };
}

/** The innermost frame not marked as library code (unknown counts as in-app, as in the
 * fingerprint); the crash frame when every frame is library code; -1 without frames. */
export function topInApp(frames: readonly Pick<BundleFrame, 'inApp'>[]): number {
  if (frames.length === 0) return -1;
  const index = frames.findIndex((f) => f.inApp);
  return index === -1 ? 0 : index;
}

function toBundleFrame(frame: Frame, redactor: Redactor): BundleFrame {
  const text = (value: string | undefined, cap: number) => (value === undefined ? undefined : redactor.textCapped(value, cap));
  const out: BundleFrame = { inApp: frame.inApp !== false };
  const fields = {
    file: text(frame.file, CAPS.path),
    absPath: frame.absPath && frame.absPath !== frame.file ? text(frame.absPath, CAPS.path) : undefined,
    function: text(frame.function, CAPS.name),
    module: text(frame.module, CAPS.name),
    line: frame.line,
    column: frame.column,
    contextLine: text(frame.contextLine, CAPS.contextLine),
    // The lines nearest the crash line matter most: the end of pre, the start of post.
    preContext: frame.preContext?.slice(-CAPS.contextLines).map((l) => redactor.textCapped(l, CAPS.contextLine)),
    postContext: frame.postContext?.slice(0, CAPS.contextLines).map((l) => redactor.textCapped(l, CAPS.contextLine)),
  };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  if (frame.vars && Object.keys(frame.vars).length > 0) {
    const { locals, truncated } = frameLocals(frame.vars, redactor);
    out.locals = locals;
    if (truncated) out.localsTruncated = true;
  }
  return out;
}
