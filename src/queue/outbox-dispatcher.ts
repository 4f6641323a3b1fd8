// Moves outbox rows into BullMQ. Runs in `tracefix worker` (and inline in `tracefix serve` on the
// embedded defaults). While Redis is down rows wait in the outbox, and are enqueued when it is back.
import { QueueName } from '../../schemas/jobs.ts';
import type { Db } from '../store/db.ts';
import { drainOutbox, type OutboxRow } from '../store/outbox.ts';
import type { Logger } from '../telemetry.ts';
import type { Queues } from './producers.ts';
import { withTimeout } from '../timeout.ts';

const ADD_TIMEOUT_MS = 5000;

export interface OutboxDispatcherOptions {
  db: Db;
  queues: Queues;
  log: Logger;
  /** Poll interval when idle; failures back off up to 10× this. */
  intervalMs: number;
  batchSize?: number;
  /** This database's instance id, added to every job (src/queue/instance.ts). */
  instanceId?: string;
}

export class OutboxDispatcher {
  readonly #options: OutboxDispatcherOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;
  #failures = 0;

  constructor(options: OutboxDispatcherOptions) {
    this.#options = options;
  }

  start(): void {
    this.#stopped = false;
    this.nudge();
  }

  /** Drain now (a webhook was just accepted) instead of waiting for the next poll. */
  nudge(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = this.#drainAll().finally(() => {
      this.#running = undefined;
      if (this.#stopped) return;
      if (this.#again) {
        this.#again = false;
        this.nudge();
        return;
      }
      const delay = this.#options.intervalMs * Math.min(2 ** this.#failures, 10);
      this.#timer = setTimeout(() => this.nudge(), delay);
      this.#timer.unref();
    });
  }

  /** Drains until the outbox is empty or delivery fails. Exposed for tests and the CLI. */
  async drainOnce(): Promise<number> {
    let total = 0;
    const limit = this.#options.batchSize ?? 100;
    for (;;) {
      const { delivered, error } = await drainOutbox(this.#options.db, (row) => this.#deliver(row), limit);
      total += delivered;
      if (error) throw error;
      if (delivered < limit) return total;
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  async #drainAll(): Promise<void> {
    try {
      const delivered = await this.drainOnce();
      if (delivered > 0) this.#options.log.debug({ delivered }, 'Outbox rows enqueued');
      if (this.#failures > 0) this.#options.log.info('Outbox dispatch recovered');
      this.#failures = 0;
    } catch (error) {
      if (this.#failures === 0) {
        this.#options.log.warn({ err: error }, 'Outbox dispatch failed; rows stay pending and will be retried');
      }
      this.#failures++;
    }
  }

  async #deliver(row: OutboxRow): Promise<void> {
    const { queues } = this.#options;
    // BullMQ's add() waits for a connection rather than failing; with Redis down that would hold
    // the outbox transaction open indefinitely.
    if (!queues.ready()) throw new Error('Redis is not connected');
    const queue = queues[QueueName.parse(row.queue)];
    // jobId = incident id: if a crash lands between add() and the outbox update, the re-add is
    // recognised by BullMQ as the same job and not run twice.
    const { instanceId } = this.#options;
    const payload = instanceId && row.payload && typeof row.payload === 'object' ? { ...(row.payload as object), instance: instanceId } : row.payload;
    await withTimeout(queue.add(row.queue, payload, { jobId: row.jobId }), ADD_TIMEOUT_MS, 'Redis did not answer');
  }
}
