// Text helpers shared by the assembler: cutting text to a schema cap with a visible marker, and
// turning OTLP attribute values into bundle scalars.

/** Cuts `text` to at most `max` chars; a cut string ends with `…[+N chars]` so the model knows
 * the value is partial. `total` is the length of the original when `text` was already cut before
 * (precut), so the marker still says how much is missing. Never splits a surrogate pair. */
export function capText(text: string, max: number, total = text.length): string {
  if (text.length <= max && total <= text.length) return text;
  // The marker's digits depend on how much is cut: start from the longest marker and grow.
  let keep = Math.max(0, Math.min(text.length, max - marker(total).length));
  while (keep < text.length && keep + 1 + marker(total - keep - 1).length <= max) keep++;
  if (keep > 0 && isHighSurrogate(text.charCodeAt(keep - 1))) keep--;
  const out = text.slice(0, keep) + marker(Math.max(1, total - keep));
  return out.length <= max ? out : out.slice(0, max);
}

/** Text longer than this is cut before redaction so a megabyte-long value cannot make the regex
 * pass slow. The last PRECUT_GUARD chars before the cut are dropped too: a secret split by the cut
 * might no longer match its pattern, and it would sit exactly there. */
export const PRECUT = 65_536;
const PRECUT_GUARD = 512;

export function precut(text: string): string {
  return text.length <= PRECUT ? text : text.slice(0, PRECUT - PRECUT_GUARD);
}

function marker(cut: number): string {
  return `…[+${cut} chars]`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export type Scalar = string | number | boolean | null;

/** An attribute value as a bundle scalar: strings/booleans/finite numbers as they are, big or
 * non-finite numbers and arrays/objects as JSON text (attributes are flat in the bundle), a
 * one-element array as its element. */
export function toScalar(value: unknown): Scalar {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  // A one-element array is its element: OTel captures each HTTP header as a string array, and
  // `["fr-FR"]` should read (and pseudonymize) like the header value itself.
  if (Array.isArray(value) && value.length === 1 && (value[0] === null || typeof value[0] !== 'object')) return toScalar(value[0]);
  try {
    return JSON.stringify(value) ?? null;
  } catch {
    return String(value);
  }
}
