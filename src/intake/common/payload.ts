// Body decoding shared by the intake parsers: UTF-8 → JSON → a loose zod schema, with every
// failure turned into one RequestError(400, 'TF_BAD_PAYLOAD') that lists each problem.
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { RequestError } from '../../errors.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function badPayload(message: string, details: { path: string; message: string }[] = []): RequestError {
  return new RequestError(400, 'TF_BAD_PAYLOAD', message, details);
}

/** Decodes the raw bytes as UTF-8 (a leading BOM is dropped); invalid UTF-8 is a 400. */
export function decodeUtf8(raw: Buffer): string {
  try {
    return utf8.decode(raw);
  } catch {
    throw badPayload('Body is not valid UTF-8', [{ path: '', message: 'invalid UTF-8 byte sequence' }]);
  }
}

/** JSON.parse of the raw bytes. With `keepBigIntegers`, integers beyond 2^53 keep their exact
 * digits as strings (uses the reviver's `context.source`, Node ≥ 21): Datadog templates that
 * write `$ID` unquoted would otherwise lose the last digits of a 64-bit id. */
export function parseJsonBody(raw: Buffer, options: { keepBigIntegers?: boolean } = {}): unknown {
  const text = decodeUtf8(raw);
  try {
    if (!options.keepBigIntegers) return JSON.parse(text);
    return JSON.parse(text, keepBigIntegerDigits);
  } catch (error) {
    throw badPayload('Body is not valid JSON', [{ path: '', message: (error as Error).message }]);
  }
}

function keepBigIntegerDigits(this: unknown, _key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === 'number' && !Number.isSafeInteger(value) && context?.source && /^-?\d+$/.test(context.source)) {
    return context.source;
  }
  return value;
}

/** Validates `value` against a schema; each zod issue becomes one {path, message} detail.
 * `at` is where `value` sits in the body (`['data']`), so paths name the body's own fields. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string, at: readonly PropertyKey[] = []): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw badPayload(
    `${what} does not match the expected shape`,
    result.error.issues.map((issue) => ({ path: formatPath([...at, ...issue.path]), message: issue.message })),
  );
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : String(part))).join('.').replaceAll('.[', '[');
}

/** A stable delivery id for senders that give none (or for a missing header): the same bytes
 * redelivered map to the same id, so the store recognises the redelivery. */
export function bodyDigestId(raw: Buffer): string {
  return `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}
