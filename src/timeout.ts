// The one promise-with-a-deadline helper: the promise's own result, or a TimeoutError after `ms`.
// The timer never keeps the process alive and is cleared as soon as either side settles. (The
// promise itself is not cancelled: pass an AbortSignal to it where it takes one.)
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
    timer = setTimeout(() => reject(new TimeoutError(`${what} within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
