// Health: the service's own readiness, queue depths per stage, the latest failed jobs, and a link to
// Bull Board (read-only) for everything else about the queues.
import { html, type Html } from '../html.ts';
import { time } from './format.ts';

export interface HealthData {
  database: 'ok' | 'down';
  redis: 'ok' | 'down' | 'not-configured';
  queues: Record<string, Record<string, number>> | null;
  failed: { queue: string; id: string; reason: string; at: string | null; attempts: number }[];
  liveClients: number;
}

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

export function healthView(d: HealthData): Html {
  const ready = d.database === 'ok' && d.redis === 'ok';
  const state = (s: string) => html`<span class="badge ${s === 'ok' ? 'good' : s === 'down' ? 'bad' : 'neutral'}">${s}</span>`;
  return html`<h1>Health</h1>
<section class="card" aria-labelledby="h-ready"><h2 id="h-ready">Readiness</h2>
<p>${ready ? html`<span class="badge good">ready</span>` : html`<span class="badge bad">not ready</span>`} (the same check as <code>/readyz</code>)</p>
<dl class="kv"><dt>Database</dt><dd>${state(d.database)}</dd><dt>Redis</dt><dd>${state(d.redis)}</dd><dt>Live dashboard connections</dt><dd>${d.liveClients}</dd></dl></section>
<section class="card" aria-labelledby="h-queues"><h2 id="h-queues">Queues</h2>
${d.queues
    ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Stage</th>${STATES.map((s) => html`<th scope="col" class="num">${s}</th>`)}</tr></thead>
<tbody>${Object.entries(d.queues).map(([q, counts]) => html`<tr><th scope="row">${q}</th>${STATES.map((s) => html`<td class="num">${counts[s] ?? 0}</td>`)}</tr>`)}</tbody></table></div>
<p><a href="/admin/queues">Open Bull Board (read-only)</a></p>`
    : html`<p class="muted" role="status">Queue depths are unavailable: ${d.redis === 'not-configured' ? 'this process has no queue connection' : 'Redis does not answer'}.</p>`}
</section>
<section class="card" aria-labelledby="h-failed"><h2 id="h-failed">Latest failed jobs</h2>
${d.failed.length
    ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Stage</th><th scope="col">Job</th><th scope="col">Failed</th><th scope="col">Attempts</th><th scope="col">Reason</th></tr></thead>
<tbody>${d.failed.map((f) => html`<tr><td>${f.queue}</td><td><code>${f.id}</code></td><td>${time(f.at)}</td><td class="num">${f.attempts}</td><td><pre class="value">${f.reason}</pre></td></tr>`)}</tbody></table></div>`
    : html`<p class="muted">No failed job.</p>`}
</section>`;
}
