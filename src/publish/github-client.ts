// Octokit for publishing, one client per target repository: @octokit/rest with the retry plugin
// (5xx and network errors) and the throttling plugin (403/429 rate limits: it waits for
// `retry-after`, or until `x-ratelimit-reset`, and retries). Credentials: a GitHub App (an
// installation token per repository, scoped to that one repository, cached until shortly before it
// expires) or TRACEFIX_GITHUB_TOKEN. A token lives only in the Authorization header Octokit sends:
// never in a URL, a git config, a process argument, a log line or an error message.
import { createAppAuth, type InstallationAccessTokenAuthentication } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import type { Logger } from '../telemetry.ts';
import { PublishError } from './errors.ts';

const GithubOctokit = Octokit.plugin(retry, throttling);
export type GithubClient = InstanceType<typeof GithubOctokit>;

export type GithubCredentials = { kind: 'token'; token: string } | { kind: 'app'; appId: string; privateKey: string };

export interface GithubClientOptions {
  apiUrl: string;
  credentials: GithubCredentials;
  log?: Logger;
  /** Longest wait for a rate limit inside one call; a longer one fails the call (the queue retries
   * later). @defaultValue 120 seconds */
  maxRateLimitWaitSeconds?: number;
  /** Retries of one call for a rate limit. @defaultValue 3 */
  rateLimitRetries?: number;
  /** Retries of one call for a 5xx or network error. @defaultValue 2 */
  serverErrorRetries?: number;
}

/** Installation tokens live an hour; one is reused until this long before it expires. */
const TOKEN_MARGIN_MS = 5 * 60 * 1000;

function octokitLog(log: Logger | undefined) {
  // Octokit's own messages (deprecations, throttling) carry no credentials; they go to debug.
  const to = (level: 'debug' | 'warn') => (message: string) => log?.[level]({ detail: String(message).slice(0, 500) }, 'GitHub client message');
  return { debug: to('debug'), info: to('debug'), warn: to('warn'), error: to('warn') };
}

function baseOptions(options: GithubClientOptions) {
  const maxWait = options.maxRateLimitWaitSeconds ?? 120;
  const retries = options.rateLimitRetries ?? 3;
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    const again = retryCount < retries && retryAfter <= maxWait;
    options.log?.warn({ kind, retryAfter, method: request.method, url: request.url, retryCount, again }, 'GitHub rate limit');
    return again;
  };
  return {
    baseUrl: options.apiUrl,
    userAgent: 'tracefix-publish',
    log: octokitLog(options.log),
    // plugin-retry's own option: `request.retries` would also retry what it must not (403, 422).
    retry: { retries: options.serverErrorRetries ?? 2 },
    throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
  };
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

/**
 * Hands out a client per repository. In App mode the installation of each repository is looked up
 * with the App's JWT and its token is requested for that repository only.
 */
export class GithubClients {
  readonly #options: GithubClientOptions;
  readonly #tokens = new Map<string, CachedToken>();
  #app: GithubClient | undefined;

  constructor(options: GithubClientOptions) {
    this.#options = options;
  }

  get mode(): 'app' | 'token' {
    return this.#options.credentials.kind;
  }

  /** The credential for one repository, for the workspace layer's git fetch of a private
   * repository (it sends it as HTTP basic auth, never in a URL or config). */
  async credentialFor(owner: string, repo: string): Promise<string> {
    const credentials = this.#options.credentials;
    return credentials.kind === 'token' ? credentials.token : this.#installationToken(owner, repo, credentials);
  }

  async forRepo(owner: string, repo: string): Promise<GithubClient> {
    const credentials = this.#options.credentials;
    if (credentials.kind === 'token') return new GithubOctokit({ ...baseOptions(this.#options), auth: credentials.token });
    return new GithubOctokit({ ...baseOptions(this.#options), auth: await this.#installationToken(owner, repo, credentials) });
  }

  async #installationToken(owner: string, repo: string, credentials: Extract<GithubCredentials, { kind: 'app' }>): Promise<string> {
    const key = `${owner}/${repo}`.toLowerCase();
    const cached = this.#tokens.get(key);
    if (cached && cached.expiresAt - TOKEN_MARGIN_MS > Date.now()) return cached.token;
    this.#app ??= new GithubOctokit({ ...baseOptions(this.#options), authStrategy: createAppAuth, auth: { appId: credentials.appId, privateKey: credentials.privateKey } });
    const app = this.#app;
    let installationId: number;
    try {
      installationId = (await app.rest.apps.getRepoInstallation({ owner, repo })).data.id;
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 404) {
        throw new PublishError('permission', `the GitHub App ${credentials.appId} is not installed on ${owner}/${repo} (or cannot see it): install it on that repository`);
      }
      if (status === 401) throw new PublishError('permission', `GitHub rejected the App's credentials (TRACEFIX_GITHUB_APP_ID / private key) for ${owner}/${repo}`);
      throw error;
    }
    const auth = (await app.auth({ type: 'installation', installationId, repositoryNames: [repo] })) as InstallationAccessTokenAuthentication;
    this.#tokens.set(key, { token: auth.token, expiresAt: Date.parse(auth.expiresAt) });
    return auth.token;
  }
}
