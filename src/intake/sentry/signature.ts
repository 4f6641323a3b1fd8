// Sentry integration-platform webhook authenticity. `Sentry-Hook-Signature` is the lowercase hex
// HMAC-SHA256 of the exact body Sentry sent, keyed with the integration's client secret, with no
// `sha256=` prefix (getsentry/sentry `SentryApp.build_signature`). Sentry's body is simplejson
// output (`\uXXXX` escapes, `1.0`, `1e+16`), so re-serialized JSON never matches: bytes only.
import { hmacHexMatches } from '../common/constant-time.ts';

export function verifySentrySignature(raw: Buffer, signature: string | undefined, clientSecret: string | undefined): boolean {
  return hmacHexMatches(clientSecret, raw, signature?.trim());
}

/** Replay guard on `Sentry-Hook-Timestamp` (unix seconds). The header is NOT covered by the
 * signature, so this only stops naive replays of captured traffic; the delivery id dedupe is
 * the other half. A missing timestamp is allowed (older Sentry versions); a present one that is
 * not an integer, or older than `maxAgeSeconds`, is stale. Future timestamps (clock skew) pass. */
export function isSentryTimestampStale(timestamp: string | undefined, maxAgeSeconds: number, now: Date = new Date()): boolean {
  if (timestamp === undefined || timestamp.trim() === '') return false;
  if (!/^\d{1,12}$/.test(timestamp.trim())) return true;
  const ageSeconds = now.getTime() / 1000 - Number(timestamp.trim());
  return ageSeconds > maxAgeSeconds;
}
