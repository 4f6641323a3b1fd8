// Redis connections for BullMQ. Producers fail fast while Redis is down (the outbox keeps the job);
// workers wait for Redis as long as it takes (BullMQ requires maxRetriesPerRequest: null there).
import { Redis } from 'ioredis';

export function createProducerConnection(url: string): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  // Connection errors surface as rejected commands; the 'error' event must have a listener or
  // ioredis logs them to stderr on every retry.
  redis.on('error', () => undefined);
  return redis;
}

export function createWorkerConnection(url: string): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  redis.on('error', () => undefined);
  return redis;
}

/** True when Redis answers PING within the timeout. */
export async function redisAnswers(redis: Redis, timeoutMs = 1000): Promise<boolean> {
  try {
    const pong = await Promise.race([
      redis.ping(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref()),
    ]);
    return pong === 'PONG';
  } catch {
    return false;
  }
}
