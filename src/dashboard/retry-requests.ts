// Re-runs asked for an incident (dashboard, API, CLI, a GitHub comment), for the incident page's
// timeline. retryIncident() records each as an outbox row for a fresh `assemble` job whose id is
// `<incident id>-r…` and whose payload names the engine and, when known, who asked; the row is
// kept after dispatch, so it is the durable record of the request.
import { z } from 'zod';
import type { Queryable } from '../store/db.ts';

export interface RetryRequest {
  at: string;
  engine: string;
  requestedBy: string | undefined;
}

const Payload = z.looseObject({ engine: z.string().max(32).optional(), requestedBy: z.string().max(128).optional() });

export async function retryRequests(db: Queryable, incidentId: string): Promise<RetryRequest[]> {
  const rows = await db.query<{ payload: unknown; createdAt: string | Date }>(
    `select payload, created_at as "createdAt" from outbox where queue = 'assemble' and job_id like $1 order by created_at limit 200`,
    [`${incidentId.replace(/[\\%_]/g, '\\$&')}-r%`],
  );
  return rows.map((row) => {
    const raw = typeof row.payload === 'string' ? (JSON.parse(row.payload) as unknown) : row.payload;
    const payload = Payload.safeParse(raw);
    return {
      at: new Date(row.createdAt).toISOString(),
      engine: payload.success ? (payload.data.engine ?? 'auto') : 'auto',
      requestedBy: payload.success ? payload.data.requestedBy : undefined,
    };
  });
}
