import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { INCIDENT_STATUSES, IncidentStatus } from '../../../schemas/incident-status.ts';
import { RequestError } from '../../errors.ts';
import { getIncident, getIncidentAlerts, InvalidCursorError, listIncidents } from '../../store/incident-store.ts';
import { bundleContent, latestBundleSha } from '../../store/bundle-store.ts';
import { getRun, listRuns } from '../../store/run-store.ts';
import type { AppDeps } from '../deps.ts';

const ListQuery = z.object({
  status: z.string().max(64).optional(),
  source: z.enum(['sentry', 'datadog', 'github', 'otlp', 'ci']).optional(),
  service: z.string().max(256).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
});

export const IdParams = z.object({ id: z.string().regex(/^inc_[0-9a-z]{9}[0-9a-f]{16}$/, 'not an incident id') });
const RunParams = z.object({ id: z.string().regex(/^run-[A-Za-z0-9]{1,12}-[0-9a-f]{8}$/, 'not a run id') });

export const incidentRoutes: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get('/incidents', async (request) => {
    const query = ListQuery.parse(request.query);
    // An unknown status would silently match nothing: say which ones exist.
    if (query.status !== undefined && !IncidentStatus.safeParse(query.status).success) {
      throw new RequestError(400, 'TF_BAD_STATUS', `status must be one of: ${INCIDENT_STATUSES.join(', ')}`, [
        { path: 'status', message: `allowed values: ${INCIDENT_STATUSES.join(', ')}` },
      ]);
    }
    try {
      return await listIncidents(deps.db, query);
    } catch (error) {
      if (!(error instanceof InvalidCursorError)) throw error;
      throw new RequestError(400, 'TF_BAD_CURSOR', 'cursor is not one this API returned', [
        { path: 'cursor', message: 'use the nextCursor of a previous page' },
      ]);
    }
  });

  app.get('/incidents/:id', async (request) => {
    const { id } = IdParams.parse(request.params);
    const incident = await getIncident(deps.db, id);
    if (!incident) throw new RequestError(404, 'TF_NO_INCIDENT', `No incident ${id}`);
    return { ...incident, alerts: await getIncidentAlerts(deps.db, id) };
  });

  /** The latest evidence bundle: canonical JSON, with its sha256 in ETag. */
  app.get('/incidents/:id/bundle', async (request, reply) => {
    const { id } = IdParams.parse(request.params);
    if (!(await getIncident(deps.db, id))) throw new RequestError(404, 'TF_NO_INCIDENT', `No incident ${id}`);
    const sha256 = await latestBundleSha(deps.db, id);
    const content = sha256 ? await bundleContent(deps.db, deps.artifacts, sha256) : null;
    if (!sha256 || !content) {
      throw new RequestError(404, 'TF_NO_BUNDLE', `Incident ${id} has no bundle yet; it is assembled asynchronously`);
    }
    return reply.header('content-type', 'application/json; charset=utf-8').header('etag', `"${sha256}"`).send(content);
  });

  /** The incident's repair runs, newest first: status, reason, and the Run record when finished. */
  app.get('/incidents/:id/runs', async (request) => {
    const { id } = IdParams.parse(request.params);
    if (!(await getIncident(deps.db, id))) throw new RequestError(404, 'TF_NO_INCIDENT', `No incident ${id}`);
    return { items: await listRuns(deps.db, id) };
  });

  app.get('/runs/:id', async (request) => {
    const { id } = RunParams.parse(request.params);
    const run = await getRun(deps.db, id);
    if (!run) throw new RequestError(404, 'TF_NO_RUN', `No run ${id}`);
    return run;
  });
};
