// The evidence section of an incident: exception frames with code context and (already redacted)
// locals, the span path as a waterfall with the error span marked, and the log window. Every value
// here came from telemetry: it only ever reaches the page through the html tag, which escapes it.
import type { Bundle, BundleFrame, BundleSpan, LocalValue } from '../../../schemas/bundle.ts';
import { html, type Html } from '../html.ts';
import { duration } from './format.ts';

function codeContext(frame: BundleFrame): Html {
  if (frame.contextLine === undefined) return html`<p class="muted">No code context was captured for this frame.</p>`;
  const pre = frame.preContext ?? [];
  const first = frame.line !== undefined ? frame.line - pre.length : undefined;
  const lines = [...pre.map((text) => ({ text, crash: false })), { text: frame.contextLine, crash: true }, ...(frame.postContext ?? []).map((text) => ({ text, crash: false }))];
  return html`<pre class="code"><code>${lines.map(
    (l, i) => html`<span class="line${l.crash ? ' crash' : ''}"><span class="ln" aria-hidden="true">${first !== undefined ? first + i : ''}</span>${l.text}</span>`,
  )}</code></pre>`;
}

function localText(value: LocalValue): string {
  return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value, null, 1);
}

function locals(frame: BundleFrame): Html {
  const entries = Object.entries(frame.locals ?? {});
  if (entries.length === 0) return html``;
  return html`<table class="locals"><caption>Locals (redacted${frame.localsTruncated ? '; some values cut, marked in place' : ''})</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Value</th></tr></thead>
<tbody>${entries.map(([name, value]) => html`<tr><th scope="row"><code>${name}</code></th><td><pre class="value">${localText(value)}</pre></td></tr>`)}</tbody></table>`;
}

function frameLabel(frame: BundleFrame): string {
  return `${frame.function ?? '(anonymous)'} · ${frame.file ?? frame.absPath ?? '?'}${frame.line !== undefined ? `:${frame.line}` : ''}`;
}

export function framesView(bundle: Bundle): Html {
  const ex = bundle.exception;
  if (ex.frames.length === 0) {
    return ex.rawStack ? html`<pre class="code">${ex.rawStack}</pre>` : html`<p class="muted">The alert carried no stack frames.</p>`;
  }
  return html`<ol class="frames">${ex.frames.map(
    (frame, i) => html`<li><details${i === ex.topInAppFrame ? html` open` : ''}>
<summary><code>${frameLabel(frame)}</code>${i === ex.topInAppFrame ? html` <span class="badge bad">crash site</span>` : ''}${frame.inApp ? '' : html` <span class="badge neutral">library</span>`}</summary>
${codeContext(frame)}${locals(frame)}
</details></li>`,
  )}</ol>${ex.framesOmitted ? html`<p class="muted">${ex.framesOmitted} frames left out (stack cap or token budget).</p>` : ''}`;
}

/** Spans as rows of an SVG bar chart: attributes only (x, width), no inline style, so the CSP holds. */
export function waterfallView(bundle: Bundle): Html {
  const t = bundle.trace;
  const spans: { span: BundleSpan; depth: number; error: boolean }[] = [
    ...t.ancestors.map((span, i) => ({ span, depth: i, error: false })),
    ...(t.errorSpan ? [{ span: t.errorSpan, depth: t.ancestors.length, error: true }] : []),
    ...t.children.map((span) => ({ span, depth: t.ancestors.length + 1, error: false })),
  ];
  if (spans.length === 0) return html`<p class="muted">No spans of this trace were found${t.traceId ? '' : ' (the alert had no trace id)'}.</p>`;
  const starts = spans.map((s) => Date.parse(s.span.start));
  const t0 = Math.min(...starts);
  const end = Math.max(...spans.map((s, i) => (starts[i] ?? t0) + s.span.durationMs));
  const total = Math.max(end - t0, 1);
  const pct = (v: number) => `${Math.max(0, Math.min(100, v)).toFixed(2)}%`;
  return html`<table class="waterfall"><caption class="visually-hidden">Span path, root first; the error span is marked</caption>
<thead><tr><th scope="col">Span</th><th scope="col">Service</th><th scope="col">Duration</th><th scope="col" class="bar-col">Timeline (${duration(total)})</th></tr></thead>
<tbody>${spans.map(({ span, depth, error }, i) => {
    const offset = ((starts[i] ?? t0) - t0) / total;
    const width = Math.max(span.durationMs / total, 0.005);
    return html`<tr class="${error ? 'error-span' : ''}"><th scope="row"><span class="indent d${Math.min(depth, 8)}">${span.name}</span>${
      error ? html` <span class="badge bad">error span</span>` : span.status === 'error' ? html` <span class="badge warn">error</span>` : ''
    }${span.statusMessage ? html`<div class="msg">${span.statusMessage}</div>` : ''}</th>
<td>${span.service ?? '—'}</td><td class="num">${duration(span.durationMs)}</td>
<td class="bar-col"><svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="${`starts at ${duration((starts[i] ?? t0) - t0)}, lasts ${duration(span.durationMs)}`}"><rect x="${pct(offset * 100).slice(0, -1)}" y="1" width="${pct(width * 100).slice(0, -1)}" height="8" class="${error ? 'err' : span.status === 'error' ? 'warn' : 'ok'}"></rect></svg></td></tr>`;
  })}</tbody></table>
${t.rootMissing ? html`<p class="muted">The root span was not reached: a parent span is missing from the store.</p>` : ''}
${t.summary.totalSpans ? html`<p class="muted">${t.summary.totalSpans} spans in the trace; the rest are counted per service and name in the bundle.</p>` : ''}`;
}

export function logsView(bundle: Bundle): Html {
  const logs = bundle.logs;
  if (logs.entries.length === 0) return html`<p class="muted">No log lines near the error${logs.service ? ` for ${logs.service}` : ''}.</p>`;
  return html`<table class="logs"><caption class="visually-hidden">Log window: the failing trace's lines first, then the service's lines near the error</caption>
<thead><tr><th scope="col">Origin</th><th scope="col">Offset</th><th scope="col">Severity</th><th scope="col">Count</th><th scope="col">Line</th></tr></thead>
<tbody>${logs.entries.map(
    (e) => html`<tr class="${e.origin}"><td>${e.origin === 'trace' ? 'failing trace' : 'window'}</td><td class="num">${e.offsetMs >= 0 ? '+' : ''}${duration(Math.abs(e.offsetMs)).replace(/^/, e.offsetMs < 0 ? '-' : '')}</td><td>${e.severity}</td><td class="num">${e.count}</td>
<td><pre class="value">${e.count > 1 && e.template ? e.template : e.body}</pre>${e.count > 1 && e.template ? html`<details><summary>sample</summary><pre class="value">${e.body}</pre></details>` : ''}</td></tr>`,
  )}</tbody></table>
<p class="muted">${logs.traceRecords} lines from the failing trace, ${logs.windowRecords} from the ${logs.windowSeconds} s window${logs.recordsOmitted ? `; ${logs.recordsOmitted} left out` : ''}.</p>`;
}
