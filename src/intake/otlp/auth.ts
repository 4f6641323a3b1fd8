// OTLP has no authentication of its own; exporters send a configured header. We take
// `Authorization: Bearer <token>` and compare in constant time, so response timing does not
// reveal how much of a guess was right.
import { createHash, timingSafeEqual } from 'node:crypto';

/** Undefined when the request may pass, else the reason it may not. */
export function checkBearer(header: string | string[] | undefined, token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  const match = value === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(value);
  if (!match) return 'Missing bearer token';
  // Hashing first gives equal-length inputs, which timingSafeEqual requires, without leaking length.
  const given = createHash('sha256').update(match[1]!).digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected) ? undefined : 'Wrong bearer token';
}
