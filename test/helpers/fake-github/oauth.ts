// The fake GitHub's OAuth App web flow and the REST endpoints a sign-in reads with the user's token,
// as github.com serves them: `GET /login/oauth/authorize` (here the person is already signed in at
// GitHub and consents at once: it redirects back with a one-time code and the state unchanged),
// `POST /login/oauth/access_token` (code → `gho_` token; errors as 200 with `error`, the way GitHub
// answers), then `GET /user`, `GET /orgs/{org}/members/{username}` (204 member, 404 not) and
// `GET /orgs/{org}/teams/{team_slug}/memberships/{username}`. The REST requests are matched and
// validated against the OpenAPI description by the server (fake-github.ts) before they reach here.
import { randomBytes } from 'node:crypto';
import type { MatchedOperation } from './openapi.ts';

export interface FakeOAuthUser {
  id: number;
  /** Organizations the user is a member of. */
  orgs?: string[];
  /** Teams, as `org/team-slug`, the user is an active member of. */
  teams?: string[];
}

export interface FakeOAuthOptions {
  clientId: string;
  clientSecret: string;
  /** login → user. */
  users: Record<string, FakeOAuthUser>;
}

type Reply = { status: number; headers: Record<string, string>; body: unknown; raw?: string };

interface Grant {
  login: string;
  redirectUri: string;
  scope: string;
  expiresAt: number;
}

export class FakeOAuth {
  readonly options: FakeOAuthOptions;
  /** Who is signed in at the fake github.com, i.e. who consents on the authorize page. */
  signedInAs: string | undefined;
  /** Every authorize request's query, for asserting what tracefix asked for. */
  readonly authorizeRequests: URLSearchParams[] = [];
  readonly #codes = new Map<string, Grant>();
  readonly #tokens = new Map<string, { login: string; scope: string }>();

  constructor(options: FakeOAuthOptions) {
    this.options = options;
  }

  /** GET /login/oauth/authorize. */
  authorize(query: URLSearchParams): Reply {
    this.authorizeRequests.push(query);
    const redirectUri = query.get('redirect_uri');
    if (query.get('client_id') !== this.options.clientId || !redirectUri) return { status: 404, headers: {}, body: { message: 'Not Found' } };
    const back = new URL(redirectUri);
    const state = query.get('state');
    if (!this.signedInAs) {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'The user has denied your application access.');
    } else {
      const code = randomBytes(10).toString('hex');
      this.#codes.set(code, { login: this.signedInAs, redirectUri, scope: query.get('scope') ?? '', expiresAt: Date.now() + 600_000 });
      back.searchParams.set('code', code);
    }
    if (state !== null) back.searchParams.set('state', state);
    return { status: 302, headers: { location: back.href }, body: undefined };
  }

  /** POST /login/oauth/access_token: parameters as a form or JSON; answer as JSON when asked, else a form. */
  accessToken(raw: string, contentType: string, accept: string, authorization = ''): Reply {
    const params: Record<string, string> = contentType.includes('json') ? (JSON.parse(raw || '{}') as Record<string, string>) : Object.fromEntries(new URLSearchParams(raw));
    // The client may authenticate with HTTP Basic instead of parameters (RFC 6749 §2.3.1).
    const basic = /^Basic (.+)$/i.exec(authorization);
    if (basic) {
      const [id, secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':').map(decodeURIComponent) as [string, string];
      params.client_id = id;
      params.client_secret = secret;
    }
    const answer = (body: Record<string, string>): Reply =>
      accept.includes('application/json')
        ? { status: 200, headers: {}, body }
        : { status: 200, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: undefined, raw: new URLSearchParams(body).toString() };
    if (params.client_id !== this.options.clientId || params.client_secret !== this.options.clientSecret) {
      return answer({ error: 'incorrect_client_credentials', error_description: 'The client_id and/or client_secret passed are incorrect.' });
    }
    const grant = params.code ? this.#codes.get(params.code) : undefined;
    if (params.code) this.#codes.delete(params.code);
    if (!grant || grant.expiresAt < Date.now()) return answer({ error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' });
    if (params.redirect_uri && params.redirect_uri !== grant.redirectUri) {
      return answer({ error: 'redirect_uri_mismatch', error_description: 'The redirect_uri MUST match the registered callback URL for this application.' });
    }
    const token = `gho_${randomBytes(18).toString('base64url')}`;
    this.#tokens.set(token, { login: grant.login, scope: grant.scope });
    return answer({ access_token: token, token_type: 'bearer', scope: grant.scope });
  }

  /** The REST operations a signed-in user's token is used for; undefined: not one of them. */
  handles(op: MatchedOperation): boolean {
    return op.method === 'get' && ['/user', '/orgs/{org}/members/{username}', '/orgs/{org}/teams/{team_slug}/memberships/{username}'].includes(op.template);
  }

  rest(op: MatchedOperation, authorization: string | undefined, baseUrl: string): Reply {
    const token = (authorization ?? '').replace(/^(Bearer|token) /i, '');
    const holder = this.#tokens.get(token);
    if (!holder) return { status: 401, headers: {}, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' } };
    const me = this.options.users[holder.login]!;
    const notFound: Reply = { status: 404, headers: {}, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' } };
    const scopes = { 'x-oauth-scopes': holder.scope };
    if (op.template === '/user') {
      return { status: 200, headers: scopes, body: { login: holder.login, id: me.id, type: 'User', html_url: `${baseUrl}/${holder.login}`, url: `${baseUrl}/users/${holder.login}` } };
    }
    // Organization membership is private by default: reading it needs read:org (GitHub answers as if
    // the user were not a member otherwise).
    const canReadOrg = holder.scope.split(/[ ,]+/).some((s) => ['read:org', 'write:org', 'admin:org'].includes(s));
    const org = op.params.org!.toLowerCase();
    const user = this.options.users[op.params.username!];
    if (op.template === '/orgs/{org}/members/{username}') {
      const member = canReadOrg && user?.orgs?.some((o) => o.toLowerCase() === org);
      return member ? { status: 204, headers: scopes, body: undefined } : notFound;
    }
    const team = `${org}/${op.params.team_slug!.toLowerCase()}`;
    const active = canReadOrg && user?.teams?.some((t) => t.toLowerCase() === team);
    return active ? { status: 200, headers: scopes, body: { url: `${baseUrl}/teams/1/memberships/${op.params.username}`, role: 'member', state: 'active' } } : notFound;
  }
}
