// What can stop a publication, and whether waiting helps. `permission` and `input` fail at once
// (the queue does not retry them); `infrastructure` (5xx, network, a rate limit longer than one
// call waits) is retried with backoff. Messages never carry a credential: they are built here from
// the status, GitHub's one-line message and the permission GitHub says it wanted.
import { AppError } from '../errors.ts';
export type PublishErrorKind = 'permission' | 'input' | 'infrastructure';

export class PublishError extends AppError {
  readonly kind: PublishErrorKind;
  /** For a rate limit: when GitHub said to come back (epoch ms). */
  readonly retryAt: number | undefined;

  constructor(kind: PublishErrorKind, message: string, retryAt?: number) {
    super('TF_PUBLISH', message);
    this.kind = kind;
    this.retryAt = retryAt;
  }

  override get retryable(): boolean {
    return this.kind === 'infrastructure';
  }
}

interface GithubRequestError {
  status: number;
  message: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

function isRequestError(error: unknown): error is GithubRequestError {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number';
}

function githubMessage(error: GithubRequestError): string {
  const data = error.response?.data as { message?: unknown } | undefined;
  const message = typeof data?.message === 'string' ? data.message : error.message;
  return message.replace(/\s+/g, ' ').slice(0, 300);
}

/** A 403/429 GitHub sends for a rate limit: retry-after, or no requests left before the reset. */
function isRateLimit(error: GithubRequestError): boolean {
  const headers = error.response?.headers ?? {};
  return error.status === 429 || headers['retry-after'] !== undefined || String(headers['x-ratelimit-remaining']) === '0' || /rate limit/i.test(githubMessage(error));
}

/** When a rate-limited request may be made again: `retry-after`, else `x-ratelimit-reset`. */
function retryAt(error: GithubRequestError): number | undefined {
  const headers = error.response?.headers ?? {};
  const after = Number(headers['retry-after']);
  if (Number.isFinite(after) && after > 0) return Date.now() + after * 1000;
  const reset = Number(headers['x-ratelimit-reset']);
  return Number.isFinite(reset) && reset > 0 ? reset * 1000 + 1000 : undefined;
}

/**
 * `step` says what was being done (`create the branch`), `permission` the App permission it needs
 * (`contents: write`). A 403 that is no rate limit, or a 404 on the repository, names both.
 */
export function classifyGithubError(error: unknown, repo: string, step: string, permission: string): Error {
  if (error instanceof PublishError || !isRequestError(error)) return error instanceof Error ? error : new Error(String(error));
  const said = `GitHub answered ${error.status} (${githubMessage(error)})`;
  if (error.status === 401) return new PublishError('permission', `cannot ${step} on ${repo}: ${said}; the token is invalid or expired (TRACEFIX_GITHUB_TOKEN or the App's key)`);
  if (error.status === 403 && !isRateLimit(error)) {
    const accepted = error.response?.headers?.['x-accepted-github-permissions'];
    const wanted = accepted ? `GitHub wants ${String(accepted).slice(0, 200)}` : `it needs "${permission}"`;
    return new PublishError('permission', `cannot ${step} on ${repo}: ${said}; the token or App installation lacks a permission: ${wanted}`);
  }
  if (error.status === 404) {
    return new PublishError('permission', `cannot ${step} on ${repo}: ${said}; the repository does not exist or the token/App installation cannot see it (it needs "${permission}" on ${repo})`);
  }
  if (error.status === 422 || error.status === 400) return new PublishError('input', `cannot ${step} on ${repo}: ${said}`);
  if (isRateLimit(error)) return new PublishError('infrastructure', `cannot ${step} on ${repo}: ${said}; rate limited`, retryAt(error));
  return new PublishError('infrastructure', `cannot ${step} on ${repo}: ${said}`);
}

/** Runs one GitHub step; its failure becomes a classified PublishError. */
export async function githubStep<T>(repo: string, step: string, permission: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw classifyGithubError(error, repo, step, permission);
  }
}
