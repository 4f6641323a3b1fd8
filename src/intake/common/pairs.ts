// Sentry stores tags and request headers as `[key, value]` pairs, SDKs send maps, the Sentry
// API answers `{key, value}` objects. All three become one string→string record; null values
// (scrubbed by Sentry) and non-string keys are dropped, scalars are stringified.

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function pairsToRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const entry of value) {
      if (Array.isArray(entry) && typeof entry[0] === 'string') {
        const v = scalar(entry[1]);
        if (v !== undefined) out[entry[0]] = v;
      } else if (entry && typeof entry === 'object' && 'key' in entry && typeof entry.key === 'string') {
        const v = scalar((entry as { value?: unknown }).value);
        if (v !== undefined) out[entry.key] = v;
      }
    }
  } else if (value && typeof value === 'object') {
    for (const [key, raw] of Object.entries(value)) {
      const v = scalar(raw);
      if (v !== undefined) out[key] = v;
    }
  }
  return out;
}

/** A query string given as text (kept) or as pairs/map (re-encoded); empty → undefined. */
export function queryToString(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  const params = new URLSearchParams();
  if (Array.isArray(value)) {
    // Pairs keep repeated keys (`?id=1&id=2`), which a record would merge.
    for (const entry of value) {
      if (Array.isArray(entry) && typeof entry[0] === 'string') params.append(entry[0], scalar(entry[1]) ?? '');
    }
  } else {
    for (const [key, v] of Object.entries(pairsToRecord(value))) params.append(key, v);
  }
  const text = params.toString();
  return text.length > 0 ? text : undefined;
}
