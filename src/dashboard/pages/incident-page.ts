// The incident page: summary, who did what and when, the actions (approve / reject / re-run, each
// behind a confirmation), the evidence, then the selected run (the latest by default).
import type { Bundle } from '../../../schemas/bundle.ts';
import type { FixMergeRow } from '../../store/fix-merge-store.ts';
import type { IncidentRow } from '../../store/incident-store.ts';
import type { Publication } from '../../store/publication-store.ts';
import type { RunRow } from '../../store/run-store.ts';
import type { TranscriptSummary } from '../../store/run-files.ts';
import { html, safeHref, type Html } from '../html.ts';
import type { RetryRequest } from '../retry-requests.ts';
import { reviewsOf } from '../review-fields.ts';
import { framesView, logsView, waterfallView } from './evidence-view.ts';
import { bisectView, recurrenceView } from './history-view.ts';
import { badge, time } from './format.ts';
import { localizationView, patchView, pullRequestView, reproductionView, transcriptView } from './run-view.ts';

export interface IncidentPageData {
  incident: IncidentRow;
  bundle: Bundle | null;
  runs: RunRow[];
  selected: RunRow | undefined;
  transcript: TranscriptSummary | null;
  /** What publishing did with each run (absent: nothing yet). */
  publications: ReadonlyMap<string, Publication>;
  /** TRACEFIX_TRACE_UI_URL, with `{traceId}` to fill. */
  traceUiUrl: string | undefined;
  /** Re-runs people asked for, oldest first. */
  retries: readonly RetryRequest[];
  /** The recurrence watch of the incident's merged fix (null: none merged). */
  fixMerge: FixMergeRow | null;
  /** TRACEFIX_VERIFY_DAYS. */
  verifyDays: number;
  /** The signed-in GitHub login (GitHub sign-in): recorded as who decided, instead of a typed name. */
  viewer?: string | undefined;
}

/** A decision no longer applies once the PR exists (or existed): decideRun() refuses it. */
const DECIDED = new Set(['published', 'merged', 'closed-unmerged']);

function traceLink(traceId: string | null, template: string | undefined): Html {
  if (!traceId) return html`<span class="muted">none</span>`;
  // Only a well-formed id is put into the URL; anything else is shown as text only.
  const href = template && /^[0-9a-f]{32}$/i.test(traceId) ? safeHref(template.replaceAll('{traceId}', traceId)) : undefined;
  return href ? html`<a href="${href}" rel="noopener noreferrer"><code>${traceId}</code></a>` : html`<code>${traceId}</code>`;
}

function summary(d: IncidentPageData): Html {
  const i = d.incident;
  const repo = d.bundle?.repo;
  return html`<section class="card summary" aria-labelledby="h-summary">
<h2 id="h-summary" class="visually-hidden">Summary</h2>
<p class="error-message"><strong class="etype">${i.errorType}</strong>: <span class="msg">${i.message}</span></p>
<dl class="kv">
<dt>Status</dt><dd>${badge(i.status)}</dd>
<dt>Service</dt><dd>${i.service ?? '—'}${i.environment ? html` <span class="muted">(${i.environment})</span>` : ''}</dd>
<dt>Source</dt><dd>${i.source}</dd>
<dt>Trace id</dt><dd>${traceLink(i.traceId, d.traceUiUrl)}</dd>
<dt>Release</dt><dd>${i.release ?? repo?.release ?? '—'}</dd>
<dt>Commit</dt><dd>${i.commitSha ?? repo?.commitSha ? html`<code>${i.commitSha ?? repo?.commitSha}</code>` : '—'}${repo ? html` <span class="muted">(${repo.commitSource})</span>` : ''}</dd>
<dt>Repository</dt><dd>${repo?.name ?? repo?.url ?? i.repoHint ?? '—'}</dd>
<dt>Alerts</dt><dd>${i.alertCount}</dd>
<dt>First seen</dt><dd>${time(i.firstSeen)}</dd>
<dt>Last seen</dt><dd>${time(i.lastSeen)}</dd>
<dt>Top frame</dt><dd>${i.topFrame ? html`<code>${i.topFrame}</code>` : '—'}</dd>
</dl></section>`;
}

/** Who did what and when: the alert, each run's start and end, and review decisions. */
function timeline(d: IncidentPageData): Html {
  const events: { at: string; who: string; what: Html }[] = [{ at: d.incident.firstSeen, who: d.incident.source, what: html`first alert` }];
  for (const r of d.retries) events.push({ at: r.at, who: r.requestedBy ?? 'a reviewer', what: html`re-run requested (engine ${r.engine})` });
  for (const run of [...d.runs].reverse()) {
    events.push({ at: run.createdAt, who: 'tracefix', what: html`run <a href="?run=${run.id}"><code>${run.id}</code></a> started` });
    if (run.finishedAt) events.push({ at: run.finishedAt, who: `tracefix${run.engine ? ` (${run.engine})` : ''}`, what: html`run ${run.id} ended ${badge(run.status)}${run.reason ? html` — ${run.reason}` : ''}` });
    for (const r of reviewsOf(d.publications.get(run.id))) {
      events.push({ at: r.at ?? run.updatedAt, who: r.by ?? 'unknown', what: html`${r.decision} run ${run.id}${r.reason ? html`: ${r.reason}` : ''}` });
    }
  }
  events.sort((a, b) => a.at.localeCompare(b.at));
  return html`<ol class="timeline">${events.map((e) => html`<li>${time(e.at)} <strong>${e.who}</strong> ${e.what}</li>`)}</ol>`;
}

/** Who is deciding: typed for a token session; the GitHub login, fixed, for a GitHub session. */
function byField(id: string, viewer: string | undefined): Html {
  return viewer
    ? html`<input id="${id}" name="by" value="${viewer}" readonly maxlength="200">`
    : html`<input id="${id}" name="by" required maxlength="200" autocomplete="username">`;
}

function actions(d: IncidentPageData): Html {
  const run = d.selected;
  const publication = run ? d.publications.get(run.id) : undefined;
  const decided = publication && DECIDED.has(publication.state);
  const reviewable = run?.record?.status === 'fixed' && !decided;
  return html`<section class="card actions-panel" aria-labelledby="h-actions"><h2 id="h-actions">Actions</h2>
${reviewable && run ? html`<form class="action" hx-ext="json-form" data-action="approve" hx-post="/api/runs/${run.id}/approve" hx-swap="none" hx-confirm="Approve run ${run.id}? This publishes its pull request.">
  <label for="approve-by">Your name (recorded as the approver)</label>
  ${byField('approve-by', d.viewer)}
  <button type="submit" class="primary">Approve and publish</button></form>
<form class="action" hx-ext="json-form" data-action="reject" hx-post="/api/runs/${run.id}/reject" hx-swap="none" hx-confirm="Reject run ${run.id}? No pull request will be opened.">
  <label for="reject-by">Your name (recorded as the reviewer)</label>
  ${byField('reject-by', d.viewer)}
  <label for="reject-reason">Reason for rejecting</label>
  <textarea id="reject-reason" name="reason" required maxlength="2000" rows="2"></textarea>
  <button type="submit">Reject</button></form>` : decided ? html`<p class="muted">This run's pull request is ${publication.state}: approve and reject no longer apply.</p>` : html`<p class="muted">Approve and reject apply to a run with a validated proposal.</p>`}
<form class="action" hx-ext="json-form" data-action="retry" hx-post="/api/incidents/${d.incident.id}/retry" hx-swap="none" hx-confirm="Start a new run of this incident?">
  <label for="retry-engine">Engine</label>
  <select id="retry-engine" name="engine"><option value="auto">auto (LLM when configured, else templates)</option><option value="templates">templates</option><option value="llm">llm</option></select>
  <button type="submit">Re-run</button></form>
<p id="action-result" class="action-result" role="status" aria-live="polite"></p>
</section>`;
}

function runPicker(d: IncidentPageData): Html {
  if (d.runs.length <= 1) return html``;
  return html`<nav aria-label="Runs" class="runs"><ul>${d.runs.map(
    (r) => html`<li><a href="?run=${r.id}"${r.id === d.selected?.id ? html` aria-current="true"` : ''}><code>${r.id}</code></a> ${badge(r.status)}</li>`,
  )}</ul></nav>`;
}

function section(id: string, title: string, body: Html): Html {
  return html`<section class="card" aria-labelledby="h-${id}"><h3 id="h-${id}">${title}</h3>${body}</section>`;
}

export function incidentView(d: IncidentPageData): Html {
  const run = d.selected;
  const record = run?.record ?? null;
  const evidence = d.bundle
    ? html`${section('frames', 'Exception frames', framesView(d.bundle))}${section('spans', 'Span path', waterfallView(d.bundle))}${section('logs', 'Log window', logsView(d.bundle))}`
    : html`<section class="card"><p class="muted" role="status">The evidence bundle is being assembled; it appears here when ready.</p></section>`;
  return html`<p class="crumbs"><a href="/">Incidents</a> / <code>${d.incident.id}</code></p>
<h1>${d.incident.title}</h1>
<div class="incident-grid">
<div class="col-main">
${summary(d)}
${section('recurrence', 'After the merge', recurrenceView(d.incident.status, d.fixMerge, d.verifyDays))}
<h2>Evidence</h2>
${evidence}
<h2>Run ${run ? html`<code>${run.id}</code> ${badge(run.status)}` : ''}</h2>
${runPicker(d)}
${run
    ? html`${run.reason && !record ? html`<p>${run.reason}</p>` : ''}
${section('repro', 'Reproduction test', reproductionView(record?.reproduction ?? run.reproduction))}
${section('localization', 'Localization', localizationView(record))}
${section('patch', 'Patch and validation', patchView(record))}
${transcriptView(record, d.transcript)}
${section('pr', 'Pull request', pullRequestView(run, d.publications.get(run.id)))}
${section('bisect', 'Introduced by', bisectView(record?.bisect))}`
    : html`<section class="card"><p class="muted">No run yet: a run starts once the evidence is assembled.</p></section>`}
</div>
<aside class="col-side">
${actions(d)}
<section class="card" aria-labelledby="h-timeline"><h2 id="h-timeline">Timeline</h2>${timeline(d)}</section>
</aside>
</div>`;
}
