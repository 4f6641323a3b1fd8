// The webhook sources: how each one is configured, authenticated and parsed. The parsers are the
// pure functions in src/intake/<source>/; this file only adapts them to the route.
import type { Config } from '../config.ts';
import { RequestError } from '../errors.ts';
import { secretsEqual } from './common/constant-time.ts';
import { authenticateDatadog } from './datadog/auth.ts';
import { parseDatadogDelivery } from './datadog/parse-delivery.ts';
import { parseGithubDelivery } from './github/parse-delivery.ts';
import { GithubApiError, senderMayWrite } from './github/sender-trust.ts';
import { verifyGithubSignature } from './github/signature.ts';
import { parseSentryLegacyDelivery } from './sentry/legacy.ts';
import { parseSentryDelivery } from './sentry/parse-delivery.ts';
import { isSentryTimestampStale, verifySentrySignature } from './sentry/signature.ts';
import { header, type Delivery, type IntakeOutcome } from './types.ts';
/** What a source's parser may use beyond the delivery (the app passes its deps). */
export interface IntakeContext {
  config: Config;
  /** GitHub/Sentry API calls; defaults to global fetch (tests inject a fake). */
  fetch?: typeof fetch;
}

export interface WebhookSource {
  name: string;
  path: string;
  /** The content types the source sends; others are refused with 415 naming these. */
  contentTypes: readonly string[];
  /** The environment variable to set when this source cannot work, else undefined. */
  missingConfig(config: Config): string | undefined;
  /** undefined when genuine, else why not (answered as 401). */
  authenticate(delivery: Delivery, config: Config, params: Record<string, string>): string | undefined;
  parse(delivery: Delivery, deps: IntakeContext): Promise<IntakeOutcome>;
}

const sentry: WebhookSource = {
  name: 'sentry',
  path: '/sentry',
  contentTypes: ['application/json'],
  missingConfig: (config) => (config.sentry.clientSecret ? undefined : 'TRACEFIX_SENTRY_CLIENT_SECRET'),
  authenticate(delivery, config) {
    if (!verifySentrySignature(delivery.raw, header(delivery, 'sentry-hook-signature'), config.sentry.clientSecret)) {
      return 'Sentry-Hook-Signature is missing or does not match the body';
    }
    // The timestamp is not covered by the signature, but a replayed old delivery carries its old one.
    if (isSentryTimestampStale(header(delivery, 'sentry-hook-timestamp'), config.sentry.maxAgeSeconds, delivery.receivedAt)) {
      return 'Sentry-Hook-Timestamp is too old (a replayed delivery?)';
    }
    return undefined;
  },
  parse: async (delivery) => parseSentryDelivery(delivery),
};

/** The per-project WebHooks plugin signs nothing: a secret path segment is its only credential. */
const sentryLegacy: WebhookSource = {
  name: 'sentry-legacy',
  path: '/sentry/legacy/:token',
  contentTypes: ['application/json'],
  missingConfig: (config) => (config.sentry.legacyToken ? undefined : 'TRACEFIX_SENTRY_LEGACY_TOKEN'),
  authenticate: (_delivery, config, params) =>
    secretsEqual(config.sentry.legacyToken, params.token) ? undefined : 'the URL token does not match',
  parse: async (delivery) => parseSentryLegacyDelivery(delivery),
};

const datadog: WebhookSource = {
  name: 'datadog',
  path: '/datadog',
  // Datadog's webhook UI lets a template post form-encoded bodies; tracefix reads both.
  contentTypes: ['application/json', 'application/x-www-form-urlencoded'],
  missingConfig: (config) => (config.datadog.token ? undefined : 'TRACEFIX_DATADOG_TOKEN'),
  authenticate: (delivery, config) =>
    authenticateDatadog(delivery, config.datadog.token)
      ? undefined
      : 'send the shared token as Authorization: Bearer, X-Tracefix-Token, or the basic-auth password',
  parse: async (delivery) => parseDatadogDelivery(delivery),
};

const github: WebhookSource = {
  name: 'github',
  path: '/github',
  // GitHub's "application/x-www-form-urlencoded" option wraps the JSON in a payload= field; the
  // README says to choose application/json, and a form body says the webhook was set up otherwise.
  contentTypes: ['application/json'],
  missingConfig: (config) => (config.github.webhookSecret ? undefined : 'TRACEFIX_GITHUB_WEBHOOK_SECRET'),
  authenticate: (delivery, config) =>
    verifyGithubSignature(delivery.raw, header(delivery, 'x-hub-signature-256'), config.github.webhookSecret)
      ? undefined
      : 'X-Hub-Signature-256 is missing or does not match the body',
  async parse(delivery, deps) {
    const outcome = parseGithubDelivery(delivery, { label: deps.config.github.label });
    if (outcome.kind !== 'alert') return outcome;
    const { repo = '', sender: login = '' } = outcome.alert.sourceRefs;
    const [owner = '', name = ''] = repo.split('/');
    let trusted: boolean;
    try {
      trusted = await senderMayWrite(deps.config, { owner, repo: name, login }, deps.fetch ?? fetch);
    } catch (error) {
      // Nothing is recorded: GitHub shows the delivery as failed and it can be redelivered.
      const status = error instanceof GithubApiError ? error.status : undefined;
      throw new RequestError(503, 'TF_GITHUB_UNAVAILABLE', `Could not check the sender's permission on GitHub${status ? ` (HTTP ${status})` : ''}; redeliver later`);
    }
    if (trusted) return outcome;
    return {
      kind: 'ignored',
      source: 'github',
      deliveryId: outcome.alert.deliveryId,
      event: outcome.alert.kind,
      reason: `sender ${login || '(unknown)'} may not write to ${repo}`,
    };
  },
};

export const WEBHOOK_SOURCES: readonly WebhookSource[] = [sentry, sentryLegacy, datadog, github];
