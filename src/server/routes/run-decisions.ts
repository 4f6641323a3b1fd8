// A person's decision on a fixed run waiting for approval (TRACEFIX_PUBLISH=approval, or a
// repository's .tracefix.yml): POST /api/runs/:id/approve and /reject. Kept in its own plugin so
// the dashboard's authentication can wrap it. Until that lands, who decided is the `by` field of
// the JSON body (a login or an email), recorded with the time on the run's publication.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { RequestError } from '../../errors.ts';
import { DecisionConflictError, decideRun, getPublication } from '../../store/publication-store.ts';
import { getRun } from '../../store/run-store.ts';
import type { AppDeps } from '../deps.ts';

const RunParams = z.object({ id: z.string().regex(/^run-[A-Za-z0-9]{1,12}-[0-9a-f]{8}$/, 'not a run id') });
const Approve = z.strictObject({ by: z.string().trim().min(1).max(200) });
const Reject = z.strictObject({ by: z.string().trim().min(1).max(200), reason: z.string().trim().min(1, 'say why the fix is rejected').max(4000) });

/** Bodies reach routes as raw Buffers (raw-body.ts, for webhook signatures): parsed here. */
function jsonBody(body: unknown): unknown {
  if (!Buffer.isBuffer(body)) return body ?? {};
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new RequestError(400, 'TF_BAD_JSON', 'The body is not JSON');
  }
}

export const runDecisionRoutes: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  const decide = async (id: string, decision: 'approve' | 'reject', by: string, reason?: string) => {
    const run = await getRun(deps.db, id);
    if (!run) throw new RequestError(404, 'TF_NO_RUN', `No run ${id}`);
    if (run.status !== 'fixed') throw new RequestError(409, 'TF_RUN_NOT_FIXED', `Run ${id} is ${run.status}: only a fixed run can be approved or rejected`);
    try {
      const publication = await decideRun(deps.db, { runId: id, incidentId: run.incidentId, decision, by, ...(reason ? { reason } : {}) });
      // The approval's publish job is in the outbox: drain it now rather than on the next poll.
      if (decision === 'approve') deps.onIncidentCreated?.(run.incidentId);
      return publication;
    } catch (error) {
      if (error instanceof DecisionConflictError) throw new RequestError(409, 'TF_ALREADY_PUBLISHED', error.message);
      throw error;
    }
  };

  app.post('/runs/:id/approve', async (request) => {
    const { id } = RunParams.parse(request.params);
    const body = Approve.parse(jsonBody(request.body));
    return decide(id, 'approve', body.by);
  });

  app.post('/runs/:id/reject', async (request) => {
    const { id } = RunParams.parse(request.params);
    const body = Reject.parse(jsonBody(request.body));
    return decide(id, 'reject', body.by, body.reason);
  });

  /** What the publish stage did with the run: state, PR, approval, merge. */
  app.get('/runs/:id/publication', async (request) => {
    const { id } = RunParams.parse(request.params);
    const publication = await getPublication(deps.db, id);
    if (!publication) throw new RequestError(404, 'TF_NO_PUBLICATION', `Run ${id} has no publication yet`);
    return publication;
  });
};
