// Who may use the dashboard, /api, /admin and /metrics: a script with `Authorization: Bearer
// <TRACEFIX_DASHBOARD_TOKEN>`, or a browser holding the session cookie that /login gives for the same
// token. Everything not on the public list below needs one of the two; webhooks and OTLP keep their
// own authentication. A cookie-authenticated state-changing request must also carry the CSRF token
// (@fastify/csrf-protection): the cookie alone is ambient authority, the bearer header is not.
import { createHmac } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { secretsEqual } from '../intake/common/constant-time.ts';
import { errorBody } from '../server/error-handler.ts';

export const SESSION_COOKIE = 'tracefix_session';
const SESSION_MAX_AGE_SECONDS = 7 * 24 * 3600;

/** Paths served without dashboard authentication: they authenticate themselves (webhooks, OTLP),
 * are the sign-in itself, are static assets, or are probes an orchestrator calls. */
const PUBLIC = [/^\/webhooks\//, /^\/v1\/(traces|logs)$/, /^\/login(\/github(\/callback)?)?$/, /^\/assets\//, /^\/healthz$/, /^\/readyz$/];
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    /** How this request authenticated; undefined on public paths. */
    auth?: 'bearer' | 'session';
    /** The GitHub login of a session started by GitHub sign-in; undefined for the token's. */
    githubLogin?: string;
  }
}

export function isPublicPath(url: string): boolean {
  const pathname = url.split('?')[0] ?? url;
  return PUBLIC.some((re) => re.test(pathname));
}

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

/** The session of this request: its GitHub login ('' for a token sign-in), or undefined when none is valid. */
function sessionOf(request: FastifyRequest): string | undefined {
  const raw = request.cookies[SESSION_COOKIE];
  if (!raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return undefined;
  const issued = /^v1\.(\d{13})(?:\.gh\.([A-Za-z0-9-]{1,39}))?$/.exec(unsigned.value);
  if (!issued || Date.now() - Number(issued[1]) >= SESSION_MAX_AGE_SECONDS * 1000) return undefined;
  return issued[2] ?? '';
}

/** Only a same-site path may be a redirect target after sign-in (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) && !next.startsWith('/login') ? next : '/';
}

function wantsHtml(request: FastifyRequest): boolean {
  return request.method === 'GET' && (request.headers.accept ?? '').includes('text/html') && !request.headers['hx-request'];
}

export interface AuthOptions {
  /** Undefined (and no GitHub sign-in): nothing but the public paths is served. */
  token: string | undefined;
  /** The GitHub OAuth App's client secret when GitHub sign-in is on: signs sessions when no token is set. */
  oauthSecret?: string | undefined;
}

export const dashboardAuth = fp<AuthOptions>(async (app: FastifyInstance, { token, oauthSecret }) => {
  // The cookie signing key derives from the token (or the OAuth App's secret): rotating it signs
  // every session out. With neither there is no key, and no session is ever valid.
  const sessionKey = token ?? oauthSecret;
  const cookieSecret = createHmac('sha256', sessionKey ?? 'no-dashboard-token').update('tracefix session cookie v1').digest('hex');
  await app.register(fastifyCookie, { secret: cookieSecret });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'tracefix_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', signed: true },
  });

  app.addHook('onRequest', async (request, reply) => {
    if (isPublicPath(request.url)) return;
    if (token && secretsEqual(token, bearerOf(request))) {
      request.auth = 'bearer';
      return;
    }
    const session = sessionKey ? sessionOf(request) : undefined;
    if (session !== undefined) {
      request.auth = 'session';
      if (session) request.githubLogin = session;
      return;
    }
    if (wantsHtml(request)) return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
    return reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="tracefix"')
      .send(errorBody(401, 'TF_UNAUTHENTICATED', 'Sign in on /login or send Authorization: Bearer <TRACEFIX_DASHBOARD_TOKEN>'));
  });

  // After the body is parsed, so a form's _csrf field counts; bearer requests carry no ambient
  // credential and need no CSRF token.
  app.addHook('preHandler', (request, reply, done) => {
    if (request.auth === 'session' && UNSAFE_METHODS.has(request.method)) {
      app.csrfProtection(request, reply, done);
      return;
    }
    done();
  });
});

/** Sets the session cookie after a successful sign-in (with the GitHub login for GitHub sign-in). */
export function startSession(request: FastifyRequest, reply: FastifyReply, githubLogin?: string): void {
  reply.setCookie(SESSION_COOKIE, `v1.${Date.now()}${githubLogin ? `.gh.${githubLogin}` : ''}`, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    signed: true,
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
}

export function endSession(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

export function tokenMatches(token: string | undefined, given: unknown): boolean {
  return typeof given === 'string' && secretsEqual(token, given);
}
