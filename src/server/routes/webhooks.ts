// POST /webhooks/<source>: verify → parse → one durable write → answer. Everything after the
// write is asynchronous (Sentry unsubscribes endpoints that answer slower than 1 s).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { RequestError } from '../../errors.ts';
import type { Delivery } from '../../intake/types.ts';
import { recordOutcome } from '../../store/incident-store.ts';
import { instrument } from '../../telemetry.ts';
import type { AppDeps } from '../app.ts';
import { WEBHOOK_SOURCES, type WebhookSource } from './webhook-sources.ts';

export const webhookRoutes: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  for (const source of WEBHOOK_SOURCES) {
    app.post(source.path, (request, reply) =>
      instrument(`intake.${source.name}`, { 'tracefix.source': source.name }, () => receive(source, request, reply, deps)),
    );
  }
};

async function receive(source: WebhookSource, request: FastifyRequest, reply: FastifyReply, deps: AppDeps) {
  const { config } = deps;
  const missing = source.missingConfig(config);
  if (missing) {
    request.log.warn({ source: source.name, variable: missing }, 'Webhook source is not configured; set the variable');
    throw new RequestError(503, 'TF_SOURCE_NOT_CONFIGURED', `${source.name} intake is not configured on this server`);
  }
  if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
    throw new RequestError(400, 'TF_EMPTY_BODY', 'The request has no body');
  }
  const delivery: Delivery = { raw: request.body, headers: request.headers, receivedAt: new Date() };
  const denied = source.authenticate(delivery, config, request.params as Record<string, string>);
  if (denied) throw new RequestError(401, 'TF_UNAUTHENTICATED', denied);

  const outcome = await source.parse(delivery, deps);
  const deliveryId = outcome.kind === 'alert' ? outcome.alert.deliveryId : outcome.deliveryId;
  const result = await recordOutcome(deps.db, outcome);
  const log = request.log.child({ deliveryId, ...('incidentId' in result && result.incidentId ? { incidentId: result.incidentId } : {}) });
  log.info({ source: source.name, status: result.status }, 'Delivery recorded');
  if (result.status === 'created') deps.onIncidentCreated?.(result.incidentId);
  const accepted = result.status === 'created' || result.status === 'attached';
  return reply.code(accepted ? 202 : 200).send({ deliveryId, ...result });
}
