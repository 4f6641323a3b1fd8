// The trace store in Postgres or PGlite (tables from migration 002-traces.sql). Writes are
// group-committed (write-batcher.ts): concurrent exports share one INSERT per chunk, and each
// writer is answered once its rows are committed. SQL and row mapping: db-trace-sql.ts.
import type { LogRecord, SpanRecord } from '../../schemas/telemetry.ts';
import type { Db } from '../store/db.ts';
import {
  INSERT_LOGS,
  INSERT_SPANS,
  logFromRow,
  logParams,
  SELECT_LOGS,
  SELECT_SPANS,
  spanFromRow,
  spanParams,
  SWEEP,
  type LogRow,
  type SpanRow,
} from './db-trace-sql.ts';
import {
  DEFAULT_MAX_LOGS,
  DEFAULT_MAX_SPANS,
  DEFAULT_RETENTION_MS,
  type LogQuery,
  type RetentionOptions,
  type SweepResult,
  type TraceStore,
} from './types.ts';
import { WriteBatcher } from './write-batcher.ts';

export interface DbTraceStoreOptions extends RetentionOptions {
  /** Rows per INSERT statement. Default 1000. */
  batchSize?: number;
  /** How long a partial buffer waits, while the database is idle, to gather more rows. Default 0:
   * group commit batches concurrent writers by itself (write-batcher.ts). */
  flushIntervalMs?: number;
  /** Runs sweep() on this interval when set (the service sets it; tests call sweep()). */
  sweepIntervalMs?: number;
  /** Called when a scheduled sweep fails (it is retried on the next tick). */
  onSweepError?: (error: unknown) => void;
}

export class DbTraceStore implements TraceStore {
  readonly #db: Db;
  readonly #spans: WriteBatcher<SpanRecord>;
  readonly #logs: WriteBatcher<LogRecord>;
  readonly #retentionMs: number;
  readonly #maxSpans: number;
  readonly #maxLogs: number;
  #sweepTimer: NodeJS.Timeout | undefined;

  constructor(db: Db, options: DbTraceStoreOptions = {}) {
    this.#db = db;
    const batch = { batchSize: options.batchSize ?? 1000, intervalMs: options.flushIntervalMs ?? 0 };
    this.#spans = new WriteBatcher(async (rows) => void (await db.query(INSERT_SPANS, spanParams(rows))), batch);
    this.#logs = new WriteBatcher(async (rows) => void (await db.query(INSERT_LOGS, logParams(rows))), batch);
    this.#retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.#maxSpans = options.maxSpans ?? DEFAULT_MAX_SPANS;
    this.#maxLogs = options.maxLogs ?? DEFAULT_MAX_LOGS;
    if (options.sweepIntervalMs) {
      this.#sweepTimer = setInterval(() => {
        this.sweep().catch((error: unknown) => options.onSweepError?.(error));
      }, options.sweepIntervalMs);
      this.#sweepTimer.unref();
    }
  }

  writeSpans(spans: readonly SpanRecord[]): Promise<void> {
    return this.#spans.add(spans);
  }

  writeLogs(logs: readonly LogRecord[]): Promise<void> {
    return this.#logs.add(logs);
  }

  async getTrace(traceId: string): Promise<SpanRecord[]> {
    await this.#spans.flush(); // read-your-writes for what is still buffered
    const rows = await this.#db.query<SpanRow>(`${SELECT_SPANS} where s.trace_id = $1 order by s.start_ns, s.span_id`, [
      traceId.toLowerCase(),
    ]);
    return rows.map(spanFromRow);
  }

  async getLogs(query: LogQuery): Promise<LogRecord[]> {
    await this.#logs.flush();
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.traceId !== undefined) add('l.trace_id = ?', query.traceId.toLowerCase());
    if (query.service !== undefined) add('l.service = ?', query.service);
    if (query.from) add('l.time_ns >= ?::bigint', (BigInt(query.from.getTime()) * 1_000_000n).toString());
    if (query.to) add('l.time_ns <= ?::bigint', (BigInt(query.to.getTime()) * 1_000_000n + 999_999n).toString());
    params.push(Math.max(0, Math.floor(query.limit)));
    const rows = await this.#db.query<LogRow>(
      `${SELECT_LOGS} ${where.length ? `where ${where.join(' and ')}` : ''} order by l.time_ns, l.seq limit $${params.length}`,
      params,
    );
    return rows.map(logFromRow);
  }

  async sweep(now: Date = new Date()): Promise<SweepResult> {
    await this.flush();
    const cutoff = new Date(now.getTime() - this.#retentionMs).toISOString();
    const spansDeleted = (await this.#delete(SWEEP.spansOlderThan, cutoff)) + (await this.#delete(SWEEP.spansOverCap, this.#maxSpans));
    const logsDeleted = (await this.#delete(SWEEP.logsOlderThan, cutoff)) + (await this.#delete(SWEEP.logsOverCap, this.#maxLogs));
    await this.#delete(SWEEP.resourcesOlderThan, cutoff);
    return { spansDeleted, logsDeleted };
  }

  async #delete(sql: string, param: unknown): Promise<number> {
    const [row] = await this.#db.query<{ n: number }>(`with d as (${sql} returning 1) select count(*)::int as n from d`, [param]);
    return Number(row?.n ?? 0);
  }

  async flush(): Promise<void> {
    await Promise.all([this.#spans.flush(), this.#logs.flush()]);
  }

  async close(): Promise<void> {
    clearInterval(this.#sweepTimer);
    await this.flush();
  }
}
