// Outcomes: the figures of src/outcomes/ as a page (the same object as GET /api/outcomes and /metrics).
import type { IncidentOutcome, Outcomes } from '../../outcomes/index.ts';
import type { Durations, Rate } from '../../outcomes/stats.ts';
import { html, type Html } from '../html.ts';
import { badge, duration } from './format.ts';

const NOT_RECORDED = html`<span class="muted" title="Recorded once pull requests are published">not recorded yet</span>`;

function durationRow(label: string, d: Durations | null): Html {
  if (!d) return html`<tr><th scope="row">${label}</th><td colspan="3">${NOT_RECORDED}</td></tr>`;
  const s = (v: number | null) => (v === null ? '—' : duration(v * 1000));
  return html`<tr><th scope="row">${label}</th><td class="num">${s(d.medianSeconds)}</td><td class="num">${s(d.p90Seconds)}</td><td class="num">${d.count}</td></tr>`;
}

function rates(caption: string, rows: Rate[], what: string): Html {
  if (rows.length === 0) return html`<p class="muted">No finished run yet.</p>`;
  return html`<table><caption>${caption}</caption><thead><tr><th scope="col">${what}</th><th scope="col" class="num">Runs</th><th scope="col" class="num">Fixed</th><th scope="col" class="num">Fix rate</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><th scope="row">${r.key}</th><td class="num">${r.runs}</td><td class="num">${r.fixed}</td><td class="num">${r.rate === null ? '—' : `${Math.round(r.rate * 100)}%`}</td></tr>`)}</tbody></table>`;
}

const count = (n: number | null) => (n === null ? NOT_RECORDED : html`${n}`);
const secs = (v: number | null) => (v === null ? '—' : duration(v * 1000));
const usd = (v: number | null) => (v === null ? '—' : `$${v.toFixed(4)}`);
const percent = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);

function recurrenceCard(o: Outcomes): Html {
  const r = o.recurrence;
  return html`<section class="card" aria-labelledby="h-held"><h2 id="h-held">Did the fixes hold</h2>
<dl class="kv"><dt>Merged fixes</dt><dd>${r.merged}</dd><dt>Verified</dt><dd>${r.verified}</dd><dt>Regressed</dt><dd>${r.regressed}</dd><dt>Still watched</dt><dd>${r.watching}</dd>
<dt>Post-merge recurrence rate</dt><dd>${percent(r.rate)}</dd></dl>
<p class="muted">Regressed: the failure came back from a release that contains the merged fix. Verified: a release with the fix served traffic for the verification window without it.</p></section>`;
}

function incidentRow(i: IncidentOutcome): Html {
  return html`<tr><th scope="row"><a href="/incidents/${i.incidentId}">${i.incidentId}</a></th><td>${badge(i.status)}</td>
<td class="num">${secs(i.timeToReproductionSeconds)}</td><td class="num">${secs(i.timeToValidatedProposalSeconds)}</td><td class="num">${secs(i.timeToPullRequestSeconds)}</td><td class="num">${secs(i.timeToMergeSeconds)}</td>
<td>${i.recurrence ?? '—'}</td><td class="num">${i.llmCostUsd ? usd(i.llmCostUsd) : '—'}</td></tr>`;
}

function perIncident(rows: IncidentOutcome[]): Html {
  if (rows.length === 0) return html``;
  return html`<section class="card" aria-labelledby="h-per-incident"><h2 id="h-per-incident">Per incident</h2>
<table><caption class="visually-hidden">The newest incidents with a run; times from each incident's first alert</caption>
<thead><tr><th scope="col">Incident</th><th scope="col">Status</th><th scope="col" class="num">To reproduction</th><th scope="col" class="num">To validated proposal</th><th scope="col" class="num">To pull request</th><th scope="col" class="num">To merge</th><th scope="col">After merge</th><th scope="col" class="num">LLM cost</th></tr></thead>
<tbody>${rows.map(incidentRow)}</tbody></table></section>`;
}

export function outcomesView(o: Outcomes): Html {
  return html`<h1>Outcomes</h1>
<p class="muted">Computed from the database at ${o.generatedAt}. The same figures: <a href="/api/outcomes">/api/outcomes</a> (JSON) and <a href="/metrics">/metrics</a> (Prometheus).</p>
<div class="grid">
<section class="card" aria-labelledby="h-time"><h2 id="h-time">Time to fix</h2>
<table><caption class="visually-hidden">From an incident's first alert</caption><thead><tr><th scope="col">From first alert to</th><th scope="col" class="num">Median</th><th scope="col" class="num">p90</th><th scope="col" class="num">Incidents</th></tr></thead>
<tbody>${durationRow('reproduction', o.timeToReproduction)}${durationRow('validated proposal', o.timeToValidatedProposal)}${durationRow('pull request', o.timeToPullRequest)}${durationRow('merged pull request', o.timeToMergedPr)}</tbody></table></section>
<section class="card" aria-labelledby="h-proposals"><h2 id="h-proposals">Proposals</h2>
<dl class="kv"><dt>Incidents</dt><dd>${o.incidents}</dd><dt>Runs finished</dt><dd>${o.runs.finished} of ${o.runs.total}</dd><dt>Validated proposals</dt><dd>${o.proposals.validated}</dd>
<dt>Approved</dt><dd>${count(o.proposals.approved)}</dd><dt>Rejected</dt><dd>${count(o.proposals.rejected)}</dd><dt>Merged</dt><dd>${count(o.proposals.merged)}</dd></dl></section>
<section class="card" aria-labelledby="h-rates"><h2 id="h-rates">Fix rate</h2>
${rates('By engine (runs that reached an engine)', o.fixRateByEngine, 'Engine')}
${rates('By language (of the reproduction test)', o.fixRateByLanguage, 'Language')}</section>
<section class="card" aria-labelledby="h-llm"><h2 id="h-llm">LLM cost</h2>
<dl class="kv"><dt>LLM runs</dt><dd>${o.llm.runs}</dd><dt>Total cost</dt><dd>$${o.llm.costUsd.toFixed(4)}</dd><dt>Fixes</dt><dd>${o.llm.fixes}</dd>
<dt>Cost per fix</dt><dd>${usd(o.llm.costPerFixUsd)}</dd><dt>Merged fixes</dt><dd>${o.llm.mergedFixes}</dd><dt>Cost per merged fix</dt><dd>${usd(o.llm.costPerMergedFixUsd)}</dd></dl>
${o.llm.runsWithoutTranscript ? html`<p class="muted">${o.llm.runsWithoutTranscript} LLM runs left no transcript; their cost is not counted.</p>` : ''}</section>
${recurrenceCard(o)}
</div>
${perIncident(o.perIncident)}`;
}
