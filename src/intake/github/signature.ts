// GitHub webhook authenticity: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>`
// (github/docs validating-webhook-deliveries). Verified over the raw bytes; the docs' test vector
// (secret "It's a Secret to Everybody", body "Hello, World!") is in the unit tests.
import { hmacHexMatches } from '../common/constant-time.ts';

export function verifyGithubSignature(raw: Buffer, signatureHeader: string | undefined, secret: string | undefined): boolean {
  if (typeof signatureHeader !== 'string') return false;
  const m = /^sha256=([0-9a-fA-F]{64})$/.exec(signatureHeader.trim());
  return m?.[1] !== undefined && hmacHexMatches(secret, raw, m[1]);
}
