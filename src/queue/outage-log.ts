// While Redis is down every BullMQ worker emits an 'error' on every reconnect attempt (120 warnings
// with stacks in 40 s, measured). An operator needs three lines: it went down, it is still down
// (at most once per `repeatMs`), it came back and for how long it was gone. Other worker errors
// are logged with their stack, each distinct message at most once per `repeatMs`.
import type { Redis } from 'ioredis';
import type { Logger } from '../telemetry.ts';

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN']);

/** A Redis connection failure, as opposed to a bug or a bad job. */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e) return false;
  if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
  return typeof e.message === 'string' && /Connection is closed|connect ECONN|Redis connection|Stream isn't writeable|getaddrinfo/i.test(e.message);
}

export interface OutageLogOptions {
  /** How often a continuing outage, or a repeated error, is logged again. @defaultValue 60000 */
  repeatMs?: number;
  now?: () => number;
}

export class RedisOutageLog {
  readonly #log: Logger;
  readonly #repeatMs: number;
  readonly #now: () => number;
  #downSince: number | undefined;
  #lastLogged = 0;
  #suppressed = 0;
  readonly #otherErrors = new Map<string, number>();

  constructor(log: Logger, options: OutageLogOptions = {}) {
    this.#log = log;
    this.#repeatMs = options.repeatMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** Watches a connection: its 'ready' after an outage is the recovery. */
  watch(connection: Redis): void {
    connection.on('ready', () => this.recovered());
  }

  get down(): boolean {
    return this.#downSince !== undefined;
  }

  /** A worker's 'error' event. */
  error(error: unknown, queue?: string): void {
    const now = this.#now();
    if (isConnectionError(error)) {
      if (this.#downSince === undefined) {
        this.#downSince = now;
        this.#lastLogged = now;
        this.#suppressed = 0;
        this.#log.warn({ error: (error as Error).message, code: (error as { code?: string }).code }, 'Redis is unavailable; workers wait for it');
      } else if (now - this.#lastLogged >= this.#repeatMs) {
        this.#log.warn({ downForMs: now - this.#downSince, suppressed: this.#suppressed }, 'Redis is still unavailable');
        this.#lastLogged = now;
        this.#suppressed = 0;
      } else {
        this.#suppressed++;
      }
      return;
    }
    const key = `${queue ?? ''}|${(error as Error)?.message ?? String(error)}`;
    const last = this.#otherErrors.get(key);
    if (last !== undefined && now - last < this.#repeatMs) return;
    if (this.#otherErrors.size > 1000) this.#otherErrors.clear();
    this.#otherErrors.set(key, now);
    this.#log.warn({ err: error, queue }, 'Worker error');
  }

  recovered(): void {
    if (this.#downSince === undefined) return;
    const now = this.#now();
    this.#log.info({ downForMs: now - this.#downSince, suppressed: this.#suppressed }, 'Redis is available again');
    this.#downSince = undefined;
    this.#suppressed = 0;
  }
}
