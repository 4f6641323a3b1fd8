// Optional "Sign in with GitHub" (TRACEFIX_GITHUB_OAUTH_*): the OAuth App web flow through
// @fastify/oauth2, then the user's token is asked who it belongs to (GET /user) and whether that
// login is a member of the configured organization (GET /orgs/{org}/members/{username}) or an active
// member of the team (GET /orgs/{org}/teams/{team_slug}/memberships/{username}). Only then is the
// same session cookie as the token sign-in's set, carrying the login. The user's token is used for
// those two calls and dropped: it is never stored, logged or put in a cookie.
// The state parameter is checked against a signed, HttpOnly cookie (@fastify/oauth2), so a callback
// this browser did not start is refused (login CSRF).
import fastifyOauth2, { type OAuth2Namespace } from '@fastify/oauth2';
import { Octokit } from '@octokit/rest';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { GithubOAuthConfig } from '../config-dashboard.ts';
import { safeNext, startSession } from './auth.ts';
import { html, type Html } from './html.ts';
import { loginPage } from './layout.ts';

export const GITHUB_START_PATH = '/login/github';
export const GITHUB_CALLBACK_PATH = '/login/github/callback';
const NEXT_COOKIE = 'tracefix_next';

const Callback = z.object({ code: z.string().max(512).optional(), state: z.string().max(512).optional(), error: z.string().max(200).optional() });

declare module 'fastify' {
  interface FastifyInstance {
    githubOAuth2: OAuth2Namespace;
  }
}

export interface GithubSignInOptions {
  oauth: GithubOAuthConfig;
  /** TRACEFIX_PUBLIC_URL: the callback URL registered on the OAuth App; unset: this request's origin. */
  publicUrl: string | undefined;
  send(reply: FastifyReply, body: Html, status?: number): FastifyReply;
}

/** Who may sign in, as a sentence for the refusal. */
function audience(oauth: GithubOAuthConfig): string {
  return oauth.team ? `the ${oauth.org}/${oauth.team} team` : `the ${oauth.org} organization`;
}

/** The login the token belongs to, and whether it may use the dashboard. */
export async function checkMembership(oauth: GithubOAuthConfig, token: string): Promise<{ login: string; allowed: boolean }> {
  // Octokit's own log would print every 404 (the answer for "not a member") to the console.
  const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const octokit = new Octokit({ auth: token, baseUrl: oauth.apiUrl, userAgent: 'tracefix-dashboard', log: quiet });
  const { data: user } = await octokit.rest.users.getAuthenticated();
  const notFound = (error: unknown) => {
    // 404: not a member (or membership hidden from this token); 302: the token's user is not in the org.
    if (typeof error === 'object' && error && 'status' in error && [302, 404].includes(Number(error.status))) return null;
    throw error;
  };
  if (oauth.team) {
    const membership = await octokit.rest.teams.getMembershipForUserInOrg({ org: oauth.org, team_slug: oauth.team, username: user.login }).catch(notFound);
    return { login: user.login, allowed: membership?.data.state === 'active' };
  }
  const member = await octokit.rest.orgs.checkMembershipForUser({ org: oauth.org, username: user.login }).catch(notFound);
  return { login: user.login, allowed: Number(member?.status) === 204 };
}

function continuePage(next: string): Html {
  // A page, not a redirect: the sign-in arrived as a cross-site navigation from GitHub, and a
  // browser does not send the SameSite=Strict session cookie on a redirect chain that started
  // there. A same-origin refresh from this page does. (A <meta> refresh is not script: the CSP allows it.)
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${next}"><title>Signed in · tracefix</title>
<link rel="stylesheet" href="/assets/dashboard.css"></head>
<body class="login"><main id="main"><p class="card">Signed in. <a href="${next}">Continue</a></p></main></body></html>`;
}

export async function githubSignIn(app: FastifyInstance, { oauth, publicUrl, send }: GithubSignInOptions): Promise<void> {
  const callbackUri = (request: FastifyRequest) => `${publicUrl ?? `${request.protocol}://${request.host}`}${GITHUB_CALLBACK_PATH}`;
  await app.register(fastifyOauth2, {
    name: 'githubOAuth2',
    // read:org: organization membership is private by default and hidden from a token without it.
    scope: ['read:org'],
    credentials: {
      client: { id: oauth.clientId, secret: oauth.clientSecret },
      auth: { authorizeHost: oauth.webUrl, authorizePath: '/login/oauth/authorize', tokenHost: oauth.webUrl, tokenPath: '/login/oauth/access_token' },
      // GitHub documents client_id and client_secret as parameters of the token request.
      options: { authorizationMethod: 'body' },
    },
    callbackUri,
    // Signed with the session key; Lax, since it must come back on GitHub's cross-site redirect.
    cookie: { signed: true, httpOnly: true, sameSite: 'lax', path: '/login/github' },
  });

  const refuse = (reply: FastifyReply, status: number, error: string) => send(reply, loginPage({ csrfToken: reply.generateCsrf(), next: '/', error, githubSignIn: true }), status);

  app.get(GITHUB_START_PATH, async (request, reply) => {
    const next = safeNext((request.query as Record<string, unknown>).next);
    reply.setCookie(NEXT_COOKIE, next, { path: '/login/github', httpOnly: true, sameSite: 'lax', signed: true, maxAge: 600, secure: request.protocol === 'https' });
    const uri = await app.githubOAuth2.generateAuthorizationUri(request, reply);
    return reply.redirect(uri, 302);
  });

  app.get(GITHUB_CALLBACK_PATH, async (request, reply) => {
    const query = Callback.safeParse(request.query);
    if (!query.success || query.data.error || !query.data.code) {
      return refuse(reply, 401, query.success && query.data.error === 'access_denied' ? 'GitHub sign-in was cancelled.' : 'GitHub sign-in did not complete. Try again.');
    }
    let token: string | undefined;
    try {
      const result = await app.githubOAuth2.getAccessTokenFromAuthorizationCodeFlow(request, reply);
      token = typeof result.token.access_token === 'string' ? result.token.access_token : undefined;
    } catch (error) {
      if (error instanceof Error && error.message === 'Invalid state') {
        request.log.warn('GitHub sign-in refused: the state does not match this browser');
        return refuse(reply, 403, 'This sign-in was not started from this browser (its state does not match). Start again.');
      }
      request.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'GitHub sign-in: the code exchange failed');
      return refuse(reply, 502, 'GitHub did not accept the sign-in. Try again.');
    }
    // GitHub answers a bad code with 200 and an `error` field, so no token is the refusal.
    if (!token) return refuse(reply, 401, 'GitHub did not accept the sign-in (the code is wrong or expired). Try again.');
    let verdict: { login: string; allowed: boolean };
    try {
      verdict = await checkMembership(oauth, token);
    } catch (error) {
      request.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'GitHub sign-in: the membership check failed');
      return refuse(reply, 502, 'GitHub could not confirm your membership. Try again.');
    }
    if (!verdict.allowed) {
      request.log.warn({ login: verdict.login, org: oauth.org, team: oauth.team }, 'GitHub sign-in refused: not a member');
      return refuse(reply, 403, `${verdict.login} is not a member of ${audience(oauth)}, which this dashboard is limited to.`);
    }
    const raw = request.cookies[NEXT_COOKIE];
    const unsigned = raw ? request.unsignCookie(raw) : undefined;
    const next = safeNext(unsigned?.valid ? unsigned.value : '/');
    reply.clearCookie(NEXT_COOKIE, { path: '/login/github' });
    startSession(request, reply, verdict.login);
    request.log.info({ login: verdict.login }, 'Signed in with GitHub');
    return send(reply, continuePage(next));
  });
}
