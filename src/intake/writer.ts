// Group commit for intake. A webhook is answered only once its delivery, alert, incident and outbox
// row are durable, and one statement per delivery made the database the bottleneck: each statement
// costs a round trip to Postgres (or a call into PGlite's WASM engine) and a commit, whatever its
// size. So the alerts of concurrent deliveries are written together, in one statement
// (recordAlerts) and so one transaction. There is no timer: alerts that arrive while the database
// is idle are written on the next turn of the event loop (together with any that arrived in the
// same turn), and alerts that arrive while a batch is being written go together as the next one.
// At rest a delivery waits for one write, as before; under load batches grow by themselves.
//
// Each caller's promise settles with its own delivery's result. When a batch statement fails, its
// deliveries are written again one at a time, so a delivery the database refuses fails alone and
// the rest of its batch is stored. A delivery id that is twice in one batch is written once; the
// second answers as a redelivery of the first (recordAlerts).
import type { Alert } from '../../schemas/alert.ts';
import type { IntakeOutcome } from './types.ts';
import { currentTraceparent } from '../telemetry.ts';
import type { Db } from '../store/db.ts';
import { recordOutcome, type RecordResult } from '../store/incident-store.ts';
import { recordAlerts } from '../store/record-alerts.ts';

interface Waiting {
  alert: Alert;
  traceparent?: string;
  resolve(result: RecordResult): void;
  reject(error: unknown): void;
}

export interface IntakeWriterOptions {
  /** Deliveries per statement; more wait for the next one. Default 100. */
  maxBatch?: number;
  /** Told when a batch statement failed and its deliveries are being written one at a time. */
  onBatchError?(error: unknown, size: number): void;
}

export class IntakeWriter {
  readonly #db: Db;
  readonly #maxBatch: number;
  readonly #onBatchError: IntakeWriterOptions['onBatchError'];
  #waiting: Waiting[] = [];
  #scheduled = false;
  #writing: Promise<void> | undefined;

  constructor(db: Db, options: IntakeWriterOptions = {}) {
    this.#db = db;
    this.#maxBatch = options.maxBatch ?? 100;
    this.#onBatchError = options.onBatchError;
  }

  /** Durably records one outcome; resolves once it is committed. */
  record(outcome: IntakeOutcome): Promise<RecordResult> {
    // Ignored deliveries are rare and carry no incident: written on their own.
    if (outcome.kind !== 'alert') return recordOutcome(this.#db, outcome);
    return new Promise<RecordResult>((resolve, reject) => {
      // Taken now, in the request's context: the batch is written later, outside it.
      const traceparent = currentTraceparent();
      this.#waiting.push({ alert: outcome.alert, ...(traceparent ? { traceparent } : {}), resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves when everything recorded so far is written (or failed). */
  async drain(): Promise<void> {
    while (this.#writing || this.#scheduled || this.#waiting.length > 0) {
      if (this.#writing) await this.#writing;
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  #schedule(): void {
    // One batch at a time. Overlapping batches (tried on Postgres) were smaller, waited on each
    // other for the same incident rows, and gave less throughput, not more.
    if (this.#scheduled || this.#writing) return;
    this.#scheduled = true;
    // setImmediate runs after the event loop's I/O phase, so every delivery parsed in this turn
    // joins the batch (PGlite blocks the loop while it writes: those deliveries arrive together).
    setImmediate(() => {
      this.#scheduled = false;
      this.#writing = this.#writeBatch().finally(() => {
        this.#writing = undefined;
        if (this.#waiting.length > 0) this.#schedule();
      });
    });
  }

  async #writeBatch(): Promise<void> {
    const batch = this.#waiting.splice(0, this.#maxBatch);
    let results: RecordResult[];
    try {
      const traceparents = new Map(batch.map((w) => [w.alert, w.traceparent]));
      results = await recordAlerts(this.#db, batch.map((w) => w.alert), (alert) => traceparents.get(alert));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // The statement rolled back whole: nothing of the batch is stored. Writing each delivery on
      // its own isolates the one the database refuses (or, if the database is down, fails each).
      this.#onBatchError?.(error, batch.length);
      for (const w of batch) {
        try {
          w.resolve(await recordOutcome(this.#db, { kind: 'alert', alert: w.alert }, w.traceparent));
        } catch (single) {
          w.reject(single);
        }
      }
      return;
    }
    batch.forEach((w, i) => w.resolve(results[i] as RecordResult));
  }
}
