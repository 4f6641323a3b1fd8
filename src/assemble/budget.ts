// The token budget. The bundle's canonical JSON is counted with the real tokenizer; while it is
// over the limit, evidence is dropped least useful first, in BudgetStep's order:
//   1 window-log-templates  collapsed lines of the service's window, farthest in time first
//   2 window-logs           the other window lines, farthest first
//   3 trace-log-templates   collapsed lines of the failing trace, farthest first
//   4 trace-logs            the other trace lines, farthest first
//                           (steps 1–4 spare the 10 entries nearest the error: see NEAR_LOGS)
//   5 span-attributes       attributes of ancestors (root first) and children (farthest first)
//   6 span-events           events of those spans
//   7 summary-groups        rest-of-trace groups: error-free and small first
//   8 request-headers       the failing request's headers
//   9 outer-frame-locals    locals of chained causes' frames, then of frames other than the
//                           crash frame and the top in-app frame: library frames first, then
//                           the outermost in-app frames
//  10 outer-frame-context   their source context lines, same order
//  11 near-logs             the log entries nearest the error, farthest first
//  12 cause-frames          frames of chained causes (their types and messages stay)
//  13 children              child spans of the error span, farthest in time first
//  14 library-frames        library frames themselves, outermost first
//  15 ancestors             ancestors from the root down, never the direct parent
//  16 request-body          the failing request's body
//  17 inner-frames          remaining in-app frames, outermost first
// Never dropped: the exception (type, message), the crash frame, the top in-app frame, the error
// span. If the bundle is still over the limit after step 17, `overBudget` says so.
// Dropping is estimated from each item's own token count and confirmed by recounting the whole.
import type { z } from 'zod';
import { BudgetStep, type Bundle, type BundleFrame, type BundleSpan, type LogEntry } from '../../schemas/bundle.ts';
import { canonicalJson } from './canonical.ts';
import { topInApp } from './exception.ts';
import type { CountTokens } from './tokens.ts';

type Step = z.infer<typeof BudgetStep>;
/** One droppable item: the value it removes (its JSON is what it costs) and how to remove it. */
interface Drop {
  item: unknown;
  apply: () => void;
}

export function applyBudget(bundle: Bundle, limit: number, count: CountTokens): void {
  const budget = bundle.budget;
  budget.limit = limit;
  // Placeholders with the final values' magnitude, so the count seen here is the final one.
  budget.tokensAfter = limit;
  budget.overBudget = false;
  budget.dropped = [];
  const total = () => count(canonicalJson(bundle));
  budget.tokensBefore = total();
  let current = budget.tokensBefore;
  /** `current` is a full count, not an estimate. */
  let exact = true;
  const measure = (value: unknown) => count(canonicalJson(value));

  for (const step of BudgetStep.options) {
    if (current <= limit) break;
    const drops = PLANS[step](bundle);
    for (let next = 0; current > limit && next < drops.length; next++) {
      const drop = drops[next] as Drop;
      const tokens = measure(drop.item);
      drop.apply();
      record(bundle, step, tokens);
      current -= tokens;
      exact = false;
      // Item counts are an estimate (BPE is not additive across JSON boundaries): confirm with
      // a full count only once the estimate says the bundle fits.
      if (current <= limit) {
        current = total();
        exact = true;
      }
    }
  }
  // The counts are part of what they count: settle them (a digit more or less is a token at
  // most). With nothing dropped, before and after are the same bundle and say the same number.
  const untouched = budget.dropped.length === 0;
  if (exact) {
    // `current` counted the bundle with the placeholder; usually the real number reads the same.
    budget.tokensAfter = current;
    if (untouched) budget.tokensBefore = current;
  }
  for (let i = 0; i < 4; i++) {
    const now = total();
    if (now === budget.tokensAfter && (!untouched || now === budget.tokensBefore)) break;
    budget.tokensAfter = now;
    if (untouched) budget.tokensBefore = now;
  }
  budget.overBudget = budget.tokensAfter > limit;
}

function record(bundle: Bundle, step: Step, tokens: number): void {
  const dropped = bundle.budget.dropped;
  const last = dropped.at(-1);
  if (last && last.step === step) {
    last.items++;
    last.tokens += tokens;
  } else {
    dropped.push({ step, items: 1, tokens });
  }
}

type Plan = (bundle: Bundle) => Drop[];

const far = (a: { offsetMs: number }, b: { offsetMs: number }) => Math.abs(b.offsetMs) - Math.abs(a.offsetMs);

/** The log entries nearest the error in time stay until step 'near-logs': a bundle whose
 * outermost frames keep their locals while the lines logged at the moment of the crash are gone
 * would have dropped the wrong thing. */
const NEAR_LOGS = 10;

function nearEntries(bundle: Bundle): Set<LogEntry> {
  const byDistance = [...bundle.logs.entries].sort(
    (a, b) => Math.abs(a.offsetMs) - Math.abs(b.offsetMs) || Number(b.origin === 'trace') - Number(a.origin === 'trace'),
  );
  return new Set(byDistance.slice(0, NEAR_LOGS));
}

function logPlan(filter: (entry: LogEntry, near: Set<LogEntry>) => boolean): Plan {
  return (bundle) => {
    const logs = bundle.logs;
    const near = nearEntries(bundle);
    return logs.entries
      .filter((e) => filter(e, near))
      .sort(far)
      .map((entry) => ({
        item: entry,
        apply: () => {
          logs.entries.splice(logs.entries.indexOf(entry), 1);
          logs.recordsOmitted += entry.count;
        },
      }));
  };
}

/** Ancestors root first, then children farthest in time from the error span first. */
function outerSpans(bundle: Bundle): BundleSpan[] {
  const trace = bundle.trace;
  const at = trace.errorSpan?.start ?? '';
  const distance = (s: BundleSpan) => Math.abs(Date.parse(s.start) - Date.parse(at));
  return [...trace.ancestors, ...[...trace.children].sort((a, b) => distance(b) - distance(a))];
}

/** Frames that may lose detail: every frame of a chained cause (last cause first), then the
 * raised exception's frames except the crash frame and the top in-app frame; library frames
 * before in-app ones, outermost (highest index) first within each group. */
function outerFrames(bundle: Bundle): BundleFrame[] {
  const frames = bundle.exception.frames;
  const keep = new Set([frames[0], frames[bundle.exception.topInAppFrame]]);
  const outer = frames.filter((f) => !keep.has(f)).reverse();
  const causes = [...bundle.exception.causes].reverse().flatMap((c) => [...c.frames].reverse());
  return [...causes, ...outer.filter((f) => !f.inApp), ...outer.filter((f) => f.inApp)];
}

/** The raised exception's frames that may be removed, in outerFrames() order. */
function removableFrames(bundle: Bundle, inApp: boolean): BundleFrame[] {
  const own = new Set(bundle.exception.frames);
  return outerFrames(bundle).filter((f) => own.has(f) && f.inApp === inApp);
}

/** Removes a frame and keeps the indexes that point into `frames` right. */
function removeFrame(bundle: Bundle, frame: BundleFrame): void {
  const ex = bundle.exception;
  const top = ex.frames[ex.topInAppFrame];
  const inputs = bundle.repro.inputs.map((input) => ({ input, frame: ex.frames[input.frameIndex] }));
  ex.frames.splice(ex.frames.indexOf(frame), 1);
  ex.framesOmitted++;
  ex.topInAppFrame = top ? ex.frames.indexOf(top) : topInApp(ex.frames);
  bundle.repro.inputs = inputs.filter((i) => i.frame !== frame).map(({ input, frame: f }) => ({ ...input, frameIndex: ex.frames.indexOf(f as BundleFrame) }));
}

/** Keyed by step; the order they run in is BudgetStep's order (schemas/bundle.ts). */
const PLANS: Record<Step, Plan> = {
  'window-log-templates': logPlan((e, near) => e.origin === 'window' && e.count > 1 && !near.has(e)),
  'window-logs': logPlan((e, near) => e.origin === 'window' && !near.has(e)),
  'trace-log-templates': logPlan((e, near) => e.origin === 'trace' && e.count > 1 && !near.has(e)),
  'trace-logs': logPlan((e, near) => e.origin === 'trace' && !near.has(e)),
  'span-attributes': (bundle) =>
    outerSpans(bundle)
      .filter((s) => Object.keys(s.attributes).length)
      .map((span) => ({
        item: span.attributes,
        apply: () => {
          span.attributesOmitted += Object.keys(span.attributes).length;
          span.attributes = {};
        },
      })),
  'span-events': (bundle) =>
    outerSpans(bundle)
      .filter((s) => s.events.length)
      .map((span) => ({ item: span.events, apply: () => void (span.events = []) })),
  'summary-groups': (bundle) => {
    const summary = bundle.trace.summary;
    // Groups are listed errors first, then biggest: the tail goes first.
    return [...summary.groups].reverse().map((group) => ({
      item: group,
      apply: () => {
        summary.groups.splice(summary.groups.indexOf(group), 1);
        summary.spansOmitted += group.count;
      },
    }));
  },
  'request-headers': (bundle) => {
    const request = bundle.repro.request;
    return request?.headers ? [{ item: request.headers, apply: () => void delete request.headers }] : [];
  },
  'outer-frame-locals': (bundle) =>
    outerFrames(bundle)
      .filter((f) => f.locals)
      .map((frame) => ({
        item: frame.locals,
        apply: () => {
          delete frame.locals;
          delete frame.localsTruncated;
          // An input entry points at locals that are gone now.
          const index = bundle.exception.frames.indexOf(frame);
          bundle.repro.inputs = bundle.repro.inputs.filter((i) => i.frameIndex !== index);
        },
      })),
  'outer-frame-context': (bundle) =>
    outerFrames(bundle)
      .filter((f) => f.contextLine !== undefined || f.preContext || f.postContext)
      .map((frame) => ({
        item: [frame.contextLine, frame.preContext, frame.postContext],
        apply: () => {
          delete frame.contextLine;
          delete frame.preContext;
          delete frame.postContext;
        },
      })),
  'near-logs': logPlan(() => true),
  'cause-frames': (bundle) =>
    [...bundle.exception.causes]
      .reverse()
      .filter((c) => c.frames.length)
      .map((cause) => ({
        item: cause.frames,
        apply: () => {
          cause.framesOmitted += cause.frames.length;
          cause.frames = [];
        },
      })),
  children: (bundle) => {
    const trace = bundle.trace;
    return outerSpans(bundle)
      .filter((s) => trace.children.includes(s))
      .map((span) => ({
        item: span,
        apply: () => {
          trace.children.splice(trace.children.indexOf(span), 1);
          trace.summary.spansOmitted++;
        },
      }));
  },
  'library-frames': (bundle) =>
    removableFrames(bundle, false).map((frame) => ({ item: frame, apply: () => removeFrame(bundle, frame) })),
  ancestors: (bundle) => {
    const trace = bundle.trace;
    // Root side first; the direct parent stays (it says who called the failing operation).
    return trace.ancestors.slice(0, -1).map((span) => ({
      item: span,
      apply: () => {
        trace.ancestors.splice(trace.ancestors.indexOf(span), 1);
        trace.summary.spansOmitted++;
      },
    }));
  },
  'request-body': (bundle) => {
    const request = bundle.repro.request;
    return request?.body !== undefined
      ? [{ item: request.body, apply: () => { delete request.body; delete request.bodyTruncated; } }]
      : [];
  },
  'inner-frames': (bundle) =>
    removableFrames(bundle, true).map((frame) => ({ item: frame, apply: () => removeFrame(bundle, frame) })),
};
