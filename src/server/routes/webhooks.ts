// POST /webhooks/<source>: verify → parse → one durable write → answer. Everything after the
// write is asynchronous (Sentry unsubscribes endpoints that answer slower than 1 s). The write
// goes through the app's IntakeWriter, which shares statements between concurrent deliveries.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { RequestError } from '../../errors.ts';
import { header, type Delivery } from '../../intake/types.ts';
import { handlePullRequestEvent } from '../../publish/pull-request-webhook.ts';
import { handleRetryComment } from '../../publish/retry-comment.ts';
import type { RecordResult } from '../../store/incident-store.ts';
import type { IntakeWriter } from '../../store/intake-writer.ts';
import { describeStoreFailure } from '../../store/store-failure.ts';
import { instrument } from '../../telemetry.ts';
import type { AppDeps } from '../deps.ts';
import { noteForLog } from '../request-log.ts';
import { WEBHOOK_SOURCES, type WebhookSource } from '../../intake/webhook-sources.ts';

export const webhookRoutes: FastifyPluginAsync<{ deps: AppDeps; writer: IntakeWriter }> = async (app, { deps, writer }) => {
  for (const source of WEBHOOK_SOURCES) {
    app.post(source.path, (request, reply) =>
      instrument(`intake.${source.name}`, { 'tracefix.source': source.name }, () => receive(source, request, reply, deps, writer)),
    );
  }
};

async function receive(source: WebhookSource, request: FastifyRequest, reply: FastifyReply, deps: AppDeps, writer: IntakeWriter) {
  const { config } = deps;
  const missing = source.missingConfig(config);
  if (missing) {
    request.log.warn({ source: source.name, variable: missing }, 'Webhook source is not configured; set the variable');
    throw new RequestError(503, 'TF_SOURCE_NOT_CONFIGURED', `${source.name} intake is not configured on this server: set ${missing}`, [
      { path: missing, message: 'not set on the server' },
    ]);
  }
  const type = String(request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!source.contentTypes.includes(type)) {
    throw new RequestError(415, 'TF_UNSUPPORTED_MEDIA_TYPE', `Content-Type ${type || '(none)'} is not accepted by ${source.name} intake; send ${source.contentTypes.join(' or ')}`);
  }
  if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
    throw new RequestError(400, 'TF_EMPTY_BODY', 'The request has no body');
  }
  const delivery: Delivery = { raw: request.body, headers: request.headers, receivedAt: new Date() };
  const denied = source.authenticate(delivery, config, request.params as Record<string, string>);
  if (denied) throw new RequestError(401, 'TF_UNAUTHENTICATED', denied);

  // A tracefix PR closed (merged or not): its publication records it; the delivery itself is
  // recorded as ignored by the issue intake below.
  if (source.name === 'github') {
    try {
      await handlePullRequestEvent(deps.db, header(delivery, 'x-github-event'), request.body);
    } catch (error) {
      request.log.error({ err: error }, 'Pull request event could not be stored');
      throw new RequestError(503, 'TF_STORE_FAILED', `The delivery could not be stored: ${describeStoreFailure(error)}; deliver it again later`);
    }
  }
  const outcome = await source.parse(delivery, deps);
  const deliveryId = outcome.kind === 'alert' ? outcome.alert.deliveryId : outcome.deliveryId;
  noteForLog(request, { source: source.name, deliveryId });
  let result: RecordResult;
  try {
    result = await writer.record(outcome);
  } catch (error) {
    request.log.error({ err: error, deliveryId }, 'Delivery could not be stored');
    // Nothing of this delivery was committed: the sender may deliver it again.
    throw new RequestError(503, 'TF_STORE_FAILED', `The delivery could not be stored: ${describeStoreFailure(error)}; it was not accepted, deliver it again later`);
  }
  noteForLog(request, { status: result.status, ...('incidentId' in result && result.incidentId ? { incidentId: result.incidentId } : {}) });
  if (result.status === 'created') deps.onIncidentCreated?.(result.incidentId);
  // A `/tracefix retry` comment acts once: after its delivery is recorded, never on a redelivery.
  if (source.name === 'github' && result.status === 'ignored') await retryFromComment(deps, request, delivery);
  const accepted = result.status === 'created' || result.status === 'attached';
  return reply.code(accepted ? 202 : 200).send({ deliveryId, ...result });
}

async function retryFromComment(deps: AppDeps, request: FastifyRequest, delivery: Delivery): Promise<void> {
  try {
    const outcome = await handleRetryComment({ db: deps.db, config: deps.config, ...(deps.fetch ? { fetch: deps.fetch } : {}) }, header(delivery, 'x-github-event'), delivery.raw);
    if (outcome?.kind === 'retried') {
      request.log.info({ incidentId: outcome.result.incidentId, engine: outcome.result.engine }, 'Retry requested by a GitHub comment');
      deps.onJobQueued?.(outcome.result.incidentId);
    } else if (outcome) request.log.info({ reason: outcome.reason }, 'GitHub retry comment ignored');
  } catch (error) {
    // The delivery is recorded; a GitHub outage during the permission check must not turn it into a 5xx.
    request.log.warn({ err: error }, 'GitHub retry comment could not be handled');
  }
}
