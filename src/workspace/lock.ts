// Serializes work on one mirror: concurrent fetches into the same bare repository fight over ref
// locks. In-process callers queue on a promise; other processes (several workers on one host
// sharing the data dir) meet at a lock directory, created atomically by mkdir.
import { mkdir, rm, stat, utimes } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

const queues = new Map<string, Promise<unknown>>();

export interface LockOptions {
  /** Give up waiting after this long. @defaultValue 600000 */
  timeoutMs?: number;
  /** A lock not refreshed for this long belongs to a dead process. @defaultValue 900000 */
  staleMs?: number;
}

async function acquire(dir: string, options: LockOptions): Promise<() => Promise<void>> {
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  const staleMs = options.staleMs ?? 900_000;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    try {
      await mkdir(dir);
      // Refresh while held, so a long fetch is not mistaken for a dead holder.
      const timer = setInterval(() => void utimes(dir, new Date(), new Date()).catch(() => undefined), Math.max(1000, staleMs / 3));
      timer.unref();
      return async () => {
        clearInterval(timer);
        await rm(dir, { recursive: true, force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const age = await stat(dir).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > staleMs) {
      await rm(dir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for the lock ${dir}`);
    await sleep(delay);
  }
}

/** Runs fn while holding the lock named by `dir` (a path that must not otherwise exist). */
export async function withLock<T>(dir: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const previous = queues.get(dir) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(async () => {
    const release = await acquire(dir, options);
    try {
      return await fn();
    } finally {
      await release();
    }
  });
  queues.set(dir, run);
  try {
    return await run;
  } finally {
    if (queues.get(dir) === run) queues.delete(dir);
  }
}
