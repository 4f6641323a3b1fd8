// Options of assembleBundle(), with their defaults. The service builds them from Config
// (keys listed in readme.md); the CLI and tests pass their own.
import { globMatcher } from './glob.ts';
import type { RedactionOptions } from './redactor.ts';

export type TokenizerName = 'o200k_base' | 'cl100k_base';

export interface AssembleOptions {
  /** Release → commit SHA, for releases that are not SHAs (`api@1.4.2` → `2f6b1c9…`).
   * @defaultValue {} */
  releaseCommits?: Record<string, string>;
  /** Service name → repository (URL or owner/name). Wins over the alert's hint.
   * @defaultValue {} */
  serviceRepos?: Record<string, string>;
  /** Sentry project slug → repository; project keys in serviceRepos work too. */
  sentryProjectRepos?: Record<string, string>;
  /** Token limit of the bundle's canonical JSON. @defaultValue 12000 */
  tokenBudget?: number;
  /** Logs of the error's service within ±this many seconds of the error. @defaultValue 30 */
  logWindowSeconds?: number;
  redaction: RedactionOptions;
  /** Attribute keys kept on spans and logs (`*` wildcard). @defaultValue DEFAULT_ATTRIBUTE_ALLOWLIST */
  attributeAllowlist?: readonly string[];
  /** @defaultValue 'o200k_base' (GPT-4o / GPT-5 family) */
  tokenizer?: TokenizerName;
}

/** Attributes that help localize and reproduce a failure and rarely carry personal data. Client
 * addresses, `enduser.*` and `user.*` are left out on purpose. */
export const DEFAULT_ATTRIBUTE_ALLOWLIST: readonly string[] = [
  'http.*', 'url.*', 'server.*', 'network.protocol.*', 'rpc.*', 'graphql.*', 'messaging.*',
  'db.system*', 'db.operation*', 'db.collection*', 'db.namespace', 'db.name', 'db.query.text', 'db.statement',
  'db.response.status_code', 'exception.*', 'error.*', 'code.*', 'feature_flag.*', 'user_agent.original',
  'peer.service', 'faas.*', 'thread.name', 'otel.status_*', 'component', 'log.*', 'event.name',
];

export const DEFAULTS = {
  tokenBudget: 12_000,
  logWindowSeconds: 30,
  tokenizer: 'o200k_base' as TokenizerName,
};

/** Caps applied before the token budget so assembly cost stays bounded on huge traces; the
 * budget then decides what of this fits. */
export const LIMITS = {
  children: 50,
  summaryGroups: 60,
  spanEvents: 10,
  traceLogEntries: 100,
  windowLogEntries: 60,
  frames: 200,
  causeFrames: 50,
  causes: 10,
  links: 10,
};

export interface ResolvedOptions {
  releaseCommits: Record<string, string>;
  serviceRepos: Record<string, string>;
  sentryProjectRepos: Record<string, string>;
  tokenBudget: number;
  logWindowSeconds: number;
  redaction: RedactionOptions;
  allow: (key: string) => boolean;
  tokenizer: TokenizerName;
}

export function resolveOptions(options: AssembleOptions): ResolvedOptions {
  const tokenBudget = options.tokenBudget ?? DEFAULTS.tokenBudget;
  const logWindowSeconds = options.logWindowSeconds ?? DEFAULTS.logWindowSeconds;
  if (!Number.isInteger(tokenBudget) || tokenBudget < 500) throw new RangeError('tokenBudget must be an integer ≥ 500');
  if (!(logWindowSeconds >= 0)) throw new RangeError('logWindowSeconds must be ≥ 0');
  return {
    releaseCommits: options.releaseCommits ?? {},
    serviceRepos: options.serviceRepos ?? {},
    sentryProjectRepos: options.sentryProjectRepos ?? {},
    tokenBudget,
    logWindowSeconds,
    redaction: options.redaction,
    allow: globMatcher(options.attributeAllowlist ?? DEFAULT_ATTRIBUTE_ALLOWLIST),
    tokenizer: options.tokenizer ?? DEFAULTS.tokenizer,
  };
}

