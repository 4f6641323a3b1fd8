// Small formatting helpers shared by the pages: times, durations, states. Output is text; the html
// tag escapes it where it lands.
import { html, type Html } from '../html.ts';

/** `2026-12-07 16:57:12 UTC` in a <time> element (server-rendered: no client-side clock code). */
export function time(value: string | null | undefined): Html {
  if (!value) return html`<span class="muted">—</span>`;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return html`${value}`;
  const text = `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  return html`<time datetime="${date.toISOString()}">${text}</time>`;
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 120) return `${s.toFixed(1)} s`;
  const m = s / 60;
  if (m < 120) return `${m.toFixed(1)} min`;
  return `${(m / 60).toFixed(1)} h`;
}

const STATE_CLASS: Record<string, string> = {
  fixed: 'good',
  reproduced: 'good',
  validated: 'good',
  merged: 'good',
  approved: 'good',
  open: 'neutral',
  assembling: 'busy',
  reproducing: 'busy',
  repairing: 'busy',
  queued: 'busy',
  'not-reproduced': 'warn',
  'not-fixed': 'warn',
  rejected: 'warn',
  failed: 'bad',
  error: 'bad',
};

/** A state badge; the class comes from a fixed table, never from the (untrusted) value itself. */
export function badge(state: string | null | undefined, label?: string): Html {
  if (!state) return html`<span class="badge neutral">no run</span>`;
  return html`<span class="badge ${STATE_CLASS[state] ?? 'neutral'}">${label ?? state}</span>`;
}

export function yesNo(ok: boolean): Html {
  return ok ? html`<span class="badge good">pass</span>` : html`<span class="badge bad">fail</span>`;
}
