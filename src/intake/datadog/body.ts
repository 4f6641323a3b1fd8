// Datadog webhook bodies are whatever the user's payload template produced, sent as JSON
// (default) or form-encoded ("Encode as form", API `encode_as: form`). Both become one flat-ish
// record of the template's top-level keys. Integers beyond 2^53 keep their exact digits.
import { z } from 'zod';
import { header, type Delivery } from '../types.ts';
import { decodeUtf8, parseJsonBody, parseWith } from '../common/payload.ts';

const BodyObject = z.record(z.string(), z.unknown());

export function isFormEncoded(delivery: Delivery): boolean {
  const type = header(delivery, 'content-type')?.toLowerCase() ?? '';
  if (type.includes('application/x-www-form-urlencoded')) return true;
  if (type.includes('json')) return false;
  // No usable content type: sniff. A JSON template starts with `{`.
  return !/^\s*[{[]/.test(decodeUtf8(delivery.raw));
}

export function decodeDatadogBody(delivery: Delivery): Record<string, unknown> {
  if (!isFormEncoded(delivery)) {
    return parseWith(BodyObject, parseJsonBody(delivery.raw, { keepBigIntegers: true }), 'Datadog webhook body');
  }
  const params = new URLSearchParams(decodeUtf8(delivery.raw));
  const entries = [...params.entries()];
  // A form with one field holding the JSON template (`payload={...}`) is that template.
  if (entries.length === 1 && /^\s*\{/.test(entries[0]?.[1] ?? '')) {
    return parseWith(BodyObject, parseJsonBody(Buffer.from(entries[0]?.[1] ?? '', 'utf8'), { keepBigIntegers: true }), 'Datadog webhook body');
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    // Nested template objects (`"org": {...}`) arrive as their JSON text.
    if (/^\s*\{[\s\S]*\}\s*$/.test(value)) {
      try {
        out[key] = JSON.parse(value);
        continue;
      } catch {
        // Not JSON after all: keep the text.
      }
    }
    out[key] = value;
  }
  return out;
}
