// Group commit for the database trace store. Rows from concurrent exports are gathered and written
// with one multi-row INSERT per chunk. There is no fixed delay: rows added while the database is
// idle are written on the next turn of the event loop (so one request's rows and any that arrived
// with it go together); rows added while a write is running wait for it and then go together as
// the next write. Under load, batches grow by themselves; at rest, latency stays at one write.
// Each writer's promise settles when its rows are committed (or failed), so an OTLP client is
// answered 200 only for stored data and retries a failure.

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface BatcherOptions {
  /** Rows per INSERT statement (a flush of more rows writes several). */
  batchSize: number;
  /** Extra wait before writing a partial buffer while idle, to gather more rows. Default 0. */
  intervalMs?: number;
}

export class WriteBatcher<T> {
  #pending: T[] = [];
  #waiters: Waiter[] = [];
  #scheduled = false;
  #inFlight: Promise<void> | undefined;
  readonly #write: (rows: T[]) => Promise<void>;
  readonly #options: BatcherOptions;

  constructor(write: (rows: T[]) => Promise<void>, options: BatcherOptions) {
    this.#write = write;
    this.#options = options;
  }

  add(rows: readonly T[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    for (const row of rows) this.#pending.push(row);
    const settled = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    this.#schedule();
    return settled;
  }

  #schedule(): void {
    // While a write runs, #run picks the rows up when it ends; otherwise one flush is scheduled.
    if (this.#scheduled || this.#inFlight) return;
    this.#scheduled = true;
    const go = () => {
      this.#scheduled = false;
      void this.flush();
    };
    const delay = this.#options.intervalMs ?? 0;
    if (delay > 0 && this.#pending.length < this.#options.batchSize) setTimeout(go, delay).unref();
    else setImmediate(go);
  }

  /** Writes everything buffered now; never rejects (the writers' promises carry the errors). */
  async flush(): Promise<void> {
    while (this.#inFlight) await this.#inFlight;
    if (this.#pending.length === 0) return;
    this.#inFlight = this.#run().finally(() => {
      this.#inFlight = undefined;
      // Rows added between #run's last check and now found a write "in flight" and were not scheduled.
      if (this.#pending.length > 0) this.#schedule();
    });
    await this.#inFlight;
  }

  /** Writes batches until nothing is pending: rows that arrive during a write go next. */
  async #run(): Promise<void> {
    while (this.#pending.length > 0) {
      const rows = this.#pending;
      const waiters = this.#waiters;
      this.#pending = [];
      this.#waiters = [];
      try {
        for (let i = 0; i < rows.length; i += this.#options.batchSize) {
          await this.#write(rows.slice(i, i + this.#options.batchSize));
        }
        for (const w of waiters) w.resolve();
      } catch (error) {
        for (const w of waiters) w.reject(error);
      }
    }
  }

  get pending(): number {
    return this.#pending.length;
  }
}
