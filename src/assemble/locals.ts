// Frame locals: small, redacted, and honest about what was cut. Three passes, in this order:
//   1. prune the structure (depth, keys per object, items per array) without touching text, so
//      the redactor never walks a megabyte-long list a frame happened to hold;
//   2. redact (values under secret-looking names are replaced whole; keys are redacted too);
//   3. cap strings and keys, after redaction so a cut can never hide a secret from a pattern.
// Every cut leaves a marker in place (see LocalValue in schemas/bundle.ts).
import { CAPS, type LocalValue } from '../../schemas/bundle.ts';
import type { Redactor } from './redactor.ts';
import { capText, precut } from './text.ts';

export interface LocalsResult {
  locals: Record<string, LocalValue>;
  truncated: boolean;
}

/** Sentry and other SDKs report locals as a name → value map (Python: repr strings). */
export function frameLocals(vars: Record<string, unknown>, redactor: Redactor): LocalsResult {
  const state = { truncated: false };
  const pruned = pruneObject(vars, 0, state);
  const redacted = redactor.value(pruned) as Record<string, unknown>;
  const locals = capStrings(redacted, state) as Record<string, LocalValue>;
  return { locals, truncated: state.truncated };
}

type State = { truncated: boolean };

/** depth = nesting level of the value: a local's own value is 1. A container at the depth cap is
 * summarized instead of expanded. */
function prune(value: unknown, depth: number, state: State): unknown {
  if (value === null) return null;
  // JSON has no undefined; in JS `undefined` vs `null` is often the bug itself, so say which.
  if (value === undefined) return '[undefined]';
  if (typeof value === 'string') {
    const cut = precut(value);
    if (cut !== value) state.truncated = true;
    return cut === value ? value : `${cut}…[+${value.length - cut.length} chars]`;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) {
    if (depth >= CAPS.localDepth) {
      state.truncated = true;
      return `[depth>${CAPS.localDepth}: array of ${value.length} items]`;
    }
    const items = value.slice(0, CAPS.localItems).map((item) => prune(item, depth + 1, state));
    if (value.length > CAPS.localItems) {
      state.truncated = true;
      items.push(`…[+${value.length - CAPS.localItems} items]`);
    }
    return items;
  }
  if (typeof value === 'object') {
    if (depth >= CAPS.localDepth) {
      state.truncated = true;
      return `[depth>${CAPS.localDepth}: object with ${Object.keys(value).length} keys]`;
    }
    return pruneObject(value as Record<string, unknown>, depth, state);
  }
  return String(value);
}

function pruneObject(value: Record<string, unknown>, depth: number, state: State): Record<string, unknown> {
  let keys = Object.keys(value);
  if (keys.length > CAPS.localKeys) {
    state.truncated = true;
    // Python module-level frames are full of dunder names (__builtins__, __loader__): they go
    // first when something has to go.
    keys = [...keys.filter((k) => !isDunder(k)), ...keys.filter(isDunder)];
  }
  const out: Record<string, unknown> = {};
  for (const key of keys.slice(0, CAPS.localKeys)) out[key] = prune(value[key], depth + 1, state);
  if (keys.length > CAPS.localKeys) out['…'] = `+${keys.length - CAPS.localKeys} keys`;
  return out;
}

function isDunder(key: string): boolean {
  return key.startsWith('__') && key.endsWith('__');
}

function capStrings(value: unknown, state: State): unknown {
  if (typeof value === 'string') {
    const capped = capText(value, CAPS.localString);
    if (capped !== value) state.truncated = true;
    return capped;
  }
  if (Array.isArray(value)) return value.map((item) => capStrings(item, state));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const cappedKey = capText(key, CAPS.localKey);
      if (cappedKey !== key) state.truncated = true;
      out[cappedKey] = capStrings(item, state);
    }
    return out;
  }
  return value;
}
