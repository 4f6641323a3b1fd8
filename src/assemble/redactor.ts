// Redaction: every string that enters a bundle passes through one Redactor before it is cut to
// size (a cut could split a secret so that no pattern sees it any more). Values become
// deterministic pseudonyms, an HMAC-SHA256 of the value under a per-incident key:
//   - equal values → equal pseudonyms inside one bundle, so the model can still see that the
//     user in the log line is the user in the locals;
//   - the per-incident key (derived from the service key and the incident id) makes pseudonyms
//     of different incidents unlinkable, and without the key nothing can be reversed or guessed;
//   - the kind stays visible (`<jwt:3f2a9c1b>`) so the model can reason about what it was;
//   - emails keep an email's shape (`email-3f2a9c1b@redacted.invalid`, a reserved TLD) so a
//     reproduction that validates an address still sees a valid one.
// Counts per kind are kept; values never are.
import { createHash, createHmac } from 'node:crypto';
import { BUILTIN_DETECTORS, customDetector, isCardNumber, secretKeyKind, type Detector } from './redact-patterns.ts';
import { canonicalJson } from './canonical.ts';
import { globMatcher } from './glob.ts';
import { capText, precut } from './text.ts';

export interface RedactionOptions {
  /** The service's redaction key (`<dataDir>/redaction.key`, see loadOrCreateRedactionKey). */
  key: Buffer;
  /** Extra patterns; the whole match is replaced and counted under `name`. */
  extraPatterns?: readonly { name: string; regex: RegExp | string }[];
  /** Attribute keys whose values never enter a bundle (`*` is a wildcard: `enduser.*`). */
  denyAttributes?: readonly string[];
}

export const DENIED = '<denied>';

export class Redactor {
  readonly #key: Buffer;
  readonly #detectors: readonly Detector[];
  readonly #deny: (key: string) => boolean;
  readonly #memo = new Map<string, string>();
  readonly #counts = new Map<string, number>();
  readonly keyId: string;

  /** `scope` (the incident id) salts the pseudonyms: see the header comment. */
  constructor(options: RedactionOptions, scope: string) {
    if (options.key.length < 16) throw new Error('redaction key must be at least 16 bytes');
    this.#key = createHmac('sha256', options.key).update(`tracefix/redaction/v1\0${scope}`).digest();
    this.keyId = createHash('sha256').update(options.key).digest('hex').slice(0, 8);
    // Custom patterns first: they name things (employee ids, order numbers) the built-ins would
    // otherwise half-match.
    this.#detectors = [...(options.extraPatterns ?? []).map((p) => customDetector(p.name, p.regex)), ...BUILTIN_DETECTORS];
    this.#deny = globMatcher(options.denyAttributes ?? []);
  }

  /** `<kind:8 hex>` (emails: `email-<8 hex>@redacted.invalid`); counts one replacement. */
  pseudonym(kind: string, value: string): string {
    this.#counts.set(kind, (this.#counts.get(kind) ?? 0) + 1);
    const memoKey = `${kind}\0${value}`;
    let out = this.#memo.get(memoKey);
    if (out === undefined) {
      const hash = createHmac('sha256', this.#key).update(memoKey).digest('hex').slice(0, 8);
      out = kind === 'email' ? `email-${hash}@redacted.invalid` : `<${kind}:${hash}>`;
      this.#memo.set(memoKey, out);
    }
    return out;
  }

  /** Pattern-based redaction of free text. Idempotent: redacting twice changes nothing more. */
  text(input: string): string {
    let out = input;
    const pseudo = (kind: string, value: string) => this.pseudonym(kind, value);
    for (const detector of this.#detectors) {
      if (detector.quick && !detector.quick(out)) continue;
      detector.regex.lastIndex = 0;
      out = out.replace(detector.regex, (match: string, ...rest: unknown[]) => {
        // Callback args: groups…, offset (a number), the whole string[, named groups].
        const groups = rest.slice(0, rest.findIndex((a) => typeof a === 'number')) as string[];
        return detector.replace(pseudo, match, groups) ?? match;
      });
    }
    return out;
  }

  /** Redacted text cut to `cap` chars: redaction first, so no cut can hide a secret from it. */
  textCapped(input: string, cap: number): string {
    const cut = precut(input);
    const redacted = this.text(cut);
    return cut === input ? capText(redacted, cap) : capText(redacted, cap, redacted.length + input.length - cut.length);
  }

  /** Deep redaction of a structured value (locals, request bodies, headers). Keys are redacted
   * as text; a value under a secret-looking key (password, token, cookie, authorization,
   * api_key, session…) is replaced whole, whatever it looks like. */
  value(input: unknown, keyName?: string): unknown {
    const secret = keyName === undefined ? null : secretKeyKind(keyName);
    if (secret && input !== null && input !== undefined && input !== '' && typeof input !== 'boolean') {
      return this.pseudonym(secret, typeof input === 'string' ? input : stableText(input));
    }
    if (typeof input === 'string') return this.text(input);
    if (typeof input === 'number') {
      // A card number can arrive as a number (JSON body, JS locals).
      return Number.isInteger(input) && isCardNumber(String(Math.abs(input))) ? this.pseudonym('card', String(input)) : input;
    }
    if (Array.isArray(input)) return input.map((item) => this.value(item, keyName));
    if (input && typeof input === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, val] of Object.entries(input as Record<string, unknown>)) out[this.text(key)] = this.value(val, key);
      return out;
    }
    return input;
  }

  /** An attribute value: a denied key loses its value, a secret-looking key gets a pseudonym,
   * text is redacted and capped to `cap`. */
  attribute(key: string, value: string | number | boolean | null, cap: number): string | number | boolean | null {
    if (this.isDenied(key)) {
      this.#counts.set('denied_attribute', (this.#counts.get('denied_attribute') ?? 0) + 1);
      return DENIED;
    }
    if (typeof value === 'string' && !secretKeyKind(key)) return this.textCapped(value, cap);
    const out = this.value(value, key);
    return typeof out === 'string' ? capText(out, cap) : (out as number | boolean | null);
  }

  isDenied(key: string): boolean {
    return this.#deny(key);
  }

  /** Replacements per kind, sorted by kind. */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.#counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

/** A stable text form of any value, for hashing (canonical JSON; String() for what JSON cannot hold). */
function stableText(value: unknown): string {
  try {
    return canonicalJson(value);
  } catch {
    return String(value);
  }
}
