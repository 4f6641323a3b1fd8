// The trace store port: where the OTLP receiver writes spans and logs and where the assembler reads
// a trace and the logs around it. Adapters: database (Postgres/PGlite), memory (tests), and
// external sources (Tempo, Jaeger) that can only read a trace by id.
import type { LogRecord, SpanRecord } from '../../schemas/telemetry.ts';

export interface LogQuery {
  traceId?: string;
  service?: string;
  /** Inclusive bounds on the record's time. */
  from?: Date;
  to?: Date;
  /** At most this many records, the earliest first. */
  limit: number;
}

export interface SweepResult {
  spansDeleted: number;
  logsDeleted: number;
}

export interface TraceStore {
  /** Resolves once the spans are stored (a re-sent span — same trace and span id — is kept once). */
  writeSpans(spans: readonly SpanRecord[]): Promise<void>;
  writeLogs(logs: readonly LogRecord[]): Promise<void>;
  /** Every stored span of the trace, ordered by start time; [] when unknown. */
  getTrace(traceId: string): Promise<SpanRecord[]>;
  getLogs(query: LogQuery): Promise<LogRecord[]>;
  /** Enforces retention (age) and the size caps (rows); `now` is injectable for tests. */
  sweep(now?: Date): Promise<SweepResult>;
  /** Writes whatever is buffered. */
  flush(): Promise<void>;
  /** Flushes and stops timers. Does not close a database it was given. */
  close(): Promise<void>;
}

/** A read-only source of traces by id (Tempo, Jaeger). */
export interface TraceSource {
  readonly name: string;
  getTrace(traceId: string): Promise<SpanRecord[]>;
}

export interface RetentionOptions {
  /** Rows older than this (by when they were received) are deleted by sweep(). Default 72 h. */
  retentionMs?: number;
  /** At most this many spans / log records are kept; the oldest go first. */
  maxSpans?: number;
  maxLogs?: number;
}

export const DEFAULT_RETENTION_MS = 72 * 60 * 60 * 1000;
export const DEFAULT_MAX_SPANS = 2_000_000;
export const DEFAULT_MAX_LOGS = 2_000_000;

export const TRACE_ID_PATTERN = /^[0-9a-f]{32}$/;
