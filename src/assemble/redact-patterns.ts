// What the redactor looks for in text, in the order it looks. Order matters: a DSN is a URL with
// credentials, a bearer token may be a JWT, `token=` may hold an API key, and a URL's userinfo
// looks like an email; the more specific detector runs first and its pseudonym (`<kind:hash>`)
// is never matched again by a later one, which keeps redaction idempotent.
// Every repetition that can run along a long word is bounded ({0,64}, {1,512}…): an unbounded
// one is quadratic on a 60k-char run without a match, and telemetry is attacker-controlled.
import { isIP } from 'node:net';

/** Replaces one match: gets the pseudonym maker and the regex groups, returns the new text or
 * `null` to keep the match (a check after the regex said no: Luhn, entropy, loopback...). */
export type Replace = (pseudo: (kind: string, value: string) => string, match: string, groups: string[]) => string | null;

export interface Detector {
  kind: string;
  regex: RegExp;
  /** Cheap test that must pass before the regex runs (most strings have no '@', no 'eyJ'...). */
  quick?: (text: string) => boolean;
  replace: Replace;
}

const whole = (kind: string): Replace => (pseudo, match) => pseudo(kind, match);

/** Names that mark a value as secret. A name is split into lower-case words (camelCase, `-`, `_`,
 * `.`), so `x-api-key`, `sessionId`, `http.request.header.cookie` match and `author`,
 * `max_tokens`, `tokens_used` do not. */
const SECRET_WORDS = new Set([
  'password', 'passwd', 'pwd', 'passphrase', 'secret', 'secrets', 'token', 'apikey', 'jwt', 'session', 'sessionid',
  'credential', 'credentials', 'privatekey', 'dsn', 'csrf', 'xsrf', 'otp', 'ssn', 'pin',
]);
const SECRET_PAIRS = new Set(['api key', 'private key', 'access key', 'secret key', 'client secret', 'refresh token', 'access token']);

export type SecretKeyKind = 'cookie' | 'authorization' | 'secret';

export function secretKeyKind(name: string): SecretKeyKind | null {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (words.some((w) => w === 'cookie' || w === 'cookies')) return 'cookie';
  if (words.some((w) => w === 'authorization' || w === 'auth')) return 'authorization';
  if (words.some((w) => SECRET_WORDS.has(w))) return 'secret';
  for (let i = 1; i < words.length; i++) if (SECRET_PAIRS.has(`${words[i - 1]} ${words[i]}`)) return 'secret';
  return null;
}

/** Luhn checksum over a digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A card number: 13–19 digits, an issuer's first digit (2 Mastercard, 3 Amex/Diners, 4 Visa,
 * 5 Mastercard, 6 Discover/UnionPay) and a valid Luhn sum. The first-digit rule keeps epoch
 * timestamps (1…) and other digit runs that happen to pass Luhn (1 in 10 do) out. */
export function isCardNumber(digits: string): boolean {
  return digits.length >= 13 && digits.length <= 19 && /^[2-6]/.test(digits) && luhnValid(digits);
}

/** Shannon entropy in bits per char. */
export function entropy(text: string): number {
  const freq = new Map<string, number>();
  for (const ch of text) freq.set(ch, (freq.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of freq.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** A value that looks generated rather than written: long enough, mixed, high entropy. */
function looksRandom(value: string): boolean {
  return value.length >= 16 && /\d/.test(value) && /[A-Za-z]/.test(value) && entropy(value) >= 3.5;
}

/** A token after `Bearer`/`Basic`: real ones have digits or are long mixed-case strings, prose
 * ("Basic authentication failed") has neither. */
function looksLikeToken(value: string): boolean {
  return (value.length >= 8 && /\d/.test(value)) || (value.length >= 20 && /[a-z]/.test(value) && /[A-Z]/.test(value));
}

const LOOPBACK = new Set(['0.0.0.0', '::', '::1']);

/** Built-in detectors, in order. */
export const BUILTIN_DETECTORS: readonly Detector[] = [
  {
    kind: 'private_key',
    regex: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    quick: (t) => t.includes('PRIVATE KEY'),
    replace: whole('private_key'),
  },
  {
    // Sentry DSNs: scheme://<32 hex public key>[:<32 hex secret>]@host/<project id>.
    kind: 'dsn',
    regex: /\b[a-z][a-z0-9+.-]{0,31}:\/\/[0-9a-f]{32}(?::[0-9a-f]{32})?@[^\s/'"<>]{1,255}\/\d+/gi,
    quick: (t) => t.includes('@'),
    replace: whole('dsn'),
  },
  {
    // Userinfo in any URL (https://user:pass@host, postgres://u:p@db, https://x-access-token:…@github.com).
    kind: 'url_credentials',
    regex: /\b([a-z][a-z0-9+.-]{0,31}:\/\/)([^\s/?#@'"<>]{1,512})@/gi,
    quick: (t) => t.includes('://'),
    replace: (pseudo, _m, [scheme, userinfo]) => `${scheme}${pseudo('url_credentials', userinfo!)}@`,
  },
  {
    kind: 'jwt',
    regex: /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g,
    quick: (t) => t.includes('eyJ'),
    replace: whole('jwt'),
  },
  {
    // OpenAI/Anthropic sk-, Stripe sk_/rk_, GitHub ghp_/gho_/ghu_/ghs_/ghr_/github_pat_, Slack
    // xox?-, AWS access key ids, GitLab glpat-, Google AIza.
    kind: 'api_key',
    regex:
      /\b(?:sk-[A-Za-z0-9_-]{20,}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|xox[abposr]-[A-Za-z0-9-]{10,}|(?:AKIA|ASIA)[0-9A-Z]{16}|glpat-[A-Za-z0-9_-]{20,}|AIza[0-9A-Za-z_-]{35})\b/g,
    replace: whole('api_key'),
  },
  {
    kind: 'bearer',
    regex: /\b(Bearer|bearer|Basic|Digest)(\s+)([A-Za-z0-9\-._~+/]{8,}=*)/g,
    replace: (pseudo, match, [scheme, space, token]) => (looksLikeToken(token!) ? `${scheme}${space}${pseudo('bearer', token!)}` : match),
  },
  {
    // A Cookie / Set-Cookie header written out in text.
    kind: 'cookie',
    regex: /(?<![\w<-])((?:set-)?cookie)(["']?\s*:\s*["']?)([^\s"'<][^\r\n"'<]*)/gi,
    quick: (t) => /cookie/i.test(t),
    replace: (pseudo, _m, [name, sep, value]) => `${name}${sep}${pseudo('cookie', value!.trim())}`,
  },
  {
    // password=…, "api_key": "…", session_id: … in text (query strings, JSON bodies, log lines).
    kind: 'secret',
    regex:
      /(?<![\w<-])([\w.-]{0,64}?(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|session[_-]?id|sessionid|credentials?))(["']?\s*[=:]\s*["']?)([^\s"'&,;<>)}\]]{3,})/gi,
    quick: (t) => t.includes('=') || t.includes(':'),
    replace: (pseudo, _m, [name, sep, value]) => `${name}${sep}${pseudo('secret', value!)}`,
  },
  {
    // Generic `…key=<random>` / `sig=<random>`: only when the value looks generated.
    kind: 'secret',
    regex: /(?<![\w<-])([\w.-]{0,64}(?:key|sig|signature))(\s*[=:]\s*["']?)([A-Za-z0-9+/_\-.=]{16,512})/gi,
    quick: (t) => t.includes('=') || t.includes(':'),
    replace: (pseudo, match, [name, sep, value]) => (looksRandom(value!) ? `${name}${sep}${pseudo('secret', value!)}` : match),
  },
  {
    // Also URL-encoded (alice%40example.com). Already-pseudonymized addresses are left alone.
    kind: 'email',
    regex: /[A-Za-z0-9._%+-]{1,64}(?:@|%40)(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}\b/g,
    quick: (t) => t.includes('@') || t.includes('%40'),
    // Hashed in a normal form so `Alice@Example.com` and `alice%40example.com` are one person.
    replace: (pseudo, match) =>
      /(?:@|%40)redacted\.[a-z]*$/.test(match) ? null : pseudo('email', match.replace(/%40/i, '@').toLowerCase()),
  },
  {
    kind: 'card',
    regex: /(?<![\d.-])(?:\d[ -]?){12,18}\d(?![\d-]|\.\d)/g,
    quick: (t) => /\d{4}/.test(t),
    replace: (pseudo, match) => {
      const digits = match.replace(/\D/g, '');
      return isCardNumber(digits) ? pseudo('card', digits) : null;
    },
  },
  {
    kind: 'ipv4',
    regex: /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\w|\.\d)/g,
    quick: (t) => t.includes('.'),
    replace: (pseudo, match) => (match.startsWith('127.') || LOOPBACK.has(match) ? null : pseudo('ipv4', match)),
  },
  {
    kind: 'ipv6',
    regex: /(?<![\w:.])[0-9A-Fa-f:]{2,39}(?![\w:.])/g,
    quick: (t) => t.includes(':'),
    replace: (pseudo, match) =>
      /[0-9A-Fa-f]/.test(match) && (match.match(/:/g)?.length ?? 0) >= 2 && isIP(match) === 6 && !LOOPBACK.has(match)
        ? pseudo('ipv6', match.toLowerCase())
        : null,
  },
];

/** A configured extra pattern (config: name + regex source). The whole match is replaced. */
export function customDetector(name: string, regex: RegExp | string): Detector {
  const source = typeof regex === 'string' ? new RegExp(regex, 'g') : regex;
  const flags = source.flags.includes('g') ? source.flags : `${source.flags}g`;
  return { kind: name, regex: new RegExp(source.source, flags), replace: whole(name) };
}
