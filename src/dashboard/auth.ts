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
const PUBLIC = [/^\/webhooks\//, /^\/v1\/(traces|logs)$/, /^\/login$/, /^\/assets\//, /^\/healthz$/, /^\/readyz$/];
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    /** How this request authenticated; undefined on public paths. */
    auth?: 'bearer' | 'session';
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

function sessionValid(request: FastifyRequest): boolean {
  const raw = request.cookies[SESSION_COOKIE];
  if (!raw) return false;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return false;
  const issued = /^v1\.(\d{13})$/.exec(unsigned.value);
  return !!issued && Date.now() - Number(issued[1]) < SESSION_MAX_AGE_SECONDS * 1000;
}

/** Only a same-site path may be a redirect target after sign-in (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) && !next.startsWith('/login') ? next : '/';
}

function wantsHtml(request: FastifyRequest): boolean {
  return request.method === 'GET' && (request.headers.accept ?? '').includes('text/html') && !request.headers['hx-request'];
}

export interface AuthOptions {
  /** Undefined: nothing but the public paths is served (every other request is refused). */
  token: string | undefined;
}

export const dashboardAuth = fp<AuthOptions>(async (app: FastifyInstance, { token }) => {
  // The cookie signing key derives from the token: rotating the token signs every session out.
  const cookieSecret = createHmac('sha256', token ?? 'no-dashboard-token').update('tracefix session cookie v1').digest('hex');
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
    if (token && sessionValid(request)) {
      request.auth = 'session';
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

/** Sets the session cookie after a successful sign-in. */
export function startSession(request: FastifyRequest, reply: FastifyReply): void {
  reply.setCookie(SESSION_COOKIE, `v1.${Date.now()}`, {
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
