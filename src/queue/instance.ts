// Which database owns a Redis queue prefix. Two tracefix instances with different databases and the
// same prefix (the default `tracefix`) would share queues, and each would take the other's jobs for
// incidents it does not know. So each database has an instance id (made once, stored in it), and
// at startup it is registered in Redis at `<prefix>:instance`; a prefix already registered by
// another database stops startup with a message naming TRACEFIX_QUEUE_PREFIX. The jobs carry the
// id too (workers/run-context.ts leaves a stranger's job for its owner instead of failing it).
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ConfigError } from '../errors.ts';
import type { Db } from '../store/db.ts';

/** The database's instance id, created on first use. Concurrent first starts agree on one. */
export async function instanceId(db: Db): Promise<string> {
  const fresh = `tfi_${randomBytes(8).toString('hex')}`;
  await db.query('insert into instance (singleton, id) values (true, $1) on conflict (singleton) do nothing', [fresh]);
  const [row] = await db.query<{ id: string }>('select id from instance where singleton');
  if (!row) throw new Error('the instance row is missing after insert');
  return row.id;
}

export function instanceKey(prefix: string): string {
  return `${prefix}:instance`;
}

export class PrefixClaimedError extends ConfigError {
  constructor(prefix: string, owner: string, ours: string) {
    const problem =
      `TRACEFIX_QUEUE_PREFIX: the queue prefix "${prefix}" on this Redis belongs to another tracefix database ` +
      `(instance ${owner}; this database is ${ours}). Two databases on one prefix take each other's jobs: ` +
      'give each its own TRACEFIX_QUEUE_PREFIX (or its own Redis). If that database is gone for good, release the ' +
      `prefix with: redis-cli DEL ${instanceKey(prefix)}`;
    super(`Invalid configuration. ${problem}`, [problem]);
  }
}

/**
 * Registers `id` as the owner of `prefix`; resolves when it is (or already was) ours, throws
 * PrefixClaimedError when another database owns it. Redis errors propagate (the caller retries
 * once Redis is back).
 */
export async function claimQueuePrefix(redis: Redis, prefix: string, id: string): Promise<void> {
  const key = instanceKey(prefix);
  await redis.set(key, id, 'NX');
  const owner = await redis.get(key);
  if (owner !== id) throw new PrefixClaimedError(prefix, owner ?? '(none)', id);
}
