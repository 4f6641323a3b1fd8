// The incident list: filters, then one row per incident. The table listens on /events (htmx SSE
// extension): a new incident is inserted at the top, a changed one replaces its own row.
import { normalizeMessage } from '../../evidence/fingerprint.ts';
import { html, type Html } from '../html.ts';
import type { FilterOptions, ListedIncident, ListFilter } from '../incident-list.ts';
import { PAGE_SIZE } from '../incident-list.ts';
import { badge, time } from './format.ts';

/** What the live feed knows about a job in flight for an incident. */
export interface Progress {
  stage: string;
  message?: string;
}

export function rowEvent(incidentId: string): string {
  return `row-${incidentId}`;
}

export const NEW_INCIDENT_EVENT = 'new-incident';

export function incidentRow(item: ListedIncident, progress?: Progress): Html {
  const event = rowEvent(item.id);
  const state = item.runStatus ?? (item.status === 'open' ? null : item.status);
  return html`<tr id="${event}" class="incident" sse-swap="${event}" hx-swap="outerHTML">
<td data-label="Error"><a href="/incidents/${item.id}"><strong class="etype">${item.errorType}</strong></a><div class="msg">${normalizeMessage(item.message)}</div></td>
<td data-label="Service">${item.service ?? html`<span class="muted">—</span>`}</td>
<td data-label="Source">${item.source}</td>
<td data-label="First seen">${time(item.firstSeen)}</td>
<td data-label="Last seen">${time(item.lastSeen)}</td>
<td data-label="Count" class="num">${item.alertCount}</td>
<td data-label="Latest run">${badge(state)}${item.runEngine ? html` <span class="muted">${item.runEngine}</span>` : ''}${
    progress ? html`<div class="progress" role="status">${progress.stage}${progress.message ? html`: ${progress.message}` : ''}</div>` : ''
  }</td>
</tr>`;
}

function select(name: string, label: string, values: readonly string[], chosen: string | undefined): Html {
  return html`<div class="field"><label for="f-${name}">${label}</label>
<select id="f-${name}" name="${name}"><option value="">any</option>${values.map(
    (v) => html`<option value="${v}"${v === chosen ? html` selected` : ''}>${v}</option>`,
  )}${chosen && !values.includes(chosen) ? html`<option value="${chosen}" selected>${chosen}</option>` : ''}</select></div>`;
}

function filterQuery(filter: ListFilter): string {
  const params = new URLSearchParams();
  for (const key of ['status', 'source', 'service', 'repository'] as const) {
    const v = filter[key];
    if (v) params.set(key, v);
  }
  return params.toString();
}

export function incidentsView(items: ListedIncident[], filter: ListFilter, options: FilterOptions, progress: ReadonlyMap<string, Progress>): Html {
  const query = filterQuery(filter);
  const filtered = query !== '';
  const last = items.at(-1);
  const older = items.length === PAGE_SIZE && last ? `/?${query ? `${query}&` : ''}before=${last.id}` : undefined;
  return html`<h1>Incidents</h1>
<form class="filters card" method="get" action="/" role="search" aria-label="Filter incidents">
  ${select('status', 'Status', options.statuses, filter.status)}
  ${select('source', 'Source', options.sources, filter.source)}
  ${select('service', 'Service', options.services, filter.service)}
  ${select('repository', 'Repository', options.repositories, filter.repository)}
  <div class="field actions"><button type="submit">Apply</button>${filtered ? html` <a href="/">Clear</a>` : ''}</div>
</form>
<div class="live" hx-ext="sse" sse-connect="/events${query ? `?${query}` : ''}">
<p class="live-note muted" aria-live="polite"><span class="dot" aria-hidden="true"></span> Live: rows update as alerts arrive and runs progress.</p>
<div class="table-wrap">
<table class="incidents">
<caption class="visually-hidden">Incidents, newest first</caption>
<thead><tr><th scope="col">Error</th><th scope="col">Service</th><th scope="col">Source</th><th scope="col">First seen</th><th scope="col">Last seen</th><th scope="col">Count</th><th scope="col">Latest run</th></tr></thead>
<tbody id="incident-rows" sse-swap="${NEW_INCIDENT_EVENT}" hx-swap="afterbegin">
<tr class="empty-row"><td colspan="7">${
    filtered ? 'No incident matches these filters.' : 'No incidents yet. They appear here as soon as an alert arrives (Sentry, Datadog, GitHub, OTLP).'
  }</td></tr>
${items.map((item) => incidentRow(item, progress.get(item.id)))}
</tbody>
</table>
</div>
</div>
${older ? html`<p><a href="${older}">Older incidents</a></p>` : ''}`;
}
