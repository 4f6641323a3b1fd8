import type { FastifyPluginAsync } from 'fastify';
import { redisAnswers } from '../../queue/connection.ts';
import type { AppDeps } from '../app.ts';

export const healthRoutes: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  /** Liveness: the process answers. */
  app.get('/healthz', async () => ({ status: 'ok' }));

  /** Readiness: the database and Redis answer. Intake still accepts with Redis down (the outbox
   * holds the jobs), so this is for operators and orchestrators, not for the webhook path. */
  app.get('/readyz', async (_request, reply) => {
    const database = await deps.db.ping().then(
      () => 'ok' as const,
      () => 'down' as const,
    );
    const redis = deps.redis ? ((await redisAnswers(deps.redis)) ? 'ok' : 'down') : 'not-configured';
    const ready = database === 'ok' && redis === 'ok';
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', database, redis });
  });
};
