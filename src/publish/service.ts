// What the service needs around publish(): one set of GitHub clients per process (so App tokens
// are cached across jobs), the GitHub repository of an incident, and the links of its source.
import type { Alert } from '../../schemas/alert.ts';
import type { Bundle } from '../../schemas/bundle.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../telemetry.ts';
import type { IncidentLinks } from './body.ts';
import { GithubClients } from './github-client.ts';

/** Undefined when no credentials are configured: publishing is then off. */
export function publisherFor(config: Config, log?: Logger): GithubClients | undefined {
  const { app, token, apiUrl } = config.github;
  if (app) return new GithubClients({ apiUrl, credentials: { kind: 'app', ...app }, ...(log ? { log } : {}) });
  if (token) return new GithubClients({ apiUrl, credentials: { kind: 'token', token }, ...(log ? { log } : {}) });
  return undefined;
}

function githubWeb(apiUrl: string): string {
  return apiUrl === 'https://api.github.com' ? 'https://github.com' : apiUrl.replace(/\/api\/v3$/, '');
}

/** `owner/name` on the configured GitHub, from the bundle's repository name or URL. */
export function targetRepo(config: Config, bundle: Bundle): string | undefined {
  if (bundle.repo.name && /^[^/\s]+\/[^/\s]+$/.test(bundle.repo.name)) return bundle.repo.name.replace(/\.git$/, '');
  const url = bundle.repo.url;
  const web = githubWeb(config.github.apiUrl);
  if (url?.startsWith(`${web}/`)) {
    const m = /^([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url.slice(web.length + 1));
    if (m) return `${m[1]}/${m[2]}`;
  }
  return undefined;
}

/** The GitHub issue or Sentry issue the incident came from, from its alerts' source references. */
export function incidentLinks(alerts: readonly Alert[]): IncidentLinks {
  const links: IncidentLinks = {};
  const github = alerts.find((a) => a.source === 'github' && a.sourceRefs.issue_number && a.sourceRefs.repo);
  if (github) links.githubIssue = { repo: github.sourceRefs.repo!, number: Number(github.sourceRefs.issue_number) };
  const sentry = alerts.find((a) => a.source === 'sentry' && (a.sourceRefs.short_id || a.sourceRefs.issue_id));
  if (sentry) {
    const url = sentry.link && /^https?:\/\//.test(sentry.link) ? sentry.link : undefined;
    links.sentry = { ...(sentry.sourceRefs.short_id ? { shortId: sentry.sourceRefs.short_id } : {}), ...(url ? { url } : {}) };
  }
  return links;
}
