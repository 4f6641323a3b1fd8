// The dashboard: security headers, sign-in, static assets (our CSS/JS and htmx vendored from
// node_modules), the pages, the live event stream, Bull Board, /api/outcomes and /metrics.
// Authentication itself is enforced by dashboardAuth (auth.ts) for every non-public path.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { Bundle } from '../../schemas/bundle.ts';
import { computeOutcomes, outcomeMetrics } from '../outcomes/index.ts';
import type { Queues } from '../queue/producers.ts';
import { redisAnswers } from '../queue/connection.ts';
import type { AppDeps } from '../server/deps.ts';
import { bundleContent, latestBundleSha } from '../store/bundle-store.ts';
import { getIncident } from '../store/incident-store.ts';
import { getPublication } from '../store/publication-store.ts';
import { readTranscriptSummary } from '../store/run-files.ts';
import { listRuns } from '../store/run-store.ts';
import { endSession, safeNext, startSession, tokenMatches } from './auth.ts';
import { mountBullBoard } from './bull-board.ts';
import type { Html } from './html.ts';
import { filterOptions, listForDashboard, parseListFilter } from './incident-list.ts';
import { errorPanel, loginPage, page, type PageContext } from './layout.ts';
import type { LiveFeed } from './live.ts';
import { healthView, type HealthData } from './pages/health-page.ts';
import { incidentView } from './pages/incident-page.ts';
import { incidentsView } from './pages/incidents-page.ts';
import { outcomesView } from './pages/outcomes-page.ts';

const require = createRequire(import.meta.url);
const ASSETS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');
const HTMX_DIST = path.dirname(require.resolve('htmx.org'));
const SSE_DIST = path.dirname(require.resolve('htmx-ext-sse'));

const IncidentParams = z.object({ id: z.string().regex(/^inc_[0-9a-z]{9}[0-9a-f]{16}$/, 'not an incident id') });
const IncidentQuery = z.object({ run: z.string().max(128).optional() });

export interface DashboardOptions {
  deps: AppDeps;
  token: string | undefined;
  live: LiveFeed;
}

/** Strict everywhere: scripts and styles from this origin only, nothing inline, no framing. */
const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  // Would send http://127.0.0.1 sub-requests to https and break a plain-HTTP deployment.
  upgradeInsecureRequests: null,
};

function sendHtml(reply: FastifyReply, body: Html, status = 200) {
  return reply.code(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(body.value);
}

async function queueCounts(queues: Queues | undefined): Promise<Record<string, Record<string, number>> | null> {
  if (!queues?.ready()) return null;
  try {
    const names = ['assemble', 'reproduce', 'repair'] as const;
    const counts = await Promise.all(names.map((n) => queues[n].getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized')));
    return Object.fromEntries(names.map((n, i) => [n, counts[i] ?? {}]));
  } catch {
    return null;
  }
}

export const dashboardRoutes = fp<DashboardOptions>(async (app: FastifyInstance, { deps, token, live }) => {
  await app.register(fastifyHelmet, { contentSecurityPolicy: { directives: CSP }, crossOriginEmbedderPolicy: false });
  await app.register(fastifyStatic, { root: ASSETS, prefix: '/assets/', index: false, allowedPath: (p) => /^\/[\w-]+\.(css|js|svg)$/.test(p) });
  await app.register(fastifyStatic, { root: HTMX_DIST, prefix: '/assets/vendor/htmx/', decorateReply: false, allowedPath: (p) => p === '/htmx.min.js' });
  await app.register(fastifyStatic, { root: SSE_DIST, prefix: '/assets/vendor/htmx-ext-sse/', decorateReply: false, allowedPath: (p) => p === '/sse.min.js' });
  if (deps.queues) await mountBullBoard(app, deps.queues);

  const metrics = outcomeMetrics();
  const ctx = (reply: FastifyReply, current?: PageContext['current']): PageContext => ({ csrfToken: reply.generateCsrf(), ...(current ? { current } : {}) });
  /** A page handler whose failure still renders a page (an error state), never a bare 500 body. */
  const pageRoute = (handler: (request: FastifyRequest, reply: FastifyReply) => Promise<Html | undefined>) => async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      const body = await handler(request, reply);
      return body ? sendHtml(reply, body) : reply;
    } catch (error) {
      if (error instanceof z.ZodError) return sendHtml(reply, page('Bad request', ctx(reply), errorPanel('That address is not valid', error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '))), 400);
      request.log.error({ err: error }, 'Dashboard page failed');
      return sendHtml(reply, page('Error', ctx(reply), errorPanel('This page could not be loaded', 'The service log has the details. Try again in a moment.')), 500);
    }
  };

  app.get('/login', async (request, reply) => {
    const next = safeNext((request.query as Record<string, unknown>).next);
    return sendHtml(reply, loginPage({ csrfToken: reply.generateCsrf(), next }));
  });

  // The app keeps bodies as raw Buffers (webhook signatures need the exact bytes); the sign-in and
  // sign-out forms alone get a parsed urlencoded body, in their own encapsulated context.
  await app.register(async (forms) => {
    forms.removeContentTypeParser('application/x-www-form-urlencoded');
    await forms.register(fastifyFormbody, { bodyLimit: 16 * 1024 });
    forms.post('/login', { preHandler: forms.csrfProtection }, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const next = safeNext(body.next);
      if (!token || !tokenMatches(token, body.token)) {
        const error = token ? 'That token is not right.' : 'No dashboard token is configured on this service.';
        return sendHtml(reply, loginPage({ csrfToken: reply.generateCsrf(), next, error }), 401);
      }
      startSession(request, reply);
      return reply.redirect(next, 303);
    });
    forms.post('/logout', async (_request, reply) => {
      endSession(reply);
      return reply.redirect('/login', 303);
    });
  });

  app.get(
    '/',
    pageRoute(async (request, reply) => {
      const filter = parseListFilter(request.query);
      const repos = deps.config.assemble.serviceRepos;
      const [items, options] = await Promise.all([listForDashboard(deps.db, filter, repos), filterOptions(deps.db, repos)]);
      return page('Incidents', ctx(reply, 'incidents'), incidentsView(items, filter, options, live.progress));
    }),
  );

  app.get('/events', async (request, reply) => {
    live.attach(reply, parseListFilter(request.query));
  });

  app.get(
    '/incidents/:id',
    pageRoute(async (request, reply) => {
      const { id } = IncidentParams.parse(request.params);
      const { run } = IncidentQuery.parse(request.query);
      const incident = await getIncident(deps.db, id);
      if (!incident) {
        sendHtml(reply, page('Not found', ctx(reply, 'incidents'), errorPanel('No such incident', `There is no incident ${id}.`)), 404);
        return undefined;
      }
      const [runs, sha] = await Promise.all([listRuns(deps.db, id), latestBundleSha(deps.db, id)]);
      const content = sha ? await bundleContent(deps.db, deps.artifacts, sha) : null;
      const parsed = content ? Bundle.safeParse(JSON.parse(content.toString('utf8'))) : null;
      const selected = runs.find((r) => r.id === run) ?? runs[0];
      const transcript = selected ? await readTranscriptSummary(deps.config.dataDir, selected.id) : null;
      const publications = new Map((await Promise.all(runs.map((r) => getPublication(deps.db, r.id)))).flatMap((p) => (p ? [[p.runId, p] as const] : [])));
      return page(incident.title, ctx(reply, 'incidents'), incidentView({ incident, bundle: parsed?.success ? parsed.data : null, runs, selected, transcript, publications, traceUiUrl: deps.config.dashboard.traceUiUrl }));
    }),
  );

  app.get(
    '/health',
    pageRoute(async (_request, reply) => {
      const database = await deps.db.ping().then(() => 'ok' as const, () => 'down' as const);
      const redis = deps.redis ? ((await redisAnswers(deps.redis)) ? ('ok' as const) : ('down' as const)) : ('not-configured' as const);
      const queues = await queueCounts(deps.queues);
      const failed: HealthData['failed'] = [];
      if (queues && deps.queues) {
        for (const name of ['assemble', 'reproduce', 'repair'] as const) {
          const jobs = await deps.queues[name].getFailed(0, 4).catch(() => []);
          for (const job of jobs) failed.push({ queue: name, id: String(job.id), reason: job.failedReason ?? '', at: job.finishedOn ? new Date(job.finishedOn).toISOString() : null, attempts: job.attemptsMade });
        }
      }
      return page('Health', ctx(reply, 'health'), healthView({ database, redis, queues, failed, liveClients: live.clientCount }));
    }),
  );

  app.get(
    '/outcomes',
    pageRoute(async (_request, reply) => page('Outcomes', ctx(reply, 'outcomes'), outcomesView(await computeOutcomes(deps.db, { dataDir: deps.config.dataDir })))),
  );

  app.get('/api/outcomes', async () => computeOutcomes(deps.db, { dataDir: deps.config.dataDir }));

  app.get('/metrics', async (_request, reply) => {
    const text = await metrics.render(await computeOutcomes(deps.db, { dataDir: deps.config.dataDir }), await queueCounts(deps.queues));
    return reply.header('content-type', metrics.registry.contentType).send(text);
  });
});
