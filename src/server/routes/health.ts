import type { FastifyPluginAsync } from 'fastify';
import { redisAnswers } from '../../queue/connection.ts';
import type { AppDeps } from '../deps.ts';

async function redisState(deps: AppDeps): Promise<'ok' | 'down' | 'not-configured'> {
  if (!deps.redis) return 'not-configured';
  return (await redisAnswers(deps.redis)) ? 'ok' : 'down';
}

export const healthRoutes: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  /** Liveness: the process answers. The detail says what a person looking at it wants to know:
   * whether Redis is there (intake keeps working without it; jobs wait in the outbox). */
  app.get('/healthz', async () => ({ status: 'ok', detail: { redis: await redisState(deps) } }));

  /** Readiness is "can accept and store deliveries": the database. With Redis down, intake still
   * accepts (the outbox holds the jobs), so a load balancer must not take this node out; Redis's
   * state is in the body for operators. */
  app.get('/readyz', async (_request, reply) => {
    const database = await deps.db.ping().then(
      () => 'ok' as const,
      () => 'down' as const,
    );
    const redis = await redisState(deps);
    const ready = database === 'ok';
    return reply.code(ready ? 200 : 503).send({
      status: ready ? 'ok' : 'unavailable',
      database,
      redis,
      ...(redis === 'down' ? { note: 'Redis is down: deliveries are accepted and kept in the outbox until it is back' } : {}),
    });
  });
};
