// Only people who can push to the repository may start a repair by labelling an issue (a label
// is cheap to add on public repos via some bots and apps; the repair runs the repo's code).
// With a token: GitHub's "Get repository permissions for a user"
//   GET /repos/{owner}/{repo}/collaborators/{username}/permission
// → `permission` is the legacy admin|write|read|none (maintain reads as write, triage as read),
// `role_name` the precise role. 404 = not a collaborator. Without a token: the configured
// allowlist (config.github.trustedLogins).
import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';

const WRITE_ROLES = new Set(['admin', 'maintain', 'write']);
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,99})$/;

export class GithubApiError extends AppError {
  readonly status: number | undefined;
  constructor(message: string, status?: number, options?: { cause?: unknown }) {
    super('TF_GITHUB_API', message, options);
    this.status = status;
  }
}

export interface SenderRef {
  owner: string;
  repo: string;
  login: string;
}

/** True when `login` has write, maintain or admin on owner/repo. Fails closed on names that
 * cannot be GitHub names; throws GithubApiError when GitHub answers anything but 200/404 (a
 * wrong token must surface, not silently turn every sender away). */
export async function senderMayWrite(
  config: Pick<Config, 'github'>,
  sender: SenderRef,
  fetchImpl: typeof fetch = fetch,
): Promise<boolean> {
  const { owner, repo, login } = sender;
  if (![owner, repo, login].every((part) => NAME.test(part))) return false;
  const token = config.github.token;
  if (!token) {
    const wanted = login.toLowerCase();
    return config.github.trustedLogins.some((trusted) => trusted.toLowerCase() === wanted);
  }
  const url = `${config.github.apiUrl.replace(/\/+$/, '')}/repos/${owner}/${repo}/collaborators/${encodeURIComponent(login)}/permission`;
  let response: Response;
  try {
    response = await fetchImpl(url, {
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': 'tracefix',
      },
      signal: AbortSignal.timeout(5_000),
    });
  } catch (error) {
    throw new GithubApiError(`GitHub permission check failed: ${(error as Error).message}`, undefined, { cause: error });
  }
  if (response.status === 404) {
    await response.body?.cancel();
    return false;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new GithubApiError(`GitHub answered ${response.status} to the permission check for ${login} on ${owner}/${repo}`, response.status);
  }
  const body = (await response.json()) as { permission?: unknown; role_name?: unknown };
  return [body.permission, body.role_name].some((p) => typeof p === 'string' && WRITE_ROLES.has(p));
}
