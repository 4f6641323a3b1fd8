// HTML templating for the dashboard: a tagged template that escapes every interpolated value with
// escape-html unless it is already Html (a fragment built by this same tag). Telemetry is
// attacker-controlled text, so "escaped unless proven safe" is the only default that holds: there
// is no way to splice a raw string into a page except `trustedHtml`, used only for constant markup.
import escapeHtml from 'escape-html';

export class Html {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(value));
}

/** `html\`<td>${message}</td>\``: strings are escaped (text and attribute values alike: quotes
 * included), arrays are joined, null/undefined/false render nothing, Html is kept as is. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new Html(out);
}

/** Constant markup written in this codebase (never data). */
export function trustedHtml(markup: string): Html {
  return new Html(markup);
}

/** A URL for an href: only http(s) and same-site paths, anything else (javascript:, data:) is dropped. */
export function safeHref(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
