// Datadog does not sign webhook bodies. The Webhooks integration can send custom headers or
// basic auth (`https://user:token@host/...`), so the configured token is accepted from:
//   Authorization: Bearer <token> | X-Tracefix-Token: <token> | Basic auth whose password is the token.
// Every comparison is constant-time (secretsEqual hashes both sides first).
import { secretsEqual } from '../common/constant-time.ts';
import { header, type Delivery } from '../types.ts';

export function authenticateDatadog(delivery: Delivery, token: string | undefined): boolean {
  if (!token) return false;
  const candidates: string[] = [];
  const custom = header(delivery, 'x-tracefix-token');
  if (custom) candidates.push(custom.trim());
  const authorization = header(delivery, 'authorization')?.trim() ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (bearer?.[1]) candidates.push(bearer[1]);
  const basic = /^Basic\s+([A-Za-z0-9+/=_-]+)$/i.exec(authorization);
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) candidates.push(decoded.slice(colon + 1));
  }
  // Evaluate every candidate (no short-circuit), so timing does not tell which one matched.
  return candidates.map((candidate) => secretsEqual(token, candidate)).includes(true);
}
