// Where an incident's code lives, as a RepoSource: the bundle's repository (service map, alert hint,
// resource attribute), an `owner/name` alone being a GitHub repository. One rule for the token: the
// configured GitHub token goes only with http(s) URLs (a local path or file:// URL needs none, and
// an ssh URL authenticates otherwise). The workers and the CLI both use it.
import type { Bundle } from '../../schemas/bundle.ts';
import { githubWebUrl } from '../config-dashboard.ts';
import { AppError } from '../errors.ts';
import type { RepoSource } from './repo-source.ts';

export interface GithubAccess {
  apiUrl: string;
  token?: string | undefined;
}

/** No repository is known for the incident: an operator must map its service. `setting` names where. */
export class UnknownRepositoryError extends AppError {
  readonly setting = 'TRACEFIX_SERVICE_REPOS';
  constructor(message: string) {
    super('TF_REPO_UNKNOWN', message);
  }
}

/** A repository URL or path with the token it may carry. */
export function repoSourceFor(url: string, github: Pick<GithubAccess, 'token'>): RepoSource {
  const token = /^https?:/i.test(url) ? github.token : undefined;
  return { url, ...(token ? { token } : {}) };
}

export function incidentRepo(github: GithubAccess, bundle: Bundle): RepoSource {
  const url = bundle.repo.url ?? (bundle.repo.name ? `${githubWebUrl(github.apiUrl)}/${bundle.repo.name}.git` : undefined);
  if (!url) {
    const service = bundle.environment.service?.name;
    const project = bundle.incident.source === 'sentry' ? ' (or its Sentry project in TRACEFIX_SENTRY_PROJECT_REPOS)' : '';
    throw new UnknownRepositoryError(`no repository is known for service ${service ?? '(unknown)'}: map it in TRACEFIX_SERVICE_REPOS${project}`);
  }
  return repoSourceFor(url, github);
}
