// buildApp(deps) → a Fastify instance that never listens by itself: tests drive it with inject(),
// src/cli/serve.ts calls listen(). Entry points own the lifecycle of every dependency.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { dashboardAuth } from '../dashboard/auth.ts';
import { LiveFeed } from '../dashboard/live.ts';
import { dashboardRoutes } from '../dashboard/plugin.ts';
import { otlpRoutes } from '../intake/otlp/plugin.ts';
import type { IntakeOutcome } from '../intake/types.ts';
import { IntakeWriter } from '../store/intake-writer.ts';
import { errorHandler, notFoundHandler } from './error-handler.ts';
import { acceptRawBodies } from './raw-body.ts';
import { declareLogFields, OneLineLogController } from './request-log.ts';
import { healthRoutes } from './routes/health.ts';
import { incidentRoutes } from './routes/incidents.ts';
import { retryRoutes } from './routes/retry.ts';
import { runDecisionRoutes } from './routes/run-decisions.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import type { AppDeps } from './deps.ts';

export async function buildApp(given: AppDeps): Promise<FastifyInstance> {
  // The dashboard's live feed hears of new incidents from intake and of progress from the queues.
  const live = new LiveFeed({ db: given.db, log: given.log, serviceRepos: given.config.assemble.serviceRepos });
  const deps: AppDeps = {
    ...given,
    onIncidentCreated: (incidentId) => {
      live.incidentChanged(incidentId, true);
      given.onIncidentCreated?.(incidentId);
    },
  };
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: deps.config.bodyLimit,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    // Webhook senders retry on 5xx; a slow client must not hold a connection forever.
    requestTimeout: 30_000,
    return503OnClosing: true,
    logController: new OneLineLogController(),
  });
  declareLogFields(app);
  acceptRawBodies(app, deps.config.bodyLimit);
  // Every durable intake write of this app goes through one writer, so concurrent deliveries share
  // statements (group commit). Requests await their own write; closing waits for the last batch.
  const writer = new IntakeWriter(deps.db, {
    onBatchError: (error, size) => deps.log.warn({ err: error, size }, 'Batch write failed; writing its deliveries one at a time'),
  });
  app.addHook('onClose', () => writer.drain());
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  const token = deps.dashboardToken ?? deps.config.dashboard.token;
  if (deps.queues) live.listenToQueues(deps.config.redisUrl, deps.config.queuePrefix);
  // Open event streams would hold close() forever: end them first.
  app.addHook('preClose', () => live.close());
  app.decorate('live', live);
  await app.register(dashboardAuth, { token });
  await app.register(dashboardRoutes, { deps, token, live });
  await app.register(healthRoutes, { deps });
  await app.register(incidentRoutes, { deps, prefix: '/api' });
  await app.register(retryRoutes, { deps, prefix: '/api' });
  await app.register(runDecisionRoutes, { deps, prefix: '/api' });
  await app.register(webhookRoutes, { deps, writer, prefix: '/webhooks' });
  if (deps.traceStore) {
    // No prefix: exporters append /v1/traces and /v1/logs to OTEL_EXPORTER_OTLP_ENDPOINT.
    await app.register(otlpRoutes, {
      traceStore: deps.traceStore,
      config: deps.config,
      onAlerts: (outcomes) => recordOtlpAlerts(deps, writer, outcomes),
    });
  }
  return app;
}

/** Error spans and exception logs that pass the opt-in rule become incidents like any webhook. */
async function recordOtlpAlerts(deps: AppDeps, writer: IntakeWriter, outcomes: IntakeOutcome[]): Promise<void> {
  // Together, so they share a statement; each created incident is announced even if another failed.
  const settled = await Promise.allSettled(outcomes.map((outcome) => writer.record(outcome)));
  for (const s of settled) {
    if (s.status === 'fulfilled' && s.value.status === 'created') deps.onIncidentCreated?.(s.value.incidentId);
  }
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
}
