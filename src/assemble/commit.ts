// Which repository and commit the failing code came from. The commit, in order of trust:
// the alert's release when it is a SHA (or ends in one: `api@2f6b1c9…`, `1.4.2+2f6b1c9`,
// `v1.4.2-3-g2f6b1c9`), the commit the intake already read (GitHub head_sha…), the span
// resource's `vcs.ref.head.revision`, then the configured release → commit map.
// The repository: the configured service → repo map (the operator knows best), for Sentry the
// project slug → repo map (TRACEFIX_SENTRY_PROJECT_REPOS, or the slug as a key of the service map),
// the alert's hint, then the resource's `vcs.repository.url.full`.
import type { z } from 'zod';
import type { Alert } from '../../schemas/alert.ts';
import { CAPS, type BundleRepo } from '../../schemas/bundle.ts';
import { asCommitSha, commitFromRelease } from '../evidence/ids.ts';
import type { Redactor } from './redactor.ts';

type Repo = z.infer<typeof BundleRepo>;

export interface RepoInput {
  alert: Alert;
  resource: Readonly<Record<string, unknown>>;
  service: string | undefined;
  releaseCommits: Readonly<Record<string, string>>;
  serviceRepos: Readonly<Record<string, string>>;
  /** Sentry project slug → repository (TRACEFIX_SENTRY_PROJECT_REPOS). */
  sentryProjectRepos?: Readonly<Record<string, string>>;
  redactor: Redactor;
}

/** A map's own entry (a service named `constructor` is not a repository). */
function own(map: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

export function resolveRepo(input: RepoInput): Repo {
  const { alert, resource, service, redactor } = input;
  const serviceVersion = typeof resource['service.version'] === 'string' ? (resource['service.version'] as string) : undefined;
  const release = alert.release ?? serviceVersion;
  const revision = resource['vcs.ref.head.revision'] ?? resource['vcs.repository.ref.revision'];
  const mapped = release !== undefined ? input.releaseCommits[release] : undefined;
  const commit: Pick<Repo, 'commitSha' | 'commitSource'> =
    commitFromRelease(alert.release) ? { commitSha: commitFromRelease(alert.release), commitSource: 'alert.release' }
    : asCommitSha(alert.commitSha) ? { commitSha: asCommitSha(alert.commitSha), commitSource: 'alert.commitSha' }
    : asCommitSha(revision) ? { commitSha: asCommitSha(revision), commitSource: 'resource.vcs.ref.head.revision' }
    : asCommitSha(mapped) ? { commitSha: asCommitSha(mapped), commitSource: 'release-map' }
    : { commitSource: 'none' };

  const fromMap = service !== undefined ? own(input.serviceRepos, service) : undefined;
  // Sentry events name no service unless the app tags one; their project does.
  const project = alert.source === 'sentry' ? alert.sourceRefs.project_slug ?? alert.sourceRefs.project : undefined;
  const fromProject = project !== undefined ? own(input.sentryProjectRepos ?? {}, project) ?? own(input.serviceRepos, project) : undefined;
  const resourceUrl = typeof resource['vcs.repository.url.full'] === 'string' ? (resource['vcs.repository.url.full'] as string) : undefined;
  const [where, repoSource]: [string | undefined, Repo['repoSource']] =
    fromMap ? [fromMap, 'service-map']
    : fromProject ? [fromProject, 'sentry-project-map']
    : alert.repoHint ? [alert.repoHint, 'alert.repoHint']
    : resourceUrl ? [resourceUrl, 'resource.vcs.repository.url.full']
    : [undefined, 'none'];
  return {
    ...repoLocation(where, redactor),
    repoSource,
    ...commit,
    ...(release ? { release: redactor.textCapped(release, CAPS.env) } : {}),
  };
}

/** `owner/name` stays a name; a URL is kept (credentials redacted) and its last two path
 * segments become the name. scp-style `git@host:owner/name.git` is read as https://host/owner/name
 * (the `git@` user is not a person, but it would read as an email to the redactor). */
function repoLocation(where: string | undefined, redactor: Redactor): Pick<Repo, 'url' | 'name'> {
  if (!where) return {};
  let trimmed = where.trim();
  if (/^[\w.-]+\/[\w.-]+$/.test(trimmed)) return { name: redactor.textCapped(trimmed.replace(/\.git$/, ''), CAPS.name) };
  const scp = /^[\w.-]+@([^:/\s]+):(?!\/\/)(.+)$/.exec(trimmed);
  if (scp) trimmed = `https://${scp[1]}/${scp[2]}`;
  const url = redactor.textCapped(trimmed, CAPS.url);
  const path = /^[a-z][a-z0-9+.-]*:\/\/[^/]+\/(.+?)(?:\.git)?\/?$/i.exec(trimmed)?.[1];
  const segments = path?.split('/').filter(Boolean) ?? [];
  const name = segments.length >= 2 ? segments.slice(-2).join('/') : undefined;
  return { url, ...(name ? { name: redactor.textCapped(name, CAPS.name) } : {}) };
}
