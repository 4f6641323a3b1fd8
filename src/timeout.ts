// The one promise-with-a-deadline helper: the promise's own result, or a TimeoutError after `ms`.
// The timer is cleared as soon as either side settles. The promise itself is not cancelled: pass
// an AbortSignal to it where it takes one.
import { AppError } from './errors.ts';

export class TimeoutError extends AppError {
  constructor(message: string) {
    super('TF_TIMEOUT', message);
  }
}

/** Rejects with TimeoutError(`${what} within ${ms} ms`) when `promise` has not settled in time. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    // Not unref'd: a caller awaiting only this (a PING to a Redis that is down) must still get its
    // rejection rather than the process ending with the promise pending.
    timer = setTimeout(() => reject(new TimeoutError(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
