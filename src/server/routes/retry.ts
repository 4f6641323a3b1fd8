// POST /api/incidents/:id/retry [{engine}]: a new run of one incident (202, or 404 / 409 busy /
// 400 bad engine). POST /api/incidents/retry-failed [{engine}]: every incident whose last run
// failed for a configuration reason. Both are thin over retryIncident() (src/store/retry-incident.ts),
// which the CLI, the dashboard and the GitHub triggers call as well.
import type { ErrorCode } from '../../error-codes.ts';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { RetryBody } from '../../../schemas/retry.ts';
import { RequestError } from '../../errors.ts';
import { retryConfigFailures, RetryError, retryIncident } from '../../store/retry-incident.ts';
import type { AppDeps } from '../deps.ts';
import { IdParams } from './incidents.ts';

const STATUS: Record<RetryError['reason'], number> = { 'not-found': 404, busy: 409, 'engine-unavailable': 400 };
const CODE: Record<RetryError['reason'], ErrorCode> = { 'not-found': 'TF_NO_INCIDENT', busy: 'TF_INCIDENT_BUSY', 'engine-unavailable': 'TF_ENGINE_UNAVAILABLE' };

/** The body is optional; the app keeps bodies raw (for webhook signatures), so it is parsed here. */
function retryBody(request: FastifyRequest): RetryBody {
  const raw = request.body;
  if (!Buffer.isBuffer(raw) || raw.length === 0) return {};
  const type = String(request.headers['content-type'] ?? '');
  let value: unknown;
  if (type.startsWith('application/x-www-form-urlencoded')) {
    value = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  } else {
    try {
      value = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new RequestError(400, 'TF_BAD_JSON', 'The body is not valid JSON');
    }
  }
  return RetryBody.parse(value ?? {});
}

function asRequestError(error: unknown): never {
  if (error instanceof RetryError) throw new RequestError(STATUS[error.reason], CODE[error.reason], error.message);
  throw error;
}

export const retryRoutes: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post('/incidents/:id/retry', async (request, reply) => {
    const { id } = IdParams.parse(request.params);
    const body = retryBody(request);
    const result = await retryIncident(deps.db, deps.config, id, body.engine ? { engine: body.engine } : {}).catch(asRequestError);
    request.log.info({ incidentId: id, engine: result.engine, jobId: result.jobId }, 'Retry queued');
    deps.onJobQueued?.(id);
    return reply.code(202).send(result);
  });

  app.post('/incidents/retry-failed', async (request, reply) => {
    const body = retryBody(request);
    const result = await retryConfigFailures(deps.db, deps.config, body.engine ? { engine: body.engine } : {}).catch(asRequestError);
    request.log.info({ retried: result.retried.length, skipped: result.skipped.length }, 'Bulk retry queued');
    if (result.retried.length) deps.onJobQueued?.(result.retried[0]!.incidentId);
    return reply.code(202).send(result);
  });
};
