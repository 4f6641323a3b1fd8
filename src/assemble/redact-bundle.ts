// The last line of defence: after every section has redacted its own inputs, one pass runs the
// text detectors over every string and every key of the whole bundle. It normally finds nothing;
// when it does (a field a section forgot, text that a cut turned into a new match) the value is
// replaced and counted like any other. Idempotent, because pseudonyms never match a detector.
import type { Redactor } from './redactor.ts';
import { capText } from './text.ts';

/** Values that are validated identifiers or times, not text; a digit-only span id must not be
 * mistaken for a card number. Skipped only where the schema puts them, never inside free-form
 * maps (a local or an attribute may well be called `id` or `time`). */
const ID_KEYS = new Set(['traceId', 'spanId', 'parentSpanId', 'commitSha', 'fingerprint', 'id', 'time', 'start', 'firstTime', 'lastTime', 'firstSeen', 'lastSeen', 'errorTime', 'keyId']);
const FREE_FORM = new Set(['attributes', 'locals', 'headers', 'featureFlags']);

export function redactEverywhere<T>(value: T, redactor: Redactor): T {
  return walk(value, undefined, false, redactor) as T;
}

function walk(value: unknown, key: string | undefined, freeForm: boolean, redactor: Redactor): unknown {
  if (typeof value === 'string') return !freeForm && key !== undefined && ID_KEYS.has(key) ? value : again(value, redactor);
  if (Array.isArray(value)) return value.map((item) => walk(item, key, freeForm, redactor));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[again(k, redactor)] = walk(v, k, freeForm || FREE_FORM.has(k), redactor);
    return out;
  }
  return value;
}

/** Redacts again without growing the text: the section already capped it to its schema limit. */
function again(text: string, redactor: Redactor): string {
  const out = redactor.text(text);
  if (out === text || out.length <= text.length) return out;
  return text.length >= 16 ? capText(out, text.length) : out;
}
