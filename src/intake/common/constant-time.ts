// Constant-time comparisons for webhook authentication. Every check returns false on malformed
// input instead of throwing: a bad signature header is the sender's problem, answered with 401.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/** HMAC-SHA256 of the exact bytes received (never of re-serialized JSON). */
export function hmacSha256(secret: string, raw: Buffer): Buffer {
  return createHmac('sha256', secret).update(raw).digest();
}

/** True when `givenHex` is the hex HMAC-SHA256 of `raw` under `secret`. Non-hex, wrong length,
 * missing signature or an empty secret → false. */
export function hmacHexMatches(secret: string | undefined, raw: Buffer, givenHex: string | undefined): boolean {
  if (!secret || typeof givenHex !== 'string' || !HEX_SHA256.test(givenHex)) return false;
  const given = Buffer.from(givenHex, 'hex');
  const expected = hmacSha256(secret, raw);
  // Lengths are equal here (both 32 bytes); the check stays so timingSafeEqual can never throw.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Compares two secrets without leaking where they differ or how long the expected one is:
 * both sides are hashed first, so timingSafeEqual always sees two 32-byte buffers. */
export function secretsEqual(expected: string | undefined, given: string | undefined): boolean {
  if (!expected || typeof given !== 'string' || given.length === 0) return false;
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(given, 'utf8').digest();
  return timingSafeEqual(a, b);
}
