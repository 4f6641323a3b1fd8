// The transactional outbox: a row written in the same statement as the incident (see
// recordOutcome), moved to BullMQ by the dispatcher. An accepted webhook is durable before Redis sees it.
import type { QueueName } from '../../schemas/jobs.ts';
import type { Db, Queryable } from './db.ts';

export interface OutboxRow {
  id: number;
  queue: QueueName;
  jobId: string;
  payload: unknown;
  attempts: number;
}

/** Claims up to `limit` pending rows, hands them to `deliver` in id order, and marks those it
 * delivered. Stops at the first failure (Redis is down: the rest would fail too); that row keeps
 * its place with the error recorded. Returns how many were delivered. */
export async function drainOutbox(
  db: Db,
  deliver: (row: OutboxRow) => Promise<void>,
  limit = 100,
): Promise<{ delivered: number; error?: unknown }> {
  return db.transaction(async (tx) => {
    // skip locked: several dispatchers (one per worker host) share one Postgres without handing
    // the same row out twice at once.
    const rows = await tx.query<OutboxRow>(
      `select id, queue, job_id as "jobId", payload, attempts from outbox
       where dispatched_at is null order by id limit $1 for update skip locked`,
      [limit],
    );
    let delivered = 0;
    for (const row of rows) {
      try {
        await deliver({ ...row, payload: typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload });
      } catch (error) {
        await tx.query('update outbox set attempts = attempts + 1, last_error = $2 where id = $1', [
          row.id,
          String((error as Error).message ?? error).slice(0, 500),
        ]);
        return { delivered, error };
      }
      await tx.query('update outbox set dispatched_at = now(), attempts = attempts + 1, last_error = null where id = $1', [
        row.id,
      ]);
      delivered++;
    }
    return { delivered };
  });
}

export async function countPendingOutbox(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: number | string }>('select count(*) as n from outbox where dispatched_at is null');
  return Number(row?.n ?? 0);
}
