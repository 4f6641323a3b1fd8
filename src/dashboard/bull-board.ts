// Bull Board under /admin/queues, read-only: it shows queue depths, jobs and failures; retrying or
// cleaning jobs is not offered (re-runs go through the incident's Re-run action). Bull Board's UI
// sets element styles at runtime, so its pages alone allow inline styles; scripts stay 'self' only.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import type { Queues } from '../queue/producers.ts';

export const BULL_BOARD_PATH = '/admin/queues';

export async function mountBullBoard(app: FastifyInstance, queues: Queues): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: (['assemble', 'reproduce', 'repair'] as const).map((name) => new BullMQAdapter(queues[name], { readOnlyMode: true, allowRetries: false })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'tracefix queues' } },
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith(BULL_BOARD_PATH)) {
      const csp = reply.getHeader('content-security-policy');
      if (typeof csp === 'string') reply.header('content-security-policy', csp.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"));
    }
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
}
