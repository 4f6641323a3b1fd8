// Redis connections for BullMQ. Producers fail fast while Redis is down (the outbox keeps the job);
// workers wait for Redis as long as it takes (BullMQ requires maxRetriesPerRequest: null there).
import { Redis } from 'ioredis';
import { withTimeout } from '../timeout.ts';
import type { RedisOutageLog } from './outage-log.ts';

/** `outage`: where connection errors go (one line per outage, not one per reconnect attempt). */
export function createProducerConnection(url: string, outage?: RedisOutageLog): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  // Connection errors also surface as rejected commands, which their callers handle.
  watchConnection(redis, outage);
  return redis;
}

export function createWorkerConnection(url: string, outage?: RedisOutageLog): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  watchConnection(redis, outage);
  return redis;
}

/** True when Redis answers PING within the timeout. */
export async function redisAnswers(redis: Redis, timeoutMs = 1000): Promise<boolean> {
  try {
    const pong = await withTimeout(redis.ping(), timeoutMs, 'Redis did not answer PING');
    return pong === 'PONG';
  } catch {
    return false;
  }
}

/** ioredis needs an 'error' listener (else it prints every reconnect attempt to stderr). */
function watchConnection(redis: Redis, outage: RedisOutageLog | undefined): void {
  redis.on('error', (error: Error) => outage?.error(error));
  outage?.watch(redis);
}
