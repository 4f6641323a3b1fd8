// The dashboard's optional GitHub sign-in (src/dashboard/github-sign-in.ts), spread into
// config.ts's schema: an OAuth App's credentials and who may sign in with it. config.ts stays the
// one reader of process.env; this file only shapes what it read.
import { z } from 'zod';
import { ConfigError } from './errors.ts';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
// GitHub's own rules: a login or org name is up to 39 alphanumerics and single hyphens; a team slug is lower-case.
const orgName = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const teamSlug = /^[A-Za-z0-9_.-]{1,100}$/;

/** Each key is the environment variable's name; the README's configuration table lists them. */
export const DASHBOARD_ENV = {
  /** An OAuth App's client id (GitHub → Settings → Developer settings → OAuth Apps). */
  TRACEFIX_GITHUB_OAUTH_CLIENT_ID: optionalString,
  TRACEFIX_GITHUB_OAUTH_CLIENT_SECRET: optionalString,
  /** Members of this organization may sign in. */
  TRACEFIX_GITHUB_OAUTH_ORG: optionalString.pipe(z.string().regex(orgName, 'must be a GitHub organization name').optional()),
  /** Only members of this team may sign in: `org/team-slug`. */
  TRACEFIX_GITHUB_OAUTH_TEAM: optionalString.pipe(z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'must be org/team-slug').optional()),
};

export interface GithubOAuthConfig {
  clientId: string;
  clientSecret: string;
  /** Who may sign in: members of `org`, and of `team` (its slug) within it when set. */
  org: string;
  team: string | undefined;
  /** github.com, or a GitHub Enterprise Server's root: where /login/oauth/* is. */
  webUrl: string;
  /** The REST API the user's token is used on (/user, membership). */
  apiUrl: string;
}

/** The web root of a GitHub whose REST API is at `apiUrl` (GHES serves the API under /api/v3). */
export function githubWebUrl(apiUrl: string): string {
  return apiUrl === 'https://api.github.com' ? 'https://github.com' : apiUrl.replace(/\/api\/v3$/, '');
}

/** Both credentials or neither; with them, an org or a team, since any GitHub account can complete the flow. */
export function githubOAuth(e: z.infer<z.ZodObject<typeof DASHBOARD_ENV>>, apiUrl: string): GithubOAuthConfig | undefined {
  const fail = (problem: string): never => {
    throw new ConfigError(`Invalid configuration. ${problem}`, [problem]);
  };
  const { TRACEFIX_GITHUB_OAUTH_CLIENT_ID: clientId, TRACEFIX_GITHUB_OAUTH_CLIENT_SECRET: clientSecret } = e;
  const scoped = e.TRACEFIX_GITHUB_OAUTH_ORG ?? e.TRACEFIX_GITHUB_OAUTH_TEAM;
  if (!clientId && !clientSecret) {
    if (scoped) fail('TRACEFIX_GITHUB_OAUTH_CLIENT_ID: required when TRACEFIX_GITHUB_OAUTH_ORG or _TEAM is set');
    return undefined;
  }
  if (!clientId) fail('TRACEFIX_GITHUB_OAUTH_CLIENT_ID: required when TRACEFIX_GITHUB_OAUTH_CLIENT_SECRET is set');
  if (!clientSecret) fail('TRACEFIX_GITHUB_OAUTH_CLIENT_SECRET: required when TRACEFIX_GITHUB_OAUTH_CLIENT_ID is set');
  if (!scoped) fail('TRACEFIX_GITHUB_OAUTH_ORG: required with GitHub sign-in (or TRACEFIX_GITHUB_OAUTH_TEAM): without it any GitHub account could sign in');
  let org = e.TRACEFIX_GITHUB_OAUTH_ORG;
  let team: string | undefined;
  if (e.TRACEFIX_GITHUB_OAUTH_TEAM) {
    const [teamOrg, slug] = e.TRACEFIX_GITHUB_OAUTH_TEAM.split('/') as [string, string];
    if (!orgName.test(teamOrg) || !teamSlug.test(slug)) fail('TRACEFIX_GITHUB_OAUTH_TEAM: must be org/team-slug');
    if (org && org.toLowerCase() !== teamOrg.toLowerCase()) fail(`TRACEFIX_GITHUB_OAUTH_TEAM: the team's organization ${teamOrg} is not TRACEFIX_GITHUB_OAUTH_ORG (${org})`);
    org = teamOrg;
    team = slug;
  }
  return { clientId: clientId!, clientSecret: clientSecret!, org: org!, team, webUrl: githubWebUrl(apiUrl), apiUrl };
}
